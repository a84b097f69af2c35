"""Every write of volunteering: skills, missions and their states, profiles, applications, messages, hours.

Places are counted under a lock of the mission row (select_for_update): two managers accepting the last
place at the same moment cannot both succeed, and the mission turns full exactly once.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tissu.audit.services import audit_log
from tissu.directory import permissions as directory_permissions
from tissu.directory import search
from tissu.volunteering import emails
from tissu.volunteering.models import (
    ACTIVE_APPLICATION_STATUSES,
    SLOT_CODES,
    Application,
    ApplicationMessage,
    ApplicationStatus,
    DeclineReason,
    HoursStatus,
    Invitation,
    InvitationStatus,
    Mission,
    MissionSlot,
    MissionStatus,
    MissionType,
    Public,
    Skill,
    VolunteerHours,
    VolunteerProfile,
)

# --- Skills (the associations office's list) ---------------------------------------------------------


def _skill_slug(name: str, *, exclude_pk=None) -> str:
    base = slugify(name)[:110] or "competence"
    candidate, number = base, 1
    while Skill.objects.filter(slug=candidate).exclude(pk=exclude_pk).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


@transaction.atomic
def skill_create(*, actor, name: str) -> Skill:
    skill = Skill(name=name.strip(), slug=_skill_slug(name))
    skill.full_clean()
    skill.save()
    audit_log(actor=actor, action="volunteering.skill.created", target=skill)
    return skill


@transaction.atomic
def skill_update(*, actor, skill: Skill, name: str) -> Skill:
    skill = Skill.objects.select_for_update().get(pk=skill.pk)
    before = skill.name
    skill.name = name.strip()
    if skill.name == before:
        return skill
    skill.slug = _skill_slug(skill.name, exclude_pk=skill.pk)
    skill.full_clean()
    skill.save(update_fields=["name", "slug"])
    audit_log(actor=actor, action="volunteering.skill.updated", target=skill, data={"before": before})
    return skill


@transaction.atomic
def skill_delete(*, actor, skill: Skill) -> None:
    used = skill.missions.count() + skill.volunteers.count()
    if used:
        raise ValidationError(
            _("“%(name)s” is used by missions or volunteers: it can be renamed but not deleted.") % {"name": skill}
        )
    audit_log(actor=actor, action="volunteering.skill.deleted", target=skill, data={"name": skill.name})
    skill.delete()


# --- Missions ----------------------------------------------------------------------------------------

MISSION_FIELDS = [
    "title", "description", "mission_type", "board_role", "rhythm", "schedule", "commitment_hours",
    "commitment_period", "places", "is_remote", "address", "neighbourhood", "publics", "prerequisites",
    "motivation_required", "starts_on", "ends_on",
]  # fmt: skip
EDITABLE_STATUSES = [MissionStatus.DRAFT, MissionStatus.PENDING_REVIEW, MissionStatus.PUBLISHED, MissionStatus.FULL]


def _check_mission(mission: Mission, slots: list[tuple[datetime.datetime, datetime.datetime]]) -> None:
    errors = {}
    if mission.mission_type == MissionType.ONE_OFF and not slots:
        errors["slots"] = _("A one-off mission needs at least one dated slot.")
    if mission.mission_type == MissionType.BOARD and not mission.board_role:
        errors["board_role"] = _("Say which board role this mission renews.")
    if mission.mission_type != MissionType.BOARD and mission.board_role:
        mission.board_role = ""
    if not mission.is_remote and not (mission.address or mission.neighbourhood_id):
        errors["address"] = _("Give the place of the mission, or say it can be done remotely.")
    if mission.starts_on and mission.ends_on and mission.ends_on < mission.starts_on:
        errors["ends_on"] = _("The end date comes before the start date.")
    unknown = [code for code in mission.schedule.split() if code not in SLOT_CODES]
    unknown += [code for code in mission.publics.split() if code not in Public.values]
    if unknown:
        raise ValueError(f"unknown codes: {unknown}")
    for starts_at, ends_at in slots:
        if ends_at <= starts_at:
            errors["slots"] = _("Each slot must end after it starts.")
    if errors:
        raise ValidationError(errors)


def _search_text(mission: Mission, skills) -> str:
    return search.search_text(
        mission.title, mission.description, " ".join(skill.name for skill in skills), mission.association.name
    )


def _replace_slots(mission: Mission, slots: list[tuple[datetime.datetime, datetime.datetime]]) -> None:
    wanted = set(slots)
    for slot in list(mission.slots.all()):
        key = (slot.starts_at, slot.ends_at)
        if key in wanted:
            wanted.discard(key)
            continue
        if Application.objects.filter(slot=slot).exists():
            raise ValidationError(
                {"slots": _("A slot volunteers applied to cannot be removed: close the mission instead.")}
            )
        slot.delete()
    for starts_at, ends_at in sorted(wanted):
        MissionSlot.objects.create(mission=mission, starts_at=starts_at, ends_at=ends_at)


@transaction.atomic
def mission_save(
    *, actor, association, values: dict, skills=(), causes=(), slots=(), mission: Mission | None = None
) -> Mission:
    """Create a draft (mission=None) or change a mission still open; slots are the one-off mission's dates."""
    slots = list(slots)
    if mission is None:
        mission = Mission(association=association, created_by=actor)
    else:
        mission = Mission.objects.select_for_update().select_related("association").get(pk=mission.pk)
        if mission.status not in EDITABLE_STATUSES:
            raise ValidationError(_("A closed or expired mission cannot be changed."))
    for field in MISSION_FIELDS:
        if field in values:
            value = values[field]
            setattr(mission, field, value.strip() if isinstance(value, str) else value)
    if mission.mission_type != MissionType.ONE_OFF:
        slots = []
    _check_mission(mission, slots)
    if slots and not values.get("ends_on"):
        mission.ends_on = timezone.localtime(max(end for _start, end in slots)).date()
        mission.starts_on = mission.starts_on or timezone.localtime(min(start for start, _end in slots)).date()
    mission.search_text = _search_text(mission, skills)
    mission.full_clean(exclude=["search_text"])
    created = mission.pk is None
    mission.save()
    mission.skills.set(skills)
    mission.causes.set(causes)
    _replace_slots(mission, slots)
    audit_log(actor=actor, action=f"volunteering.mission.{'created' if created else 'updated'}", target=mission)
    return mission


