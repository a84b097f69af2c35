"""Volunteering views: thin, access through tissu/volunteering/permissions.py, writes through services.py."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from tissu.city.permissions import associations_office_required
from tissu.directory.permissions import get_association_for_user
from tissu.directory.views_common import apply_errors, post_only, posted, render_form
from tissu.lib.pdf import pdf_response
from tissu.volunteering import matching, permissions, saved_searches, selectors, services
from tissu.volunteering.figures import volunteering_figures
from tissu.volunteering.forms import (
    ApplicationActionForm,
    ApplyForm,
    DeclineForm,
    HoursDecisionForm,
    HoursForm,
    InvitationForm,
    MessageForm,
    MissionActionForm,
    MissionForm,
    MissionSearchForm,
    ReviewForm,
    SkillForm,
    VolunteerProfileForm,
)
from tissu.volunteering.models import (
    ApplicationStatus,
    DeclineReason,
    HoursStatus,
    MissionType,
    Public,
    SavedSearch,
    Skill,
    VolunteerHours,
)

PER_PAGE = 20


@require_safe
def mission_list(request):
    form = MissionSearchForm(request.GET or None)
    filters = form.filters()
    page = Paginator(selectors.mission_search(filters=filters), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "choices": selectors.search_choices(),
        "types": MissionType.choices,
        "publics": Public.choices,
        "can_see_figures": permissions.can_see_figures(request.user),
    }
    template = "volunteering/mission_list.html#results" if request.htmx else "volunteering/mission_list.html"
    return render(request, template, context)


MAP_PAGE_SIZE = 100


@require_safe
def mission_map(request):
    """The search's missions on a map, listed beside it (the list alone without JavaScript)."""
    form = MissionSearchForm(request.GET or None)
    filters = form.filters()
    page = Paginator(selectors.located_missions(filters=filters), MAP_PAGE_SIZE).get_page(request.GET.get("page"))
    markers = [
        {
            "name": mission.title,
            "lat": float(mission.association.latitude),
            "lng": float(mission.association.longitude),
            "url": reverse("volunteering:mission-detail", args=[mission.pk]),
            "when": mission.association.name,
            "address": mission.address,
        }
        for mission in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filters": filters,
        "page": page,
        "markers": markers,
        "query": query.urlencode(),
        "tile_url": settings.TILE_URL,
        "tile_attribution": settings.TILE_ATTRIBUTION,
    }
    return render(request, "volunteering/mission_map.html", context)


