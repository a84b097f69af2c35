"""Directory views: an association's public profile."""

from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from tissu.directory.permissions import get_association_for_user
from tissu.directory.selectors_profile import association_profile


@require_safe
def association_detail(request, slug):
    association = get_association_for_user(request.user, slug)
    context = association_profile(association=association, user=request.user, request=request)
    return render(request, "directory/profile/association_detail.html", context)


urlpatterns = [
    path("<slug:slug>/", association_detail, name="association-detail"),
]