def _set_status(mission: Mission, status: str, *extra_fields: str) -> None:
    mission.status = status
    mission.save(update_fields=["status", "updated_at", *extra_fields])


@transaction.atomic
def mission_submit(*, actor, mission: Mission) -> Mission:
    """A draft goes to review when the city moderates missions, else straight to publication."""
    mission = Mission.objects.select_for_update().select_related("association").get(pk=mission.pk)
    if mission.status != MissionStatus.DRAFT:
        raise ValidationError(_("Only a draft can be submitted."))
    if settings.VOLUNTEERING_MODERATION and not actor.is_associations_office:
        _set_status(mission, MissionStatus.PENDING_REVIEW)
        emails.send_mission_to_review(mission=mission)
    else:
        mission.published_at = timezone.now()
        _set_status(mission, _open_status(mission), "published_at")
    audit_log(actor=actor, action="volunteering.mission.submitted", target=mission, data={"status": mission.status})
    return mission


@transaction.atomic
def mission_review(*, actor, mission: Mission, approve: bool, note: str = "") -> Mission:
    if not actor.is_associations_office:
        raise PermissionDenied
    mission = Mission.objects.select_for_update().select_related("association").get(pk=mission.pk)
    if mission.status != MissionStatus.PENDING_REVIEW:
        raise ValidationError(_("This mission is not waiting for review."))
    if approve:
        mission.published_at = timezone.now()
        mission.review_note = ""
        _set_status(mission, _open_status(mission), "published_at", "review_note")
    else:
        if not note.strip():
            raise ValidationError({"note": _("Tell the association what to change.")})
        mission.review_note = note.strip()
        _set_status(mission, MissionStatus.DRAFT, "review_note")
    emails.send_mission_reviewed(mission=mission, approved=approve)
    audit_log(actor=actor, action="volunteering.mission.reviewed", target=mission, data={"approved": approve})
    return mission


