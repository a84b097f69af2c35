"""Every write of a seasonal campaign: the campaign, the requests, the optimiser's run, pins, validation and
publication (weekly slots → bookings for every open date of the season).

draft → open (associations file requests) → review (requests closed; staff run the optimiser, pin, forbid,
re-run) → validated (by the commission, only if the independent validator finds nothing) → published
(associations notified, bookings created).
"""

import datetime
from collections import defaultdict
from dataclasses import replace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tissu.audit.services import audit_log
from tissu.directory.models import Association
from tissu.directory.permissions import is_manager
from tissu.rooms import allocation, emails, permissions, reasons, validation
from tissu.rooms.closures import closed_days_by_building
from tissu.rooms.models import (
    HOLDING,
    Booking,
    BookingStatus,
    Campaign,
    CampaignStatus,
    Decision,
    OpeningHours,
    Public,
    RequestStatus,
    Room,
    RunState,
    SlotOption,
    SlotRequest,
)

CAMPAIGN_FIELDS = [
    "name", "season_start", "season_end", "requests_close_on", "weight_rank_1", "weight_rank_2", "weight_rank_3",
    "weight_alternative", "bonus_youth", "bonus_qpv", "bonus_continuity", "bonus_small", "small_association_members",
    "fairness", "time_limit_seconds",
]  # fmt: skip
REQUEST_FIELDS = [
    "activity", "group", "public", "participants", "duration_minutes", "step_free", "comment", "previous_weekday",
    "previous_start", "previous_room",
]  # fmt: skip
MAX_PREFERENCES = 3
MAX_ALTERNATIVES = 3


def _office(actor) -> None:
    if not permissions.is_office(actor):
        raise PermissionDenied


@transaction.atomic
def campaign_save(*, actor, campaign: Campaign | None, values: dict, rooms) -> Campaign:
    _office(actor)
    created = campaign is None
    campaign = campaign or Campaign()
    if not created and campaign.status in (CampaignStatus.VALIDATED, CampaignStatus.PUBLISHED):
        raise ValidationError(_("A validated or published campaign cannot change."))
    for field in CAMPAIGN_FIELDS:
        if field in values:
            setattr(campaign, field, values[field])
    campaign.full_clean()
    if campaign.requests_close_on > campaign.season_end:
        raise ValidationError({"requests_close_on": _("Requests must close before the season ends.")})
    if not rooms:
        raise ValidationError({"rooms": _("Offer at least one room.")})
    campaign.save()
    campaign.rooms.set(rooms)
    audit_log(actor=actor, action=f"rooms.campaign.{'created' if created else 'updated'}", target=campaign)
    return campaign


TRANSITIONS = {
    "open": (CampaignStatus.DRAFT, CampaignStatus.OPEN),
    "close": (CampaignStatus.OPEN, CampaignStatus.REVIEW),
    "reopen": (CampaignStatus.REVIEW, CampaignStatus.OPEN),
}


@transaction.atomic
def campaign_move(*, actor, campaign: Campaign, action: str) -> Campaign:
    """Open a campaign to requests, close its requests (the allocation starts) or reopen them."""
    _office(actor)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if action not in TRANSITIONS or campaign.status != TRANSITIONS[action][0]:
        raise ValidationError(_("This campaign cannot do that in its current state."))
    campaign.status = TRANSITIONS[action][1]
    campaign.save(update_fields=["status"])
    audit_log(actor=actor, action=f"rooms.campaign.{action}", target=campaign)
    return campaign


# Requests ---------------------------------------------------------------------------------------------------


def _minute(value: datetime.time) -> int:
    return value.hour * 60 + value.minute


def _check_options(campaign: Campaign, request: SlotRequest, options: list, equipment) -> list[str]:
    """Refuse options no room of the campaign could ever take (explained), return warnings otherwise."""
    if not any(rank in (1, 2, 3) for rank, *_rest in options):
        raise ValidationError(_("Give at least your first choice of weekly slot."))
    problem = campaign_problem(campaign, only=[])
    data = allocation.RequestData(
        id=0,
        association_id=request.association_id,
        association_name="",
        participants=request.participants,
        duration=request.duration_minutes,
        options=(),
        equipment=frozenset(e.pk for e in equipment),
        step_free=request.step_free,
    )
    errors = []
    for number, (rank, weekday, start, room) in enumerate(options, start=1):
        option = allocation.OptionData(
            id=number, rank=rank, weekday=weekday, start=_minute(start), room_id=room.pk if room else None
        )
        if allocation.candidates(allocation.Problem(rooms=problem.rooms, requests=[replace(data, options=(option,))])):
            continue
        cause = allocation.why_no_candidate(problem, data, option)
        errors.append(reasons.option_label(rank, weekday, _minute(start)) + " : " + reasons.because_text(cause))
    if errors:
        raise ValidationError(errors)
    if request.duration_minutes > 12 * 60:
        raise ValidationError({"duration_minutes": _("A weekly slot lasts 12 hours at most.")})
    return []


