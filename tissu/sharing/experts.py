"""The expert base: people (volunteers, employees on skills sponsorship, retired professionals) and
associations offering skills to associations; requests for help; matching; contact with consent; help given.

Consent: an association sees an expert's headline, areas, formats and availability, never their contact
details, until the expert accepts its request. Then both sides see each other's contacts and write to
each other inside Tissu (each message emailed to the other side). Either side records the help given;
the records stay (without the expert) when the expert withdraws, for the observatory.
Reads, the gateway and the writes of the expert base live here; views in views_experts.py.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tissu.audit.services import audit_log
from tissu.directory.models import MANAGER_ROLES, Association
from tissu.directory.permissions import is_manager
from tissu.sharing import emails
from tissu.sharing.models import (
    ExpertArea,
    ExpertiseArea,
    ExpertKind,
    ExpertProfile,
    HelpContact,
    HelpContactStatus,
    HelpFormat,
    HelpMessage,
    HelpRecord,
    HelpRequest,
    HelpRequestStatus,
)

PROFILE_FIELDS = [
    "kind", "headline", "experience", "offers_advice", "offers_training", "offers_mentoring", "availability",
    "is_available", "contact_email", "contact_phone",
]  # fmt: skip


# --- Gateway -------------------------------------------------------------------------------------------


def managed_association_ids(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(
        Association.objects.filter(memberships__user=user, memberships__role__in=MANAGER_ROLES).values_list(
            "pk", flat=True
        )
    )


def can_browse(user) -> bool:
    """The base is for association managers (who look for help), experts and the office; not public."""
    if not user.is_authenticated:
        return False
    return (
        user.is_associations_office
        or bool(managed_association_ids(user))
        or ExpertProfile.objects.filter(user=user).exists()
    )


def can_manage_expert(user, expert: ExpertProfile) -> bool:
    if not user.is_authenticated:
        return False
    if expert.user_id is not None:
        return expert.user_id == user.pk
    return is_manager(user, expert.association)


def _experts() -> QuerySet[ExpertProfile]:
    return ExpertProfile.objects.select_related("user", "association").prefetch_related("areas")


def get_expert_for_user(user, pk: int, *, write: bool = False) -> ExpertProfile:
    """An expert's public card (no contact details) for those who may browse; write: the expert only."""
    try:
        expert = _experts().get(pk=pk)
    except ExpertProfile.DoesNotExist:
        raise Http404 from None
    manages = can_manage_expert(user, expert)
    if write and not manages:
        raise PermissionDenied
    if not (manages or can_browse(user)):
        raise PermissionDenied
    return expert


def can_manage_request(user, help_request: HelpRequest) -> bool:
    return user.is_authenticated and is_manager(user, help_request.association)


def get_request_for_user(user, pk: int, *, write: bool = False) -> HelpRequest:
    """A request for help: its association's managers and the office; experts see open ones in their areas
    (read only); write: the association's managers."""
    try:
        help_request = HelpRequest.objects.select_related("association", "created_by").get(pk=pk)
    except HelpRequest.DoesNotExist:
        raise Http404 from None
    manages = can_manage_request(user, help_request)
    if write and not manages:
        raise PermissionDenied
    if manages or (user.is_authenticated and user.is_associations_office):
        return help_request
    if (
        user.is_authenticated
        and help_request.status == HelpRequestStatus.OPEN
        and ExpertArea.objects.filter(expert__user=user, area=help_request.area).exists()
    ):
        return help_request
    raise PermissionDenied


def contact_side(user, contact: HelpContact) -> str | None:
    """ "expert", "association" or None: which side of the exchange this person is on."""
    if not user.is_authenticated:
        return None
    if can_manage_expert(user, contact.expert):
        return "expert"
    if is_manager(user, contact.request.association):
        return "association"
    return None