@transaction.atomic
def mission_close(*, actor, mission: Mission) -> Mission:
    """Close a mission: pending applications are cancelled and their volunteers told."""
    mission = Mission.objects.select_for_update().select_related("association").get(pk=mission.pk)
    if mission.status in (MissionStatus.CLOSED, MissionStatus.EXPIRED):
        return mission
    _set_status(mission, MissionStatus.CLOSED)
    pending = mission.applications.filter(
        status__in=[ApplicationStatus.NEW, ApplicationStatus.DISCUSSING, ApplicationStatus.WAITLISTED]
    ).select_related("volunteer", "mission__association")
    for application in pending:
        _set_application_status(application, ApplicationStatus.CANCELLED)
        emails.send_application_updated(application=application)
    audit_log(actor=actor, action="volunteering.mission.closed", target=mission)
    return mission


@transaction.atomic
def mission_reopen(*, actor, mission: Mission) -> Mission:
    """A closed or expired mission goes back to draft, to be dated again and submitted."""
    mission = Mission.objects.select_for_update().get(pk=mission.pk)
    if mission.status not in (MissionStatus.CLOSED, MissionStatus.EXPIRED):
        raise ValidationError(_("Only a closed or expired mission can be reopened."))
    _set_status(mission, MissionStatus.DRAFT)
    audit_log(actor=actor, action="volunteering.mission.reopened", target=mission)
    return mission


def missions_expire(*, today: datetime.date | None = None) -> int:
    """Open missions whose end date has passed become expired. Idempotent: run it daily."""
    today = today or timezone.localdate()
    return Mission.objects.filter(status__in=[MissionStatus.PUBLISHED, MissionStatus.FULL], ends_on__lt=today).update(
        status=MissionStatus.EXPIRED, updated_at=timezone.now()
    )


def _accepted_count(mission: Mission) -> int:
    return mission.applications.filter(status=ApplicationStatus.ACCEPTED).count()


def _open_status(mission: Mission) -> str:
    return MissionStatus.FULL if _accepted_count(mission) >= mission.places else MissionStatus.PUBLISHED


# --- Volunteer profile -------------------------------------------------------------------------------

PROFILE_FIELDS = [
    "availability", "neighbourhood", "languages", "phone", "presentation", "contact_opt_in", "is_minor",
    "parental_consent",
]  # fmt: skip


@transaction.atomic
def volunteer_profile_save(*, user, values: dict, skills=(), interests=()) -> VolunteerProfile:
    profile, _created = VolunteerProfile.objects.select_for_update().get_or_create(user=user)
    for field in PROFILE_FIELDS:
        if field in values:
            value = values[field]
            setattr(profile, field, value.strip() if isinstance(value, str) else value)
    if [code for code in profile.availability.split() if code not in SLOT_CODES]:
        raise ValueError("unknown availability code")
    if not profile.is_minor:
        profile.parental_consent = False
    profile.full_clean()
    profile.save()
    profile.skills.set(skills)
    profile.interests.set(interests)
    return profile


# --- Applications ------------------------------------------------------------------------------------


def _set_application_status(application: Application, status: str, *extra_fields: str) -> None:
    application.status = status
    application.status_changed_at = timezone.now()
    application.save(update_fields=["status", "status_changed_at", *extra_fields])