def _group_warnings(request: SlotRequest, options: list) -> list[str]:
    """Other requests of the same group whose first choice overlaps this one's: both cannot be granted then."""
    if not request.group.strip():
        return []
    first = next(((weekday, _minute(start)) for rank, weekday, start, _room in options if rank == 1), None)
    warnings = []
    others = SlotRequest.objects.filter(
        campaign=request.campaign,
        association=request.association,
        group__iexact=request.group.strip(),
        status=RequestStatus.SUBMITTED,
    ).exclude(pk=request.pk)
    for other in others.prefetch_related("options"):
        for option in other.options.all():
            if option.rank == 1 and first and option.weekday == first[0]:
                start = option.start_minute
                if start < first[1] + request.duration_minutes and first[1] < start + other.duration_minutes:
                    warnings.append(
                        _(
                            "Your request “%(other)s” for the same group (%(group)s) overlaps this one's first "
                            "choice: the same people cannot be in two places, so at most one of them can get it."
                        )
                        % {"other": other.activity, "group": request.group}
                    )
    return warnings


@transaction.atomic
def request_file(
    *, actor, campaign: Campaign, association: Association, values: dict, equipment=(), options: list
) -> tuple[SlotRequest, list[str]]:
    """File a request: options are (rank, weekday, start time, room or None), rank 1–3 or 0 (alternative).
    Returns the request and warnings (overlaps with the same group's other requests)."""
    if not is_manager(actor, association) and not permissions.is_office(actor):
        raise PermissionDenied
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationError(_("This campaign does not take requests any more."))
    request = SlotRequest(campaign=campaign, association=association, submitted_by=actor)
    for field in REQUEST_FIELDS:
        if field in values:
            setattr(request, field, values[field])
    request.group = request.group.strip()
    if (request.previous_weekday is None) != (request.previous_start is None):
        raise ValidationError(_("Give both the day and the start of last season's slot, or neither."))
    request.full_clean()
    preferences = [o for o in options if o[0] in (1, 2, 3)]
    if len({o[0] for o in preferences}) != len(preferences) or len(preferences) > MAX_PREFERENCES:
        raise ValidationError(_("Rank each of your choices once: first, second, third."))
    if len(options) - len(preferences) > MAX_ALTERNATIVES:
        raise ValidationError(_("Give three acceptable alternatives at most."))
    _check_options(campaign, request, options, equipment)
    request.save()
    request.equipment.set(equipment)
    SlotOption.objects.bulk_create(
        [SlotOption(request=request, rank=rank, weekday=weekday, start=start, room=room)
         for rank, weekday, start, room in sorted(options, key=lambda o: allocation.RANKS.index(o[0]))]
    )  # fmt: skip
    audit_log(actor=actor, action="rooms.request.filed", target=request, data={"campaign": campaign.pk})
    return request, _group_warnings(request, options)


@transaction.atomic
def request_withdraw(*, actor, slot_request: SlotRequest) -> SlotRequest:
    slot_request = SlotRequest.objects.select_for_update().select_related("campaign").get(pk=slot_request.pk)
    if not (
        permissions.is_office(actor)
        or (slot_request.campaign.status == CampaignStatus.OPEN and is_manager(actor, slot_request.association))
    ):
        raise PermissionDenied
    if slot_request.campaign.status in (CampaignStatus.VALIDATED, CampaignStatus.PUBLISHED):
        raise ValidationError(_("The allocation is already validated."))
    slot_request.status = RequestStatus.WITHDRAWN
    slot_request.save(update_fields=["status"])
    audit_log(actor=actor, action="rooms.request.withdrawn", target=slot_request)
    return slot_request


# Staff: pin and forbid ----------------------------------------------------------------------------------------


def _reviewable(campaign_id: int) -> None:
    if Campaign.objects.get(pk=campaign_id).status != CampaignStatus.REVIEW:
        raise ValidationError(_("Pins and exclusions change while the campaign is in review only."))