def get_contact_for_user(user, pk: int) -> tuple[HelpContact, str]:
    """The exchange between an association and an expert, for its two sides only (not even the office:
    it is their correspondence); returns the contact and the side."""
    try:
        contact = HelpContact.objects.select_related(
            "request", "request__association", "request__created_by", "expert", "expert__user", "expert__association"
        ).get(pk=pk)
    except HelpContact.DoesNotExist:
        raise Http404 from None
    side = contact_side(user, contact)
    if side is None:
        raise PermissionDenied
    return contact, side


# --- Reads ---------------------------------------------------------------------------------------------


def expert_search(*, area: str = "", help_format: str = "", kind: str = "") -> QuerySet[ExpertProfile]:
    experts = _experts().filter(is_available=True)
    if area:
        experts = experts.filter(areas__area=area)
    if help_format in HelpFormat.values:
        experts = experts.filter(**{f"offers_{help_format}": True})
    if kind:
        experts = experts.filter(kind=kind)
    return experts.order_by("-updated_at", "id")


def profiles_of(user) -> list[ExpertProfile]:
    """The person's own profile and those of the associations they manage."""
    return list(
        _experts()
        .filter(Q(user=user) | Q(association__in=managed_association_ids(user)))
        .order_by("association_id", "id")
    )


def requests_of(user) -> QuerySet[HelpRequest]:
    return (
        HelpRequest.objects.filter(association__in=managed_association_ids(user))
        .select_related("association")
        .annotate(contact_count=Count("contacts"))
        .order_by("-created_at", "-id")
    )


def requests_for_expert(user) -> QuerySet[HelpRequest]:
    """Open requests in the areas of this person's expert profile."""
    areas = ExpertArea.objects.filter(expert__user=user).values("area")
    return (
        HelpRequest.objects.filter(status=HelpRequestStatus.OPEN, area__in=areas)
        .exclude(association__in=managed_association_ids(user))
        .select_related("association")
        .order_by("-created_at", "-id")
    )


def contacts_of(user) -> QuerySet[HelpContact]:
    """Every exchange this person is part of, on either side."""
    ids = managed_association_ids(user)
    return (
        HelpContact.objects.filter(
            Q(expert__user=user) | Q(expert__association__in=ids) | Q(request__association__in=ids)
        )
        .select_related("request", "request__association", "expert", "expert__user", "expert__association")
        .order_by("-created_at", "-id")
    )


def contact_thread(contact: HelpContact) -> dict:
    return {
        "thread": list(contact.messages.select_related("author")),
        "records": list(contact.records.all()),
    }


def help_given(*, since: datetime.date | None = None) -> dict:
    """For the office (and later the observatory): help recorded, by area and by format, and the latest."""
    records = HelpRecord.objects.all()
    if since:
        records = records.filter(day__gte=since)
    by_area = {
        row["area"]: row for row in records.order_by().values("area").annotate(count=Count("pk"), hours=Sum("hours"))
    }
    by_format = {
        row["format"]: row
        for row in records.order_by().values("format").annotate(count=Count("pk"), hours=Sum("hours"))
    }
    totals = records.aggregate(count=Count("pk"), hours=Sum("hours"), associations=Count("association", distinct=True))
    return {
        "areas": [
            (label, by_area.get(value, {}).get("count", 0), by_area.get(value, {}).get("hours") or Decimal(0))
            for value, label in ExpertiseArea.choices
        ],
        "formats": [
            (label, by_format.get(value, {}).get("count", 0), by_format.get(value, {}).get("hours") or Decimal(0))
            for value, label in HelpFormat.choices
        ],
        "totals": {**totals, "hours": totals["hours"] or Decimal(0)},
        "latest": records.select_related("association").order_by("-day", "-id")[:50],
    }


# --- Matching ------------------------------------------------------------------------------------------


@dataclass
class Match:
    expert: ExpertProfile
    score: int
    reasons: list[str] = field(default_factory=list)
    contact: HelpContact | None = None