@transaction.atomic
def application_create(
    *, volunteer, mission: Mission, message: str = "", slot: MissionSlot | None = None
) -> Application:
    """Apply to a mission. A full mission puts the candidate on its waiting list."""
    mission = Mission.objects.select_for_update().select_related("association").get(pk=mission.pk)
    if mission.status not in (MissionStatus.PUBLISHED, MissionStatus.FULL):
        raise ValidationError(_("This mission does not take applications any more."))
    if Application.objects.filter(
        mission=mission, volunteer=volunteer, status__in=ACTIVE_APPLICATION_STATUSES
    ).exists():
        raise ValidationError(_("You have already applied to this mission."))
    message = message.strip()
    if mission.motivation_required and not message:
        raise ValidationError({"message": _("This association asks for a few words of motivation.")})
    if mission.mission_type == MissionType.ONE_OFF:
        if slot is None or slot.mission_id != mission.pk:
            raise ValidationError({"slot": _("Choose one of the mission's dates.")})
        if slot.starts_at <= timezone.now():
            raise ValidationError({"slot": _("This date has passed: choose another one.")})
    else:
        slot = None
    profile = VolunteerProfile.objects.filter(user=volunteer).first()
    if profile is not None and profile.is_minor:
        if Public.MINORS not in mission.public_codes:
            raise ValidationError(_("This mission is open to adults only."))
        if not profile.parental_consent:
            raise ValidationError(
                _("A volunteer under 18 needs their parents' consent: tick it in your volunteer profile first.")
            )
    status = ApplicationStatus.WAITLISTED if mission.status == MissionStatus.FULL else ApplicationStatus.NEW
    application = Application(mission=mission, volunteer=volunteer, message=message, slot=slot, status=status)
    application.full_clean(exclude=["volunteer", "mission"])
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise ValidationError(_("You have already applied to this mission.")) from None
    emails.send_application_received(application=application)
    Invitation.objects.filter(mission=mission, volunteer=volunteer, status=InvitationStatus.PENDING).update(
        status=InvitationStatus.APPLIED, answered_at=timezone.now()
    )
    return application


# Invitations: an association invites a suggested volunteer to apply


@transaction.atomic
def invitation_send(*, actor, mission: Mission, volunteer, message: str = "") -> Invitation:
    """Invite a volunteer who opted in to apply. Refused for a closed mission, someone who did not opt in (or is
    under 18 when the mission is for adults), who already applied, or was already invited to this mission."""
    _require_manager(actor, mission)
    mission = Mission.objects.select_for_update().get(pk=mission.pk)
    if mission.status != MissionStatus.PUBLISHED:
        raise ValidationError(_("Only a published mission with places left can be offered to volunteers."))
    profile = VolunteerProfile.objects.filter(user=volunteer, user__is_active=True, contact_opt_in=True).first()
    if profile is None:
        raise ValidationError(_("This person does not accept suggestions of missions."))
    if profile.is_minor and Public.MINORS not in mission.public_codes:
        raise ValidationError(_("This mission is open to adults only."))
    if Application.objects.filter(mission=mission, volunteer=volunteer).exists():
        raise ValidationError(_("This person has already applied to this mission."))
    invitation = Invitation(mission=mission, volunteer=volunteer, invited_by=actor, message=message.strip())
    invitation.full_clean(exclude=["mission", "volunteer", "invited_by"])
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:
        raise ValidationError(_("This person was already invited to this mission.")) from None
    audit_log(actor=actor, action="volunteering.invitation.sent", target=invitation, data={"mission": mission.pk})
    emails.send_invitation(invitation=invitation)
    return invitation


