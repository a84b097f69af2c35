"""Rooms views: the rooms and their week calendars, one-off bookings, and the office's management pages."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from tissu.directory.views_common import apply_errors, post_only, posted, posted_files, render_form
from tissu.rooms import closures, permissions, selectors, services
from tissu.rooms.forms import CITY, AnswerForm, BookingForm, BuildingForm, ClosureForm, RoomForm
from tissu.rooms.models import BookingStatus, Building, Closure


def _office_only(user) -> None:
    if not permissions.is_office(user):
        raise PermissionDenied


def _monday(request) -> datetime.date:
    """The week asked for (?semaine=2026-12-07), within two years of today; else this week."""
    today = timezone.localdate()
    try:
        day = datetime.date.fromisoformat(request.GET.get("semaine", ""))
    except ValueError:
        day = today
    if abs((day - today).days) > 730:
        day = today
    return selectors.week_start(day)


def _week_context(request, rooms) -> dict:
    monday = _monday(request)
    days = [monday + datetime.timedelta(days=n) for n in range(7)]
    return {
        "monday": monday,
        "days": days,
        "previous_week": monday - datetime.timedelta(days=7),
        "next_week": monday + datetime.timedelta(days=7),
        "table": selectors.week_bookings(rooms, monday),
        "holidays": closures.public_holidays(days[0], days[-1]),
    }


@require_safe
def room_list(request):
    return render(
        request,
        "rooms/room_list.html",
        {"buildings": selectors.buildings_with_rooms(), "office": permissions.is_office(request.user)},
    )


@require_safe
def room_detail(request, pk):
    room = permissions.get_room_for_user(request.user, pk)
    context = _week_context(request, [room])
    context["week"] = list(zip(context["days"], context["table"][room.pk], strict=True))
    today = timezone.localdate()
    context.update(
        room=room,
        equipment=list(room.equipment.all()),
        hours=room.building.opening_hours.all(),
        closed=sorted(closures.closed_days(room.building_id, today, today + datetime.timedelta(days=60)).items()),
        can_book=bool(permissions.booking_associations(request.user, room)) or permissions.is_office(request.user),
        office=permissions.is_office(request.user),
    )
    return render(request, "rooms/room_detail.html", context)


@require_safe
def building_calendar(request, pk):
    building = get_object_or_404(Building, pk=pk)
    rooms = list(building.rooms.filter(is_active=True))
    context = _week_context(request, rooms)
    context.update(building=building, rows=[(room, context["table"][room.pk]) for room in rooms])
    return render(request, "rooms/building_calendar.html", context)


def _bookers(user, room) -> list[tuple[str, str]]:
    bookers = [(CITY, _("the city"))] if permissions.is_office(user) else []
    bookers += [(str(a.pk), a.name) for a in permissions.booking_associations(user, room)]
    return bookers


@login_required
@require_http_methods(["GET", "POST"])
def booking_create(request, pk):
    room = permissions.get_room_for_user(request.user, pk)
    bookers = _bookers(request.user, room)
    if not bookers:
        raise PermissionDenied
    form = BookingForm(posted(request), bookers=bookers, initial={"date": request.GET.get("date")})
    alternatives = None
    if request.method == "POST" and form.is_valid():
        choice = form.cleaned_data["booker"]
        association = None if choice == CITY else next(
            a for a in permissions.booking_associations(request.user, room) if str(a.pk) == choice
        )  # fmt: skip
        try:
            booking = services.booking_request(
                actor=request.user,
                room=room,
                association=association,
                start=form.cleaned_data["start_at"],
                end=form.cleaned_data["end_at"],
                purpose=form.cleaned_data["purpose"],
                attendees=form.cleaned_data["attendees"],
            )
        except services.BookingConflict as error:
            apply_errors(form, error)
            alternatives = selectors.alternatives(
                room, form.cleaned_data["start_at"], form.cleaned_data["end_at"], form.cleaned_data["attendees"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if booking.status == BookingStatus.APPROVED:
                messages.success(request, _("The room is booked."))
            else:
                messages.success(request, _("Your request is sent: the associations office will answer."))
            return redirect("rooms:booking-detail", booking.pk)
    return render_form(request, "rooms/booking_form.html", {"form": form, "room": room, "alternatives": alternatives})


@login_required
@require_safe
def my_bookings(request):
    associations = permissions.managed_associations(request.user)
    from tissu.rooms.models import SlotRequest

    return render(
        request,
        "rooms/my_bookings.html",
        {
            "bookings": selectors.my_bookings(request.user, associations)[:100],
            "slot_requests": SlotRequest.objects.filter(association__in=associations)
            .select_related("campaign", "association", "allocated_room")
            .order_by("-created_at")[:100],
        },
    )


@login_required
@require_safe
def booking_detail(request, pk):
    booking = permissions.get_booking_for_user(request.user, pk)
    return render(
        request,
        "rooms/booking_detail.html",
        {
            "booking": booking,
            "office": permissions.is_office(request.user),
            "future": booking.end > timezone.now(),
            "answer_form": AnswerForm(),
        },
    )


BOOKING_ACTIONS = {"cancel", "absence", "approve", "refuse"}


@login_required
def booking_act(request, pk, action):
    booking = permissions.get_booking_for_user(request.user, pk)
    if action not in BOOKING_ACTIONS:
        raise PermissionDenied
    if action in ("approve", "refuse"):
        _office_only(request.user)
    if response := post_only(request):
        return response
    try:
        if action == "cancel":
            services.booking_cancel(actor=request.user, booking=booking)
            messages.success(request, _("The booking is cancelled."))
        elif action == "absence":
            services.booking_declare_absence(actor=request.user, booking=booking)
            messages.success(request, _("Noted: the room is free for others that day."))
        else:
            services.booking_decide(
                actor=request.user, booking=booking, approve=action == "approve", answer=request.POST.get("answer", "")
            )
            messages.success(request, _("Decision recorded; the association is told by email."))
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    return redirect("rooms:booking-detail", booking.pk)


# The office ---------------------------------------------------------------------------------------------------


@login_required
@require_safe
def staff_home(request):
    _office_only(request.user)
    return render(
        request,
        "rooms/staff_home.html",
        {
            "pending": selectors.bookings_to_decide()[:200],
            "buildings": Building.objects.prefetch_related("rooms"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def building_edit(request, pk=None):
    _office_only(request.user)
    building = get_object_or_404(Building, pk=pk) if pk else None
    form = BuildingForm(posted(request), instance=building)
    if request.method == "POST" and form.is_valid():
        try:
            building = services.building_save(
                actor=request.user, building=building, values=form.cleaned_data, hours=form.hours()
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Building saved."))
            return redirect("rooms:staff-home")
    return render_form(request, "rooms/simple_form.html", {"form": form, "heading": _("Building")})


@login_required
@require_http_methods(["GET", "POST"])
def room_edit(request, pk=None):
    _office_only(request.user)
    room = permissions.get_room_for_user(request.user, pk) if pk else None
    form = RoomForm(posted(request), posted_files(request), instance=room)
    if request.method == "POST" and form.is_valid():
        try:
            room = services.room_save(
                actor=request.user,
                room=room,
                values=form.values(),
                equipment=list(form.cleaned_data["equipment"]),
                new_equipment=form.cleaned_data["new_equipment"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Room saved."))
            return redirect("rooms:room-detail", room.pk)
    return render_form(request, "rooms/simple_form.html", {"form": form, "heading": _("Room"), "multipart": True})


@login_required
@require_http_methods(["GET", "POST"])
def closure_list(request):
    _office_only(request.user)
    form = ClosureForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.closure_create(actor=request.user, values=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Closure saved."))
            return redirect("rooms:closure-list")
    today = timezone.localdate()
    return render_form(
        request,
        "rooms/closure_list.html",
        {
            "form": form,
            "closures": Closure.objects.filter(end_date__gte=today).select_related("building"),
            "holidays": sorted(closures.public_holidays(today, today + datetime.timedelta(days=365)).items()),
        },
    )


@login_required
def closure_delete(request, pk):
    _office_only(request.user)
    closure = get_object_or_404(Closure, pk=pk)
    if response := post_only(request):
        return response
    services.closure_delete(actor=request.user, closure=closure)
    messages.success(request, _("Closure deleted."))
    return redirect("rooms:closure-list")


urlpatterns = [
    path("", room_list, name="room-list"),
    path("<int:pk>/", room_detail, name="room-detail"),
    path("<int:pk>/reserver/", booking_create, name="booking-create"),
    path("batiments/<int:pk>/", building_calendar, name="building-calendar"),
    path("mes-reservations/", my_bookings, name="my-bookings"),
    path("reservations/<int:pk>/", booking_detail, name="booking-detail"),
    path("reservations/<int:pk>/<slug:action>/", booking_act, name="booking-act"),
    path("gestion/", staff_home, name="staff-home"),
    path("gestion/batiments/nouveau/", building_edit, name="building-create"),
    path("gestion/batiments/<int:pk>/", building_edit, name="building-edit"),
    path("gestion/salles/nouvelle/", room_edit, name="room-create"),
    path("gestion/salles/<int:pk>/", room_edit, name="room-edit"),
    path("gestion/fermetures/", closure_list, name="closure-list"),
    path("gestion/fermetures/<int:pk>/supprimer/", closure_delete, name="closure-delete"),
]


@login_required
@require_safe
def occupancy(request):
    """Occupancy rates for the office (and the future observatory): ?du=…&au=… (default: the last 4 weeks)."""
    _office_only(request.user)
    today = timezone.localdate()
    try:
        start = datetime.date.fromisoformat(request.GET.get("du", ""))
        end = datetime.date.fromisoformat(request.GET.get("au", ""))
    except ValueError:
        start, end = today - datetime.timedelta(days=28), today - datetime.timedelta(days=1)
    if end < start or (end - start).days > 366:
        start, end = today - datetime.timedelta(days=28), today - datetime.timedelta(days=1)
    return render(request, "rooms/occupancy.html", {"start": start, "end": end, **selectors.occupancy(start, end)})


urlpatterns.append(path("gestion/occupation/", occupancy, name="occupancy"))