def match_experts(help_request: HelpRequest, *, limit: int = 20) -> list[Match]:
    """Available experts of the request's area, best first, each with the reasons of its rank in words.

    Points: the area (required); the format asked (+3); has helped this association before (+2); the same
    neighbourhood for an association expert (+1); free of other exchanges in progress (+1). Ties: the most
    recently updated profile first. Experts already asked for this request come with their contact.
    A fixed number of queries, whatever the size of the base.
    """
    association = help_request.association
    label = ExpertiseArea(help_request.area).label
    format_label = HelpFormat(help_request.format).label
    in_progress = Q(
        contacts__status__in=[HelpContactStatus.PROPOSED, HelpContactStatus.ACCEPTED],
        contacts__request__status=HelpRequestStatus.OPEN,
    ) & ~Q(contacts__request=help_request)  # other associations' requests, not this one
    helped_here = Q(contacts__records__association=association)
    candidates = (
        _experts()
        .filter(is_available=True, areas__area=help_request.area)
        .exclude(association=association)
        .exclude(user__in=association.memberships.filter(role__in=MANAGER_ROLES).values("user"))
        .annotate(
            busy=Count("contacts", filter=in_progress, distinct=True),
            helped=Count("contacts__records", filter=helped_here, distinct=True),
        )
        .prefetch_related(
            Prefetch("contacts", queryset=HelpContact.objects.filter(request=help_request), to_attr="this_request")
        )
        .order_by("-updated_at", "id")[:200]
    )
    matches = []
    for expert in candidates:
        reasons = [_("offers %(area)s") % {"area": label}]
        score = 5
        if getattr(expert, f"offers_{help_request.format}"):
            score += 3
            reasons.append(_("gives %(format)s, the format asked") % {"format": format_label})
        else:
            reasons.append(_("does not offer %(format)s") % {"format": format_label})
        if expert.helped:
            score += 2
            reasons.append(_("has already helped %(name)s") % {"name": association.name})
        if (
            expert.association_id
            and association.neighbourhood_id
            and expert.association.neighbourhood_id == association.neighbourhood_id
        ):
            score += 1
            reasons.append(_("in the same neighbourhood"))
        if expert.busy == 0:
            score += 1
            reasons.append(_("not helping another association at the moment"))
        else:
            reasons.append(_("already in %(count)s exchange(s) in progress") % {"count": expert.busy})
        contact = expert.this_request[0] if expert.this_request else None
        matches.append(Match(expert=expert, score=score, reasons=reasons, contact=contact))
    matches.sort(key=lambda match: -match.score)  # stable: ties keep the most recently updated first
    return matches[:limit]


# --- Writes --------------------------------------------------------------------------------------------


def _check_profile(expert: ExpertProfile, areas: list[str]) -> None:
    errors = {}
    if not areas:
        errors["areas"] = _("Choose at least one area.")
    if set(areas) - set(ExpertiseArea.values):
        errors["areas"] = _("Choose areas from the list.")
    if not expert.formats:
        errors["offers_advice"] = _("Offer at least one format: advice, training or mentoring.")
    if expert.association_id and expert.kind != ExpertKind.ASSOCIATION:
        errors["kind"] = _("An association offers skills as an association.")
    if expert.user_id and expert.kind in ("", ExpertKind.ASSOCIATION):
        errors["kind"] = _("Say whether you are a volunteer, an employee or a retired professional.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def expert_save(
    *, actor, values: dict, areas: list[str], association: Association | None = None, expert=None
) -> ExpertProfile:
    """Create (expert=None) or update an expert profile, for the actor or an association they manage."""
    if expert is None:
        if association is not None and not is_manager(actor, association):
            raise PermissionDenied
        owner = {"association": association} if association is not None else {"user": actor}
        if ExpertProfile.objects.filter(**owner).exists():
            raise ValidationError(_("This profile already exists: edit it instead."))
        expert = ExpertProfile(**owner)
        created = True
    else:
        expert = ExpertProfile.objects.select_for_update().get(pk=expert.pk)
        if not can_manage_expert(actor, expert):
            raise PermissionDenied
        created = False
    if expert.association_id:
        values = {**values, "kind": ExpertKind.ASSOCIATION}
    for name in PROFILE_FIELDS:
        if name in values:
            setattr(expert, name, values[name])
    _check_profile(expert, areas)
    expert.full_clean()
    expert.save()
    current = set(expert.areas.values_list("area", flat=True)) if not created else set()
    expert.areas.exclude(area__in=areas).delete()
    ExpertArea.objects.bulk_create([ExpertArea(expert=expert, area=area) for area in set(areas) - current])
    audit_log(
        actor=actor,
        action="sharing.expert.created" if created else "sharing.expert.updated",
        target=expert,
        data={"association": association.pk if association else expert.association_id, "areas": sorted(areas)},
    )
    return expert