@require_safe
def mission_detail(request, pk):
    mission = permissions.get_mission_for_user(request.user, pk)
    context = {
        "mission": mission,
        **selectors.mission_detail(mission=mission),
        "can_edit": request.user.is_authenticated and permissions.can_edit_mission(request.user, mission),
        "can_handle": permissions.can_handle_applications(request.user, mission),
        "my_application": selectors.applications_of_volunteer(request.user).filter(mission=mission).first()
        if request.user.is_authenticated
        else None,
    }
    return render(request, "volunteering/mission_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def mission_apply(request, pk):
    mission = permissions.get_mission_for_user(request.user, pk)
    detail = selectors.mission_detail(mission=mission)
    form = ApplyForm(posted(request), mission=mission, slots=detail["slots"])
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                volunteer=request.user,
                mission=mission,
                message=form.cleaned_data["message"],
                slot=form.cleaned_data.get("slot"),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if application.status == ApplicationStatus.WAITLISTED:
                messages.success(request, _("The mission is full: you are on its waiting list."))
            else:
                messages.success(request, _("Your application is sent. The association will answer you here."))
            return redirect("volunteering:application-detail", application.pk)
    return render_form(request, "volunteering/mission_apply.html", {"form": form, "mission": mission, **detail})


@login_required
@require_safe
def association_missions(request, slug):
    association = get_association_for_user(request.user, slug, write=True)
    return render(
        request,
        "volunteering/association_missions.html",
        {"association": association, "missions": selectors.missions_of_association(association)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def mission_create(request, slug):
    association = get_association_for_user(request.user, slug, write=True)
    form = MissionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            mission = services.mission_save(
                actor=request.user,
                association=association,
                values=form.values(),
                skills=form.cleaned_data["skills"],
                causes=form.cleaned_data["causes"],
                slots=form.cleaned_data["slots"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Draft saved. Submit it when it is ready."))
            return redirect("volunteering:mission-detail", mission.pk)
    return render_form(request, "volunteering/mission_form.html", {"form": form, "association": association})


@login_required
@require_http_methods(["GET", "POST"])
def mission_edit(request, pk):
    mission = permissions.get_mission_for_user(request.user, pk, write=True)
    form = MissionForm(posted(request), instance=mission)
    if request.method == "POST" and form.is_valid():
        try:
            services.mission_save(
                actor=request.user,
                association=mission.association,
                mission=mission,
                values=form.values(),
                skills=form.cleaned_data["skills"],
                causes=form.cleaned_data["causes"],
                slots=form.cleaned_data["slots"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Mission saved."))
            return redirect("volunteering:mission-detail", mission.pk)
    mission.refresh_from_db()
    return render_form(
        request,
        "volunteering/mission_form.html",
        {"form": form, "association": mission.association, "mission": mission},
    )


@login_required
def mission_action(request, pk):
    mission = permissions.get_mission_for_user(request.user, pk, write=True)
    if response := post_only(request):
        return response
    form = MissionActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown action."))
        return redirect("volunteering:mission-detail", mission.pk)
    action = form.cleaned_data["action"]
    service = {"submit": services.mission_submit, "close": services.mission_close, "reopen": services.mission_reopen}
    try:
        mission = service[action](actor=request.user, mission=mission)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The mission is now: %(status)s.") % {"status": mission.get_status_display()})
    return redirect("volunteering:mission-detail", mission.pk)


@login_required
@require_safe
def mission_applications(request, pk):
    mission = permissions.get_mission_applications_for_user(request.user, pk)
    invited = selectors.invitations_of_mission(mission)
    return render(
        request,
        "volunteering/mission_applications.html",
        {
            "mission": mission,
            "applications": selectors.applications_for_mission(mission),
            # (match, invitation or None): who was already invited shows how it went instead of a button.
            "suggestions": [
                (match, invited.get(match.profile.user_id)) for match in matching.suggested_volunteers(mission=mission)
            ],
            "invitation_form": InvitationForm(),
            "response": selectors.response_stats(association=mission.association),
        },
    )


@login_required
def invitation_send(request, pk):
    mission = permissions.get_mission_applications_for_user(request.user, pk)
    if response := post_only(request):
        return response
    form = InvitationForm(request.POST)
    volunteer = form.chosen_volunteer() if form.is_valid() else None
    if volunteer is None:
        messages.error(request, _("Choose a volunteer among the suggestions."))
    else:
        try:
            services.invitation_send(
                actor=request.user, mission=mission, volunteer=volunteer, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("%(name)s is invited to apply: they got an email.") % {"name": volunteer.full_name}
            )
    return redirect(reverse("volunteering:mission-applications", args=[mission.pk]) + "#suggestions-title")


@login_required
def invitation_decline(request, pk):
    invitation = permissions.get_invitation_for_user(request.user, pk)
    if response := post_only(request):
        return response
    try:
        services.invitation_decline(user=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Invitation declined. The association is not told why."))
    return redirect("volunteering:my-applications")


@login_required
@require_safe
def application_detail(request, pk, *, message_form=None, decline_form=None, hours_form=None, status=200):
    application = permissions.get_application_for_user(request.user, pk)
    is_volunteer = permissions.is_volunteer_of(request.user, application)
    is_manager = permissions.can_handle_applications(request.user, application.mission)
    hours = selectors.application_hours(application)
    context = {
        "application": application,
        "mission": application.mission,
        "thread": selectors.application_thread(application),
        "hours": hours,
        "can_certify": any(entry.status == HoursStatus.CONFIRMED for entry in hours),
        "is_volunteer": is_volunteer,
        "is_manager": is_manager,
        "profile": selectors.profile_of(application.volunteer) if is_manager else None,
        "message_form": message_form or MessageForm(),
        "decline_form": decline_form or DeclineForm(),
        "hours_form": hours_form or HoursForm(),
        "decline_reasons": DeclineReason.choices,
    }
    return render(request, "volunteering/application_detail.html", context, status=status)


@login_required
def application_action(request, pk):
    application = permissions.get_application_for_user(request.user, pk)
    if response := post_only(request):
        return response
    form = ApplicationActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown action."))
        return redirect("volunteering:application-detail", application.pk)
    action = form.cleaned_data["action"]
    try:
        if action == "withdraw":
            services.application_withdraw(volunteer=request.user, application=application)
        elif action == "decline":
            decline_form = DeclineForm(request.POST)
            if not decline_form.is_valid():
                request.method = "GET"
                return application_detail(request, pk, decline_form=decline_form, status=400)
            services.application_decline(
                actor=request.user, application=application, reason=decline_form.cleaned_data["reason"]
            )
        else:
            service = {
                "discuss": services.application_discuss,
                "accept": services.application_accept,
                "cancel": services.application_cancel,
            }[action]
            service(actor=request.user, application=application)
    except PermissionDenied:
        raise
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        application.refresh_from_db(fields=["status"])
        messages.success(
            request, _("The application is now: %(status)s.") % {"status": application.get_status_display()}
        )
    return redirect("volunteering:application-detail", application.pk)


@login_required
def application_message(request, pk):
    application = permissions.get_application_for_user(request.user, pk)
    if response := post_only(request):
        return response
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.message_send(author=request.user, application=application, body=form.cleaned_data["body"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Message sent."))
            return redirect("volunteering:application-detail", application.pk)
    request.method = "GET"
    return application_detail(request, pk, message_form=form, status=400)


@login_required
def hours_declare(request, pk):
    application = permissions.get_application_for_user(request.user, pk)
    if not permissions.is_volunteer_of(request.user, application):
        raise PermissionDenied
    if response := post_only(request):
        return response
    form = HoursForm(request.POST)
    if form.is_valid():
        try:
            services.hours_declare(volunteer=request.user, application=application, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Hours declared: the association will confirm them."))
            return redirect("volunteering:application-detail", application.pk)
    request.method = "GET"
    return application_detail(request, pk, hours_form=form, status=400)


@login_required
def hours_decide(request, pk, hours_pk):
    application = permissions.get_application_for_user(request.user, pk)
    if not permissions.can_handle_applications(request.user, application.mission):
        raise PermissionDenied
    if response := post_only(request):
        return response
    entry = get_object_or_404(VolunteerHours, pk=hours_pk, application=application)
    form = HoursDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.hours_decide(actor=request.user, entry=entry, confirm=form.cleaned_data["decision"] == "confirm")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Hours answered."))
    return redirect("volunteering:application-detail", application.pk)


@login_required
@require_safe
def certificate(request, pk):
    """A printable attestation de bénévolat: the hours the association confirmed (404 before any)."""
    application = permissions.get_application_for_user(request.user, pk)
    data = selectors.certificate_for(application)
    if data is None:
        raise Http404
    return render(request, "volunteering/certificate.html", {"certificate": data, "mission": application.mission})


@login_required
@require_safe
def certificate_pdf(request, pk):
    """The same certificate as a tagged PDF carrying its verification code."""
    application = permissions.get_application_for_user(request.user, pk)
    data = selectors.certificate_for(application)
    if data is None:
        raise Http404
    return pdf_response(
        template="volunteering/certificate_pdf.html",
        context={
            "certificate": data,
            "mission": application.mission,
            "verify_url": settings.SITE_URL.rstrip("/") + reverse("volunteering:certificate-verify"),
        },
        filename=_("volunteering certificate %(name)s") % {"name": application.volunteer.full_name},
    )


@require_safe
def certificate_verify(request):
    """Public: anyone holding a certificate (an employer, a VAE jury) checks its code."""
    code = request.GET.get("code", "").strip()[:40]
    certificate = selectors.certificate_verify(code) if code else None
    response = render(
        request,
        "volunteering/certificate_verify.html",
        {"code": code, "certificate": certificate},
        status=200 if certificate or not code else 404,
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_safe
def my_applications(request):
    return render(
        request,
        "volunteering/my_applications.html",
        {
            "applications": selectors.applications_of_volunteer(request.user).order_by("-created_at"),
            "invitations": selectors.pending_invitations_of(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def volunteer_profile(request):
    profile = selectors.profile_of(request.user)
    form = VolunteerProfileForm(posted(request), instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.volunteer_profile_save(
                user=request.user,
                values=form.values(),
                skills=form.cleaned_data["skills"],
                interests=form.cleaned_data["interests"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your volunteer profile is saved."))
            return redirect("volunteering:recommended")
    return render_form(request, "volunteering/volunteer_profile.html", {"form": form})


@login_required
@require_safe
def recommended(request):
    profile = selectors.profile_of(request.user)
    matches = matching.recommended_missions(profile=profile) if profile else []
    return render(request, "volunteering/recommended.html", {"profile": profile, "matches": matches})


# --- Associations office -----------------------------------------------------------------------------


@associations_office_required
@require_http_methods(["GET", "POST"])
def skill_list(request):
    form = SkillForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            skill = services.skill_create(actor=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("“%(name)s” added.") % {"name": skill.name})
            return redirect("volunteering:skill-list")
    return render_form(request, "volunteering/staff/skills.html", {"form": form, "skills": Skill.objects.all()})


@associations_office_required
@require_http_methods(["GET", "POST"])
def skill_edit(request, pk):
    skill = get_object_or_404(Skill, pk=pk)
    form = SkillForm(posted(request), initial={"name": skill.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.skill_update(actor=request.user, skill=skill, name=form.cleaned_data["name"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Skill renamed."))
            return redirect("volunteering:skill-list")
    return render_form(request, "volunteering/staff/skill_edit.html", {"form": form, "skill": skill})


@associations_office_required
def skill_delete(request, pk):
    skill = get_object_or_404(Skill, pk=pk)
    if response := post_only(request):
        return response
    try:
        services.skill_delete(actor=request.user, skill=skill)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Skill deleted."))
    return redirect("volunteering:skill-list")


@associations_office_required
@require_safe
def review_queue(request):
    return render(
        request,
        "volunteering/staff/review_queue.html",
        {"missions": selectors.missions_to_review()},
    )


@associations_office_required
def mission_review(request, pk):
    mission = permissions.get_mission_for_user(request.user, pk, write=True)
    if response := post_only(request):
        return response
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.mission_review(
                actor=request.user,
                mission=mission,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Decision recorded; the association is told."))
    else:
        messages.error(request, _("Choose a decision."))
    return redirect("volunteering:review-queue")


@login_required
@require_http_methods(["GET", "POST"])
def saved_search_list(request):
    if request.method == "POST":
        try:
            saved_searches.saved_search_create(user=request.user, query=request.POST.get("query", ""))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Search saved: new missions matching it will be emailed to you."))
        return redirect("volunteering:saved-search-list")
    searches = [
        {"saved": saved, "description": saved_searches.describe(saved)}
        for saved in SavedSearch.objects.filter(user=request.user)
    ]
    return render(request, "volunteering/saved_searches.html", {"searches": searches})


@login_required
def saved_search_delete(request, pk):
    saved = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    if response := post_only(request):
        return response
    saved_searches.saved_search_delete(user=request.user, saved=saved)
    messages.success(request, _("Saved search deleted."))
    return redirect("volunteering:saved-search-list")


@login_required
@require_safe
def figures(request):
    """Volunteering in figures: counts per year for the office and elected officials (no personal data)."""
    if not permissions.can_see_figures(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    try:
        year = int(request.GET.get("annee", today.year))
    except ValueError:
        year = today.year
    if not 2000 <= year <= today.year + 1:
        year = today.year
    return render(request, "volunteering/staff/figures.html", {"figures": volunteering_figures(year=year)})
