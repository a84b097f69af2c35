"""The agenda's views: public list, week and month; event pages; publishing; registrations; check-in."""

import calendar
import copy
import csv
import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from tissu.agenda import ical, permissions, selectors, services
from tissu.agenda.forms import (
    AgendaFilterForm,
    AttendeeMessageForm,
    CheckInForm,
    EventForm,
    ModerationForm,
    QuestionForm,
    RegistrationForm,
    SessionForm,
    TicketCategoryForm,
    parse_day,
)
from tissu.agenda.jsonld import event_jsonld
from tissu.agenda.models import Publication, RegistrationStatus
from tissu.city.selectors import city_settings_get
from tissu.directory.selectors_profile import jsonld_script
from tissu.directory.views_common import apply_errors, post_only, posted, posted_files, render_form


def _query(request, *drop) -> str:
    query = request.GET.copy()
    for name in drop:
        query.pop(name, None)
    return query.urlencode()


def _filters(request):
    form = AgendaFilterForm(request.GET or None)
    return form, form.filters()


@require_safe
def event_list(request):
    form, filters = _filters(request)
    page = selectors.occurrence_page(user=request.user, filters=filters, page_number=request.GET.get("page"))
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "choices": selectors.filter_choices(),
        "query": _query(request, "page"),
        "can_publish": permissions.can_publish(request.user),
    }
    partial = request.htmx and not request.htmx.history_restore_request
    response = render(request, "agenda/event_list.html#results" if partial else "agenda/event_list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_safe
def event_map(request):
    """The list's events that have coordinates, on a map, with the same events listed (the list alone without
    JavaScript)."""
    _form, filters = _filters(request)
    page = selectors.located_occurrence_page(user=request.user, filters=filters, page_number=request.GET.get("page"))
    markers = []
    for occurrence in page:
        event = occurrence.event
        start = timezone.localtime(occurrence.starts_at)
        markers.append(
            {
                "name": event.title,
                "lat": float(event.latitude),
                "lng": float(event.longitude),
                "url": reverse("agenda:event-detail", args=[event.slug]),
                "when": date_format(start, "DATETIME_FORMAT"),
                "address": ", ".join(part for part in (event.venue_name, event.venue_address) if part),
            }
        )
    context = {
        "filters": filters,
        "page": page,
        "markers": markers,
        "query": _query(request, "page"),
        "tile_url": settings.TILE_URL,
        "tile_attribution": settings.TILE_ATTRIBUTION,
    }
    return render(request, "agenda/event_map.html", context)


@require_safe
def week(request):
    _form, filters = _filters(request)
    day = parse_day(request.GET.get("date")) or timezone.localdate()
    first = day - datetime.timedelta(days=day.weekday())
    last = first + datetime.timedelta(days=6)
    days = selectors.occurrences_by_day(user=request.user, filters=filters, first=first, last=last)
    context = {
        "days": list(days.items()),
        "first": first,
        "last": last,
        "previous": (first - datetime.timedelta(days=7)).isoformat(),
        "next": (first + datetime.timedelta(days=7)).isoformat(),
        "today": timezone.localdate(),
        "filters": filters,
        "query": _query(request, "date"),
    }
    return render(request, "agenda/week.html", context)


@require_safe
def month(request):
    _form, filters = _filters(request)
    try:
        first = datetime.date.fromisoformat(f"{request.GET.get('mois', '')}-01")
    except ValueError:
        first = timezone.localdate().replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    days = selectors.occurrences_by_day(user=request.user, filters=filters, first=first, last=last)
    # Weeks of the grid, Monday first; None for the cells outside the month.
    weeks = []
    for week_days in calendar.Calendar().monthdatescalendar(first.year, first.month):
        weeks.append([(day, days[day]) if day.month == first.month else (day, None) for day in week_days])
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    context = {
        "weeks": weeks,
        "first": first,
        "previous": previous.strftime("%Y-%m"),
        "next": (last + datetime.timedelta(days=1)).strftime("%Y-%m"),
        "weekdays": [first + datetime.timedelta(days=n - first.weekday()) for n in range(7)],
        "today": timezone.localdate(),
        "count": sum(1 for occurrences in days.values() if occurrences),
        "filters": filters,
        "query": _query(request, "mois"),
    }
    return render(request, "agenda/month.html", context)


@require_safe
def feed(request):
    """The whole public agenda (or its filtered part) as an iCalendar subscription."""
    _form, filters = _filters(request)
    events = (
        selectors.visible_events(request.user)
        .filter(occurrences__ends_at__gte=timezone.now() - datetime.timedelta(days=30))
        .distinct()
        .select_related("category")
    )
    if filters.categories:
        events = events.filter(category__slug__in=filters.categories)
    if filters.association:
        events = events.filter(association__slug=filters.association)
    body = ical.agenda_calendar(events.order_by("starts_at")[:1000], name=f"{city_settings_get().name} – Agenda")
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


@require_safe
def event_detail(request, slug):
    event = permissions.get_event_for_user(request.user, slug)
    registration = selectors.registration_of(request.user, event)
    context = {
        "event": event,
        "audiences": list(event.audiences.all()),
        "occurrences": selectors.event_occurrences(event),
        "can_manage": permissions.can_manage(request.user, event),
        "registration": registration,
        "categories": selectors.ticket_categories_with_counts(event) if event.registration_required else [],
        "registration_open": services.registration_is_open(event),
        "deadline": services.registration_deadline(event),
        "jsonld": jsonld_script(event_jsonld(event)) if event.is_published else "",
        "programme": selectors.programme(event, registration),
    }
    if registration and registration.status == RegistrationStatus.WAITING:
        context["waiting_position"] = selectors.waiting_position(registration)
    if registration and registration.status == RegistrationStatus.CONFIRMED:
        context["check_in_qr"] = _check_in_qr(event, registration)
    return render(request, "agenda/event_detail.html", context)


def _check_in_qr(event, registration) -> str:
    """An SVG QR code of the organiser's check-in page with the attendee's code typed in: scanned at the door
    with a phone, it opens the list (for the organiser, signed in) ready to check the person in."""
    import segno

    url = f"{settings.SITE_URL}{reverse('agenda:registration-list', args=[event.slug])}?code={registration.code}"
    svg = segno.make(url, error="m").svg_inline(scale=4, border=2, omitsize=False)
    # Decorative for assistive technologies: the code is written next to it. The SVG is segno's output (paths,
    # no text from people: the URL is only encoded as modules), hence safe to mark so.
    return mark_safe(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" class="qr-code" ', 1))  # noqa: S308


@require_safe
def event_ics(request, slug):
    event = permissions.get_event_for_user(request.user, slug)
    response = HttpResponse(ical.event_calendar(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


# Publishing


def _organisers(user) -> list[tuple[str, str]]:
    choices = []
    if permissions.is_office(user):
        choices.append(("", _("The city (%(name)s)") % {"name": city_settings_get().name}))
    choices += [(association.slug, association.name) for association in permissions.associations_published_for(user)]
    return choices


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request):
    if not permissions.can_publish(request.user):
        raise PermissionDenied
    organisers = _organisers(request.user)
    form = EventForm(posted(request), posted_files(request), organisers=organisers)
    if request.method == "POST" and form.is_valid():
        slug = form.cleaned_data["organiser"]
        association = next((a for a in permissions.associations_published_for(request.user) if a.slug == slug), None)
        try:
            if not permissions.can_publish_for(request.user, association):
                raise ValidationError({"organiser": _("Choose an association you manage.")})
            event = services.event_create(
                actor=request.user,
                association=association,
                values=form.values(),
                audiences=form.cleaned_data["audiences"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Event saved as a draft. Check it, then publish it."))
            return redirect("agenda:event-detail", event.slug)
    return render_form(request, "agenda/manage/event_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request, slug):
    event = permissions.get_event_for_user(request.user, slug, write=True)
    form = EventForm(posted(request), posted_files(request), instance=copy.copy(event))
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.event_update(
                actor=request.user, event=event, values=form.values(), audiences=form.cleaned_data["audiences"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Event saved.") if changed else _("Nothing changed."))
            return redirect("agenda:event-detail", event.slug)
    return render_form(request, "agenda/manage/event_form.html", {"form": form, "event": event})


@login_required
def event_publish(request, slug):
    event = permissions.get_event_for_user(request.user, slug, write=True)
    if response := post_only(request):
        return response
    event = services.event_publish(actor=request.user, event=event)
    if event.publication == Publication.PENDING:
        messages.success(request, _("Sent to the associations office: the event will be public once approved."))
    else:
        messages.success(request, _("The event is published in the agenda."))
    return redirect("agenda:event-detail", event.slug)


@login_required
@require_safe
def moderation(request):
    permissions.require_office(request.user)
    return render(
        request,
        "agenda/manage/moderation.html",
        {"events": selectors.events_pending_approval(), "form": ModerationForm()},
    )


@login_required
def event_moderate(request, slug):
    permissions.require_office(request.user)
    event = permissions.get_event_for_user(request.user, slug, write=True)
    if response := post_only(request):
        return response
    form = ModerationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or refuse."))
        return redirect("agenda:moderation")
    try:
        services.event_moderate(
            actor=request.user,
            event=event,
            approve=form.cleaned_data["decision"] == "approve",
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Decision recorded for “%(title)s”.") % {"title": event.title})
    return redirect("agenda:moderation")


@login_required
@require_safe
def my_events(request):
    return render(
        request,
        "agenda/my_events.html",
        {
            "registrations": selectors.registrations_of_user(request.user),
            "events": selectors.events_managed_by(request.user) if permissions.can_publish(request.user) else [],
            "can_publish": permissions.can_publish(request.user),
            "calendar_url": _private_calendar_url(request.user),
        },
    )


def _private_calendar_url(user) -> str:
    token = selectors.calendar_token_of(user)
    return settings.SITE_URL + reverse("agenda:my-registrations-ics", args=[token]) if token else ""


# Registration settings, registrations and check-in


@login_required
@require_http_methods(["GET", "POST"])
def registration_settings(request, slug):
    event = permissions.get_event_for_user(request.user, slug, write=True)
    action = request.POST.get("action") if request.method == "POST" else None
    category_form = TicketCategoryForm(request.POST if action == "add_category" else None, prefix="category")
    question_form = QuestionForm(request.POST if action == "add_question" else None, prefix="question")
    try:
        if action == "add_category" and category_form.is_valid():
            services.ticket_category_add(actor=request.user, event=event, **category_form.cleaned_data)
            messages.success(request, _("Registration category added."))
            return redirect("agenda:registration-settings", event.slug)
        if action == "add_question" and question_form.is_valid():
            services.question_add(actor=request.user, event=event, **question_form.cleaned_data)
            messages.success(request, _("Question added."))
            return redirect("agenda:registration-settings", event.slug)
        if action == "delete_category":
            category = get_object_or_404(event.ticket_categories, pk=request.POST.get("pk"))
            services.ticket_category_delete(actor=request.user, category=category)
            messages.success(request, _("Registration category deleted."))
            return redirect("agenda:registration-settings", event.slug)
        if action == "delete_question":
            question = get_object_or_404(event.questions, pk=request.POST.get("pk"))
            services.question_delete(actor=request.user, question=question)
            messages.success(request, _("Question deleted."))
            return redirect("agenda:registration-settings", event.slug)
    except ValidationError as error:
        form = question_form if action == "add_question" else category_form
        if action in ("add_category", "add_question"):
            apply_errors(form, error)
        else:
            messages.error(request, " ".join(error.messages))
            return redirect("agenda:registration-settings", event.slug)
    invalid = (category_form.is_bound and category_form.errors) or (question_form.is_bound and question_form.errors)
    return render(
        request,
        "agenda/manage/registration_settings.html",
        {
            "event": event,
            "categories": selectors.ticket_categories_with_counts(event),
            "questions": list(event.questions.all()),
            "category_form": category_form,
            "question_form": question_form,
        },
        status=400 if invalid else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def register(request, slug):
    event = permissions.get_event_for_user(request.user, slug)
    if not event.registration_required:
        raise PermissionDenied
    existing = selectors.registration_of(request.user, event)
    if existing:
        messages.info(request, _("You are already registered for this event (or on its waiting list)."))
        return redirect("agenda:event-detail", event.slug)
    categories = selectors.ticket_categories_with_counts(event)
    questions = list(event.questions.all())
    form = RegistrationForm(posted(request), event=event, categories=categories, questions=questions)
    is_open = services.registration_is_open(event) and bool(categories)
    if request.method == "POST" and is_open and form.is_valid():
        category = next(category for category in categories if category.pk == form.cleaned_data["category"])
        try:
            registration = services.registration_create(
                user=request.user,
                event=event,
                category=category,
                answers=form.answers(),
                access_code=form.cleaned_data.get("access_code", ""),
                consent=form.cleaned_data.get("consent", False),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if registration.status == RegistrationStatus.CONFIRMED:
                messages.success(request, _("You are registered. A confirmation is on its way by email."))
            else:
                messages.success(request, _("The category is full: you are on the waiting list."))
            return redirect("agenda:event-detail", event.slug)
    elif request.method == "POST" and not is_open:
        form.is_valid()
        form.add_error(None, _("Registration is not open for this event."))
    context = {"form": form, "event": event, "is_open": is_open, "deadline": services.registration_deadline(event)}
    return render_form(request, "agenda/register.html", context)


@login_required
def registration_cancel(request, slug):
    event = permissions.get_event_for_user(request.user, slug)
    registration = selectors.registration_of(request.user, event)
    if registration is None:
        raise PermissionDenied
    if response := post_only(request):
        return response
    try:
        services.registration_cancel(actor=request.user, registration=registration)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("agenda:event-detail", event.slug)


@login_required
def offer_accept(request, slug):
    event = permissions.get_event_for_user(request.user, slug)
    registration = selectors.registration_of(request.user, event)
    if registration is None or registration.status != RegistrationStatus.OFFERED:
        raise PermissionDenied
    if response := post_only(request):
        return response
    try:
        services.offer_accept(user=request.user, registration=registration)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The place is yours: your registration is confirmed."))
    return redirect("agenda:event-detail", event.slug)


@login_required
@require_safe
def registration_list(request, slug):
    event = permissions.get_event_for_user(request.user, slug, write=True)
    registrations = list(selectors.registrations_of_event(event))
    questions = list(event.questions.all())
    for registration in registrations:
        registration.answer_list = [registration.answers.get(str(question.pk), "") for question in questions]
    return render(
        request,
        "agenda/manage/registration_list.html",
        {
            "event": event,
            "registrations": registrations,
            "categories": selectors.ticket_categories_with_counts(event),
            "questions": questions,
            # A QR code scanned from an attendee's page opens this list with their code typed in.
            "form": CheckInForm(initial={"code": request.GET.get("code", "")[:12]}),
            "message_form": AttendeeMessageForm(),
            "checked_in": sum(1 for registration in registrations if registration.checked_in_at),
        },
    )


def _registration_rows(event):
    """The attendee list as rows: a header, then one row per registration (for the CSV and XLSX files)."""
    questions = list(event.questions.all())
    yield [_("Name"), _("Email"), _("Category"), _("Status"), _("Registered on"), _("Check-in code"),
           _("Checked in at"), *[question.label for question in questions]]  # fmt: skip
    for registration in selectors.registrations_of_event(event):
        yield [
            _spreadsheet_safe(registration.user.full_name),
            registration.user.email,
            _spreadsheet_safe(registration.category.name),
            registration.get_status_display(),
            timezone.localtime(registration.created_at).strftime("%Y-%m-%d %H:%M"),
            registration.code,
            timezone.localtime(registration.checked_in_at).strftime("%Y-%m-%d %H:%M")
            if registration.checked_in_at
            else "",
            *[_spreadsheet_safe(registration.answers.get(str(question.pk), "")) for question in questions],
        ]


@login_required
@require_safe
def registration_csv(request, slug):
    event = permissions.get_event_for_user(request.user, slug, write=True)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="inscriptions-{event.slug}.csv"'
    response.write("\ufeff")  # so that spreadsheet software reads UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerows(_registration_rows(event))
    return response


@login_required
@require_safe
def registration_xlsx(request, slug):
    """The same list as a spreadsheet (Office Open XML), for organisers who do not import CSV files."""
    import io

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    event = permissions.get_event_for_user(request.user, slug, write=True)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(_("Registrations"))[:31])
    sheet.freeze_panes = "A2"
    for number, row in enumerate(_registration_rows(event)):
        if number == 0:
            header = []
            for title in row:
                cell = WriteOnlyCell(sheet, value=str(title))
                cell.font = Font(bold=True)
                header.append(cell)
            sheet.append(header)
        else:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="inscriptions-{event.slug}.xlsx"'
    return response


@login_required
def attendees_message(request, slug):
    event = permissions.get_event_for_user(request.user, slug, write=True)
    if response := post_only(request):
        return response
    form = AttendeeMessageForm(request.POST)
    if form.is_valid():
        try:
            count = services.attendees_message(actor=request.user, event=event, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                ngettext("Message sent to %(count)d person.", "Message sent to %(count)d people.", count)
                % {"count": count},
            )
            return redirect("agenda:registration-list", event.slug)
    else:
        messages.error(request, _("Give the message a subject and a text."))
    return redirect(reverse("agenda:registration-list", args=[event.slug]) + "#message")


def _spreadsheet_safe(value: str) -> str:
    """Text typed by people cannot become a formula in the organiser's spreadsheet (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@login_required
def check_in(request, slug):
    event = permissions.get_event_for_user(request.user, slug, write=True)
    if response := post_only(request):
        return response
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            registration = services.registration_check_in(
                actor=request.user, event=event, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("%(name)s is checked in.") % {"name": registration.user.full_name or registration.user.email}
            )
    else:
        messages.error(request, _("Type the code of the registration."))
    return redirect(reverse("agenda:registration-list", args=[event.slug]) + "#check-in")


# Programme mode


@login_required
@require_http_methods(["GET", "POST"])
def programme_settings(request, slug):
    event = permissions.get_event_for_user(request.user, slug, write=True)
    action = request.POST.get("action") if request.method == "POST" else None
    form = SessionForm(request.POST if action == "add_session" else None)
    try:
        if action == "add_session" and form.is_valid():
            services.session_add(actor=request.user, event=event, **form.cleaned_data)
            messages.success(request, _("Session added to the programme."))
            return redirect("agenda:programme-settings", event.slug)
        if action == "delete_session":
            session = get_object_or_404(event.sessions, pk=request.POST.get("pk"))
            services.session_delete(actor=request.user, session=session)
            messages.success(request, _("Session deleted."))
            return redirect("agenda:programme-settings", event.slug)
    except ValidationError as error:
        if action != "add_session":
            messages.error(request, " ".join(error.messages))
            return redirect("agenda:programme-settings", event.slug)
        apply_errors(form, error)
    context = {"event": event, "form": form, "programme": selectors.programme(event)}
    return render_form(request, "agenda/manage/programme_settings.html", context)


def _session(request, slug, pk):
    event = permissions.get_event_for_user(request.user, slug)
    return get_object_or_404(event.sessions.select_related("event"), pk=pk)


@login_required
def session_join(request, slug, pk):
    session = _session(request, slug, pk)
    if response := post_only(request):
        return response
    try:
        services.session_join(user=request.user, session=session)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("“%(title)s” is in your programme.") % {"title": session.title})
    return redirect(reverse("agenda:event-detail", args=[slug]) + "#programme-title")


@login_required
def session_leave(request, slug, pk):
    session = _session(request, slug, pk)
    if response := post_only(request):
        return response
    try:
        services.session_leave(user=request.user, session=session)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("“%(title)s” is no longer in your programme.") % {"title": session.title})
    return redirect(reverse("agenda:event-detail", args=[slug]) + "#programme-title")


@login_required
@require_safe
def my_programme_ics(request, slug):
    event = permissions.get_event_for_user(request.user, slug)
    registration = selectors.registration_of(request.user, event)
    if registration is None or registration.status != RegistrationStatus.CONFIRMED:
        raise PermissionDenied
    body = ical.programme_calendar(event, selectors.personal_programme(registration))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="programme-{event.slug}.ics"'
    return response


@login_required
@require_safe
def planning(request):
    """For the office: what is planned, day by day, with overlapping events marked, before fixing a date."""
    permissions.require_office(request.user)
    first = parse_day(request.GET.get("date_from")) or timezone.localdate()
    last = parse_day(request.GET.get("date_to")) or first + datetime.timedelta(days=60)
    last = min(max(last, first), first + datetime.timedelta(days=366))
    days = selectors.planning(first=first, last=last)
    context = {"days": days, "first": first, "last": last, "clash_days": sum(1 for day in days if day.clashes)}
    return render(request, "agenda/manage/planning.html", context)


urlpatterns = [
    path("", event_list, name="event-list"),
    path("semaine/", week, name="week"),
    path("mois/", month, name="month"),
    path("carte/", event_map, name="map"),
    path("agenda.ics", feed, name="feed"),
    path("mes-evenements/", my_events, name="my-events"),
    path("nouveau/", event_create, name="event-create"),
    path("moderation/", moderation, name="moderation"),
    path("planning/", planning, name="planning"),
    path("<slug:slug>/", event_detail, name="event-detail"),
    path("<slug:slug>/evenement.ics", event_ics, name="event-ics"),
    path("<slug:slug>/modifier/", event_edit, name="event-edit"),
    path("<slug:slug>/publier/", event_publish, name="event-publish"),
    path("<slug:slug>/moderer/", event_moderate, name="event-moderate"),
    path("<slug:slug>/inscriptions/reglages/", registration_settings, name="registration-settings"),
    path("<slug:slug>/inscription/", register, name="register"),
    path("<slug:slug>/inscription/annuler/", registration_cancel, name="registration-cancel"),
    path("<slug:slug>/inscription/accepter/", offer_accept, name="offer-accept"),
    path("<slug:slug>/inscrits/", registration_list, name="registration-list"),
    path("<slug:slug>/inscrits.csv", registration_csv, name="registration-csv"),
    path("<slug:slug>/inscrits.xlsx", registration_xlsx, name="registration-xlsx"),
    path("<slug:slug>/inscrits/message/", attendees_message, name="attendees-message"),
    path("<slug:slug>/pointage/", check_in, name="check-in"),
    path("<slug:slug>/programme/", programme_settings, name="programme-settings"),
    path("<slug:slug>/seances/<int:pk>/choisir/", session_join, name="session-join"),
    path("<slug:slug>/seances/<int:pk>/quitter/", session_leave, name="session-leave"),
    path("<slug:slug>/mon-programme.ics", my_programme_ics, name="my-programme-ics"),
]