@transaction.atomic
def request_pin(*, actor, slot_request: SlotRequest, option: SlotOption | None, room: Room | None = None):
    """Force the request onto one of its options (and a room), or unpin it (option None). Takes effect at the
    next run."""
    _office(actor)
    _reviewable(slot_request.campaign_id)
    if option is not None and option.request_id != slot_request.pk:
        raise ValidationError(_("This slot is not one of the request's."))
    if option is not None and option.forbidden:
        raise ValidationError(_("This slot is ruled out: allow it again before pinning it."))
    if room is not None and not slot_request.campaign.rooms.filter(pk=room.pk).exists():
        raise ValidationError(_("This room is not offered in the campaign."))
    slot_request.pinned_option = option
    slot_request.pinned_room = room if option is not None else None
    slot_request.save(update_fields=["pinned_option", "pinned_room"])
    audit_log(
        actor=actor,
        action="rooms.request.pinned" if option else "rooms.request.unpinned",
        target=slot_request,
        data={"option": option.pk if option else None, "room": room.pk if room else None},
    )
    return slot_request


@transaction.atomic
def option_forbid(*, actor, option: SlotOption, forbidden: bool) -> SlotOption:
    """Rule an option out of the allocation (or allow it again). Takes effect at the next run."""
    _office(actor)
    _reviewable(option.request.campaign_id)
    if forbidden and option.request.pinned_option_id == option.pk:
        raise ValidationError(_("This slot is pinned: unpin it before ruling it out."))
    option.forbidden = forbidden
    option.save(update_fields=["forbidden"])
    audit_log(actor=actor, action=f"rooms.option.{'forbidden' if forbidden else 'allowed'}", target=option.request)
    return option


# The optimiser's run ------------------------------------------------------------------------------------------


def _is_small(association: Association, members: int) -> bool:
    return not association.is_employer and association.member_count is not None and association.member_count <= members


def campaign_problem(campaign: Campaign, *, only=None) -> allocation.Problem:
    """The campaign as the optimiser's plain data (only=[]: the rooms alone, to check a request's options)."""
    room_rows = list(campaign.rooms.filter(is_active=True).prefetch_related("equipment"))
    buildings = {room.building_id for room in room_rows}
    closed = closed_days_by_building(buildings, campaign.season_start, campaign.season_end)
    open_weekdays = {}
    for building in buildings:
        days, day = set(), campaign.season_start
        while day <= campaign.season_end and len(days) < 7:
            if day not in closed[building]:
                days.add(day.weekday())
            day += datetime.timedelta(days=1)
        open_weekdays[building] = days
    hours = defaultdict(lambda: defaultdict(list))
    for row in OpeningHours.objects.filter(building_id__in=buildings):
        hours[row.building_id][row.weekday].append((_minute(row.opens), _minute(row.closes)))
    rooms = {
        room.pk: allocation.RoomData(
            id=room.pk,
            name=str(room),
            capacity=room.capacity,
            equipment=frozenset(e.pk for e in room.equipment.all()),
            step_free=room.step_free,
            hours=dict(hours[room.building_id]),
            closed_weekdays=frozenset(set(range(7)) - open_weekdays[room.building_id]),
        )
        for room in room_rows
    }
    requests = []
    if only is None:
        rows = (
            SlotRequest.objects.filter(campaign=campaign, status=RequestStatus.SUBMITTED)
            .select_related("association")
            .prefetch_related("equipment", "options")
            .order_by("created_at", "id")
        )
        for order, request in enumerate(rows):
            association = request.association
            priorities = []
            if request.public == Public.YOUTH:
                priorities.append(allocation.YOUTH)
            if association.qpv_id is not None:
                priorities.append(allocation.QPV)
            if _is_small(association, campaign.small_association_members):
                priorities.append(allocation.SMALL)
            previous = None
            if request.previous_weekday is not None and request.previous_start is not None:
                previous = (request.previous_weekday, _minute(request.previous_start), request.previous_room_id)
            requests.append(
                allocation.RequestData(
                    id=request.pk,
                    association_id=association.pk,
                    association_name=association.name,
                    participants=request.participants,
                    duration=request.duration_minutes,
                    options=tuple(
                        allocation.OptionData(
                            id=o.pk,
                            rank=o.rank,
                            weekday=o.weekday,
                            start=o.start_minute,
                            room_id=o.room_id,
                            forbidden=o.forbidden,
                        )
                        for o in request.options.all()
                    ),
                    group=request.group.strip().casefold(),
                    equipment=frozenset(e.pk for e in request.equipment.all()),
                    step_free=request.step_free,
                    priorities=tuple(priorities),
                    previous=previous,
                    pinned=(request.pinned_option_id, request.pinned_room_id) if request.pinned_option_id else None,
                    order=order,
                )
            )
    return allocation.Problem(
        rooms=rooms,
        requests=requests,
        rank_points={
            1: campaign.weight_rank_1,
            2: campaign.weight_rank_2,
            3: campaign.weight_rank_3,
            0: campaign.weight_alternative,
        },
        bonuses={
            allocation.YOUTH: campaign.bonus_youth,
            allocation.QPV: campaign.bonus_qpv,
            allocation.SMALL: campaign.bonus_small,
        },
        continuity_bonus=campaign.bonus_continuity,
        fairness=campaign.fairness,
    )