@transaction.atomic
def expert_withdraw(*, actor, expert: ExpertProfile) -> None:
    """The expert leaves the base: the profile, its exchanges and messages go; help records stay, anonymous."""
    expert = ExpertProfile.objects.select_for_update().get(pk=expert.pk)
    if not can_manage_expert(actor, expert):
        raise PermissionDenied
    _erase_expert(expert)
    audit_log(actor=actor, action="sharing.expert.withdrawn", target=None, data={"expert": expert.pk})


def _erase_expert(expert: ExpertProfile) -> None:
    HelpRecord.objects.filter(contact__expert=expert).update(note="")
    expert.delete()  # areas, contacts and their messages cascade; records lose their contact (SET_NULL)


@transaction.atomic
def request_create(
    *, actor, association: Association, title: str, description: str, area: str, help_format: str
) -> HelpRequest:
    if not is_manager(actor, association):
        raise PermissionDenied
    help_request = HelpRequest(
        association=association,
        created_by=actor,
        title=title.strip(),
        description=description.strip(),
        area=area,
        format=help_format,
    )
    help_request.full_clean()
    help_request.save()
    audit_log(actor=actor, action="sharing.help_request.created", target=help_request, data={"area": area})
    return help_request


@transaction.atomic
def request_close(*, actor, help_request: HelpRequest) -> HelpRequest:
    current = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
    if not can_manage_request(actor, current):
        raise PermissionDenied
    if current.status == HelpRequestStatus.CLOSED:
        raise ValidationError(_("This request is already closed."))
    current.status = HelpRequestStatus.CLOSED
    current.save(update_fields=["status", "updated_at"])
    audit_log(actor=actor, action="sharing.help_request.closed", target=current)
    return current


@transaction.atomic
def contact_propose(*, actor, help_request: HelpRequest, expert: ExpertProfile, message: str) -> HelpContact:
    """The association asks one expert; the expert is told by email and answers on Tissu."""
    current = HelpRequest.objects.select_for_update().select_related("association").get(pk=help_request.pk)
    if not can_manage_request(actor, current):
        raise PermissionDenied
    if current.status != HelpRequestStatus.OPEN:
        raise ValidationError(_("This request is closed."))
    if not expert.is_available:
        raise ValidationError(_("This expert is not taking new requests at the moment."))
    if expert.association_id == current.association_id or (expert.user_id and expert.user_id == actor.pk):
        raise ValidationError(_("An association cannot ask itself for help."))
    if not expert.areas.filter(area=current.area).exists():
        raise ValidationError(_("This expert does not offer help in this area."))
    if not message.strip():
        raise ValidationError({"message": _("Introduce the association and what you expect.")})
    contact = HelpContact(request=current, expert=expert, proposed_by=actor, message=message.strip())
    try:
        with transaction.atomic():
            contact.save()
    except IntegrityError:
        raise ValidationError(_("This expert was already asked for this request.")) from None
    audit_log(actor=actor, action="sharing.help_contact.proposed", target=contact, data={"expert": expert.pk})
    emails.send_help_proposed(contact=contact)
    return contact