@transaction.atomic
def invitation_decline(*, user, invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.volunteer_id != user.pk:
        raise PermissionDenied
    if invitation.status != InvitationStatus.PENDING:
        raise ValidationError(_("You have already answered this invitation."))
    invitation.status = InvitationStatus.DECLINED
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_at"])
    return invitation


def _lock(application: Application) -> tuple[Application, Mission]:
    """Lock the mission first (always in this order), then re-read the application."""
    mission = Mission.objects.select_for_update().select_related("association").get(pk=application.mission_id)
    application = Application.objects.select_for_update().select_related("volunteer").get(pk=application.pk)
    application.mission = mission
    return application, mission


def _require_manager(actor, mission: Mission) -> None:
    if not directory_permissions.is_manager(actor, mission.association):
        raise PermissionDenied


def _mark_answered(application: Application) -> list[str]:
    if application.responded_at is None:
        application.responded_at = timezone.now()
        return ["responded_at"]
    return []


@transaction.atomic
def application_discuss(*, actor, application: Application) -> Application:
    application, mission = _lock(application)
    _require_manager(actor, mission)
    if application.status != ApplicationStatus.NEW:
        raise ValidationError(_("Only a new application can move to discussion."))
    _set_application_status(application, ApplicationStatus.DISCUSSING, *_mark_answered(application))
    emails.send_application_updated(application=application)
    return application


@transaction.atomic
def application_accept(*, actor, application: Application) -> Application:
    application, mission = _lock(application)
    _require_manager(actor, mission)
    if application.status not in (ApplicationStatus.NEW, ApplicationStatus.DISCUSSING, ApplicationStatus.WAITLISTED):
        raise ValidationError(_("This application cannot be accepted in its current state."))
    if mission.status not in (MissionStatus.PUBLISHED, MissionStatus.FULL):
        raise ValidationError(_("This mission is no longer open."))
    if _accepted_count(mission) >= mission.places:
        raise ValidationError(_("Every place of this mission is taken: decline or keep the candidate waiting."))
    _set_application_status(application, ApplicationStatus.ACCEPTED, *_mark_answered(application))
    if _accepted_count(mission) >= mission.places and mission.status != MissionStatus.FULL:
        _set_status(mission, MissionStatus.FULL)
    audit_log(actor=actor, action="volunteering.application.accepted", target=application)
    emails.send_application_updated(application=application)
    return application


@transaction.atomic
def application_decline(*, actor, application: Application, reason: str) -> Application:
    application, mission = _lock(application)
    _require_manager(actor, mission)
    if reason not in DeclineReason.values:
        raise ValidationError({"reason": _("Choose a reason from the list.")})
    if application.status not in (ApplicationStatus.NEW, ApplicationStatus.DISCUSSING, ApplicationStatus.WAITLISTED):
        raise ValidationError(_("This application cannot be declined in its current state."))
    application.decline_reason = reason
    _set_application_status(application, ApplicationStatus.DECLINED, "decline_reason", *_mark_answered(application))
    audit_log(actor=actor, action="volunteering.application.declined", target=application, data={"reason": reason})
    emails.send_application_updated(application=application)
    return application


@transaction.atomic
def application_cancel(*, actor, application: Application) -> Application:
    """The association cancels an accepted volunteer's participation: the place is freed."""
    application, mission = _lock(application)
    _require_manager(actor, mission)
    if application.status != ApplicationStatus.ACCEPTED:
        raise ValidationError(_("Only an accepted application can be cancelled."))
    _set_application_status(application, ApplicationStatus.CANCELLED)
    _free_place(mission)
    audit_log(actor=actor, action="volunteering.application.cancelled", target=application)
    emails.send_application_updated(application=application)
    return application


@transaction.atomic
def application_withdraw(*, volunteer, application: Application) -> Application:
    application, mission = _lock(application)
    if application.volunteer_id != volunteer.pk:
        raise PermissionDenied
    if not application.is_active:
        raise ValidationError(_("This application is already over."))
    was_accepted = application.status == ApplicationStatus.ACCEPTED
    _set_application_status(application, ApplicationStatus.WITHDRAWN)
    if was_accepted:
        _free_place(mission)
    emails.send_application_withdrawn(application=application)
    return application


def _free_place(mission: Mission) -> None:
    """A place was freed (the mission row is locked): reopen a full mission, the first candidate waiting moves up."""
    if mission.status != MissionStatus.FULL or _accepted_count(mission) >= mission.places:
        return
    _set_status(mission, MissionStatus.PUBLISHED)
    waiting = (
        mission.applications.filter(status=ApplicationStatus.WAITLISTED)
        .select_related("volunteer", "mission__association")
        .order_by("created_at", "id")
        .first()
    )
    if waiting is not None:
        _set_application_status(waiting, ApplicationStatus.NEW)
        emails.send_application_updated(application=waiting)


@transaction.atomic
def message_send(*, author, application: Application, body: str) -> ApplicationMessage:
    """A message in the application's thread; only its volunteer and the association's managers write there."""
    application, mission = _lock(application)
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")})
    if application.volunteer_id == author.pk:
        from_association = False
    elif directory_permissions.is_manager(author, mission.association):
        from_association = True
    else:
        raise PermissionDenied
    if application.status in (ApplicationStatus.WITHDRAWN, ApplicationStatus.CANCELLED):
        raise ValidationError(_("This application is over: messages are closed."))
    message = ApplicationMessage(application=application, author=author, from_association=from_association, body=body)
    message.full_clean()
    message.save()
    if from_association:
        fields = _mark_answered(application)
        if application.status == ApplicationStatus.NEW:
            _set_application_status(application, ApplicationStatus.DISCUSSING, *fields)
        elif fields:
            application.save(update_fields=fields)
    emails.send_message_received(message=message, application=application)
    return message


def applications_remind(*, now: datetime.datetime | None = None, after_days: int | None = None) -> int:
    """Remind managers of applications left unanswered; each application is recalled once. Idempotent."""
    now = now or timezone.now()
    after_days = settings.VOLUNTEERING_REMINDER_DAYS if after_days is None else after_days
    stale = (
        Application.objects.filter(
            status=ApplicationStatus.NEW,
            responded_at__isnull=True,
            reminded_at__isnull=True,
            created_at__lte=now - datetime.timedelta(days=after_days),
            mission__status__in=[MissionStatus.PUBLISHED, MissionStatus.FULL],
        )
        .select_related("mission", "mission__association")
        .order_by("mission_id", "created_at")
    )
    by_mission: dict[int, list[Application]] = {}
    for application in stale:
        by_mission.setdefault(application.mission_id, []).append(application)
    reminded = 0
    for applications in by_mission.values():
        with transaction.atomic():
            ids = [application.pk for application in applications]
            updated = Application.objects.filter(pk__in=ids, reminded_at__isnull=True).update(reminded_at=now)
            if updated:
                emails.send_applications_reminder(mission=applications[0].mission, applications=applications)
                reminded += updated
    return reminded


# --- Hours -------------------------------------------------------------------------------------------


@transaction.atomic
def hours_declare(
    *, volunteer, application: Application, day: datetime.date, hours: Decimal, note: str = ""
) -> VolunteerHours:
    application, _mission = _lock(application)
    if application.volunteer_id != volunteer.pk:
        raise PermissionDenied
    if application.status != ApplicationStatus.ACCEPTED:
        raise ValidationError(_("Hours can only be declared on a mission you were accepted on."))
    if day > timezone.localdate():
        raise ValidationError({"day": _("Hours are declared once done, not in advance.")})
    entry = VolunteerHours(application=application, day=day, hours=hours, note=note.strip())
    entry.full_clean()
    entry.save()
    emails.send_hours_declared(entry=entry, application=application)
    return entry


@transaction.atomic
def hours_decide(*, actor, entry: VolunteerHours, confirm: bool) -> VolunteerHours:
    entry = (
        VolunteerHours.objects.select_for_update().select_related("application__mission__association").get(pk=entry.pk)
    )
    _require_manager(actor, entry.application.mission)
    if entry.status != HoursStatus.DECLARED:
        raise ValidationError(_("These hours were already answered."))
    entry.status = HoursStatus.CONFIRMED if confirm else HoursStatus.REFUSED
    entry.decided_by = actor
    entry.decided_at = timezone.now()
    entry.save(update_fields=["status", "decided_by", "decided_at"])
    audit_log(actor=actor, action="volunteering.hours.decided", target=entry, data={"confirmed": confirm})
    return entry


# --- Personal data -----------------------------------------------------------------------------------


def volunteer_erase(user) -> None:
    """Account deletion: the profile goes; active applications are withdrawn (freeing places), then every
    application of the person is deleted with its messages and hours: nothing about them stays with associations."""
    for application in Application.objects.filter(volunteer=user, status__in=ACTIVE_APPLICATION_STATUSES):
        application, mission = _lock(application)
        was_accepted = application.status == ApplicationStatus.ACCEPTED
        _set_application_status(application, ApplicationStatus.WITHDRAWN)
        if was_accepted:
            _free_place(mission)
    Application.objects.filter(volunteer=user).delete()
    Invitation.objects.filter(volunteer=user).delete()
    VolunteerProfile.objects.filter(user=user).delete()
