"""The gateway for the city's own pages: who may edit the settings and see back-office pages."""

from django.core.exceptions import PermissionDenied


def can_manage_city(user) -> bool:
    return user.is_authenticated and user.is_associations_office


def require_associations_office(user) -> None:
    if not can_manage_city(user):
        raise PermissionDenied


def associations_office_required(view):
    """Anonymous visitors go to the login page; signed-in people without the role get 403."""
    from functools import wraps

    from django.contrib.auth.views import redirect_to_login

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        require_associations_office(request.user)
        return view(request, *args, **kwargs)

    return wrapper