@transaction.atomic
def contact_answer(*, actor, contact: HelpContact, accept: bool) -> HelpContact:
    """The expert accepts (their contact details become visible to the association) or declines."""
    current = (
        HelpContact.objects.select_for_update().select_related("expert", "request__association").get(pk=contact.pk)
    )
    if not can_manage_expert(actor, current.expert):
        raise PermissionDenied
    if current.status != HelpContactStatus.PROPOSED:
        raise ValidationError(_("You already answered this request."))
    current.status = HelpContactStatus.ACCEPTED if accept else HelpContactStatus.DECLINED
    current.answered_at = timezone.now()
    current.save(update_fields=["status", "answered_at"])
    audit_log(actor=actor, action=f"sharing.help_contact.{current.status}", target=current)
    emails.send_help_answered(contact=current)
    return current


@transaction.atomic
def message_post(*, actor, contact: HelpContact, body: str) -> HelpMessage:
    current = HelpContact.objects.select_related("expert", "request__association").get(pk=contact.pk)
    side = contact_side(actor, current)
    if side is None:
        raise PermissionDenied
    if current.status != HelpContactStatus.ACCEPTED:
        raise ValidationError(_("Messages are open once the expert has accepted."))
    if not body.strip():
        raise ValidationError({"body": _("Write a message.")})
    message = HelpMessage(contact=current, author=actor, from_expert=side == "expert", body=body.strip())
    message.save()
    emails.send_help_message(message=message)
    return message


@transaction.atomic
def record_help(
    *, actor, contact: HelpContact, day: datetime.date, hours: Decimal, help_format: str, note: str = ""
) -> HelpRecord:
    """Either side records help given, once the expert has accepted: the observatory counts these."""
    current = HelpContact.objects.select_related("expert", "request__association").get(pk=contact.pk)
    if contact_side(actor, current) is None:
        raise PermissionDenied
    if current.status != HelpContactStatus.ACCEPTED:
        raise ValidationError(_("Help is recorded once the expert has accepted."))
    if day > timezone.localdate():
        raise ValidationError({"day": _("Record help once given, not in advance.")})
    if hours is None or hours <= 0:
        raise ValidationError({"hours": _("Enter the hours given, more than 0.")})
    record = HelpRecord(
        contact=current,
        association=current.request.association,
        area=current.request.area,
        format=help_format,
        expert_kind=current.expert.kind,
        day=day,
        hours=hours,
        note=note.strip(),
        recorded_by=actor,
    )
    record.full_clean()
    record.save()
    audit_log(actor=actor, action="sharing.help.recorded", target=record, data={"hours": str(hours)})
    return record


# --- Personal data -------------------------------------------------------------------------------------


def experts_export(user) -> dict:
    expert = ExpertProfile.objects.filter(user=user).prefetch_related("areas").first()
    return {
        "expert_profile": None
        if expert is None
        else {
            "kind": expert.kind,
            "headline": expert.headline,
            "experience": expert.experience,
            "areas": [area.area for area in expert.areas.all()],
            "formats": expert.formats,
            "availability": expert.availability,
            "contact_email": expert.contact_email,
            "contact_phone": expert.contact_phone,
        },
        "help_messages": [
            {"at": message.created_at.isoformat(), "text": message.body}
            for message in HelpMessage.objects.filter(author=user)
        ],
        "help_requests": [
            {"association": request.association.name, "title": request.title, "text": request.description}
            for request in HelpRequest.objects.filter(created_by=user).select_related("association")
        ],
    }


def experts_erase_for_user(user) -> None:
    """Account deletion: the person's expert profile goes (as a withdrawal); what they wrote for an
    association stays with the association, without them."""
    for expert in ExpertProfile.objects.filter(user=user):
        _erase_expert(expert)
    HelpRequest.objects.filter(created_by=user).update(created_by=None)
    HelpContact.objects.filter(proposed_by=user).update(proposed_by=None)
    HelpMessage.objects.filter(author=user).update(author=None)
    HelpRecord.objects.filter(recorded_by=user).update(recorded_by=None)