@transaction.atomic
def campaign_run_enqueue(*, actor, campaign: Campaign) -> Campaign:
    """Ask for a run of the optimiser (a background task); the campaign page shows its state."""
    from tissu.rooms.tasks import allocation_run_task

    _office(actor)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != CampaignStatus.REVIEW:
        raise ValidationError(_("Close the requests before running the allocation."))
    # A run whose worker died is stale after its time limit and ten minutes: it may be asked for again.
    stale = timezone.now() - datetime.timedelta(seconds=campaign.time_limit_seconds + 600)
    running = campaign.run_state == RunState.QUEUED or (
        campaign.run_state == RunState.RUNNING and campaign.run_started_at and campaign.run_started_at > stale
    )
    if running:
        raise ValidationError(_("The allocation is already running."))
    campaign.run_state = RunState.QUEUED
    campaign.save(update_fields=["run_state"])
    audit_log(actor=actor, action="rooms.campaign.run_requested", target=campaign)
    transaction.on_commit(lambda: allocation_run_task.enqueue(campaign_id=campaign.pk))
    return campaign


def campaign_run(*, campaign_id: int, workers: int = 2) -> Campaign:
    """Run the optimiser and store its proposal (decisions and reasons); idempotent: a run not queued is
    left alone. The proposal is checked by the independent validator before it is stored."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
        if campaign.run_state != RunState.QUEUED or campaign.status != CampaignStatus.REVIEW:
            return campaign
        campaign.run_state = RunState.RUNNING
        campaign.run_started_at = timezone.now()
        campaign.save(update_fields=["run_state", "run_started_at"])
    try:
        problem = campaign_problem(campaign)
        result = allocation.solve(problem, time_limit=campaign.time_limit_seconds, workers=workers)
        rooms, requests = validation.from_campaign(campaign)
        violations = validation.check(rooms=rooms, requests=requests, assignments=result.assignments)
    except Exception:
        # The proposal in place stays; staff see the failure and may run again.
        Campaign.objects.filter(pk=campaign_id).update(
            run_state=RunState.FAILED, run_finished_at=timezone.now(), run_report={"status": "error"}
        )
        raise
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
        report = result.as_report()
        report["requests"] = len(problem.requests)
        report["granted"] = len(result.assignments)
        report["greedy_objective"] = allocation.objective_of(problem, allocation.greedy(problem))
        if violations:
            # Never reached with a correct model; stored so that staff see it, and nothing else is kept.
            report["violations"] = violations[:20]
            campaign.run_state = RunState.FAILED
        else:
            campaign.run_state = RunState.DONE if result.status != "infeasible" else RunState.FAILED
            if result.status != "infeasible":
                _store_proposal(problem, result)
        campaign.run_report = report
        campaign.run_finished_at = timezone.now()
        campaign.save(update_fields=["run_state", "run_report", "run_finished_at"])
    return campaign


def _store_proposal(problem: allocation.Problem, result: allocation.Result) -> None:
    why = allocation.explain(problem, result.assignments)
    rows = list(SlotRequest.objects.filter(pk__in=[r.id for r in problem.requests]))
    for row in rows:
        option_id, room_id = result.assignments.get(row.pk, (None, None))
        row.decision = Decision.ALLOCATED if option_id else Decision.REFUSED
        row.allocated_option_id = option_id
        row.allocated_room_id = room_id
        row.reason = why[row.pk]
    SlotRequest.objects.bulk_update(rows, ["decision", "allocated_option", "allocated_room", "reason"])


@transaction.atomic
def campaign_validate(*, actor, campaign: Campaign) -> Campaign:
    """The commission validates the proposal; refused if it breaks a hard constraint (validator) or is stale."""
    if not permissions.is_commission(actor):
        raise PermissionDenied
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != CampaignStatus.REVIEW or campaign.run_state != RunState.DONE:
        raise ValidationError(_("Run the allocation before validating it."))
    undecided = campaign.requests.filter(status=RequestStatus.SUBMITTED, decision=Decision.NONE).count()
    if undecided:
        raise ValidationError(
            _("%(count)s requests have no decision yet: run the allocation again.") % {"count": undecided}
        )
    violations = validation.check_campaign(campaign)
    if violations:
        raise ValidationError(_("The allocation breaks a hard constraint: %(first)s") % {"first": violations[0]})
    campaign.status = CampaignStatus.VALIDATED
    campaign.validated_at = timezone.now()
    campaign.save(update_fields=["status", "validated_at"])
    audit_log(actor=actor, action="rooms.campaign.validated", target=campaign)
    return campaign


def season_dates(campaign: Campaign, weekday: int, closed: dict) -> list[datetime.date]:
    day = campaign.season_start + datetime.timedelta(days=(weekday - campaign.season_start.weekday()) % 7)
    dates = []
    while day <= campaign.season_end:
        if day not in closed:
            dates.append(day)
        day += datetime.timedelta(days=7)
    return dates


@transaction.atomic
def campaign_publish(*, actor, campaign: Campaign) -> dict:
    """Publish: every allocated weekly slot becomes approved bookings on each open date of the season (dates
    already booked in that room are skipped and counted); associations are notified with their reasons."""
    _office(actor)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != CampaignStatus.VALIDATED:
        raise ValidationError(_("Only a validated allocation can be published."))
    allocated = list(
        campaign.requests.filter(status=RequestStatus.SUBMITTED, decision=Decision.ALLOCATED).select_related(
            "allocated_option", "allocated_room", "association"
        )
    )
    rooms = {r.allocated_room_id for r in allocated}
    building_of = dict(Room.objects.filter(pk__in=rooms).values_list("pk", "building_id"))
    closed = closed_days_by_building(set(building_of.values()), campaign.season_start, campaign.season_end)
    tz = timezone.get_current_timezone()
    season_from = datetime.datetime.combine(campaign.season_start, datetime.time(0), tz)
    season_to = datetime.datetime.combine(campaign.season_end + datetime.timedelta(days=1), datetime.time(0), tz)
    taken = defaultdict(list)
    for room_id, start, end in Booking.objects.filter(
        room_id__in=rooms, status__in=HOLDING, start__lt=season_to, end__gt=season_from
    ).values_list("room_id", "start", "end"):
        taken[room_id].append((start, end))
    bookings, skipped = [], 0
    now = timezone.now()
    for request in allocated:
        option = request.allocated_option
        for day in season_dates(campaign, option.weekday, closed[building_of[request.allocated_room_id]]):
            start = datetime.datetime.combine(day, option.start, tz)
            end = start + datetime.timedelta(minutes=request.duration_minutes)
            if start < now or any(s < end and start < e for s, e in taken[request.allocated_room_id]):
                skipped += 1
                continue
            bookings.append(
                Booking(
                    room_id=request.allocated_room_id,
                    association=request.association,
                    requested_by=actor,
                    purpose=request.activity,
                    attendees=request.participants,
                    start=start,
                    end=end,
                    status=BookingStatus.APPROVED,
                    slot_request=request,
                    decided_at=now,
                )
            )
    Booking.objects.bulk_create(bookings, batch_size=1000)
    campaign.status = CampaignStatus.PUBLISHED
    campaign.published_at = now
    campaign.save(update_fields=["status", "published_at"])
    summary = {"bookings": len(bookings), "skipped": skipped, "requests": len(allocated)}
    audit_log(actor=actor, action="rooms.campaign.published", target=campaign, data=summary)
    by_association = defaultdict(list)
    for request in campaign.requests.filter(status=RequestStatus.SUBMITTED).select_related(
        "association", "allocated_room", "allocated_option"
    ):
        by_association[request.association].append(request)
    transaction.on_commit(
        lambda: [
            emails.campaign_published(campaign=campaign, association=association, requests=requests)
            for association, requests in by_association.items()
        ]
    )
    return summary
