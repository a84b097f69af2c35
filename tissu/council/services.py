"""Every write of the council module.

Elections: the office creates an election (calendar and tie-break rule, fixed before the vote), associations
submit candidacies during the candidacy period, the office publishes the electoral roll before voting opens,
each association's designated representative casts one ballot during the voting period, the office counts
once voting closed. See models.py for how the secrecy of the vote is kept, and tally.py for the rule.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tissu.audit.services import audit_log
from tissu.council import emails, permissions, selectors, tally
from tissu.council.models import (
    ActionItem,
    Attendance,
    Ballot,
    BallotChoice,
    Candidacy,
    CandidacyResult,
    CandidacyStatus,
    College,
    CollegeOverride,
    CollegeResult,
    CollegeTheme,
    Consultation,
    CouncilSettings,
    Document,
    Election,
    GroupMessage,
    ItemStatus,
    Meeting,
    MeetingItem,
    MeetingKind,
    MinutesStatus,
    Participation,
    Phase,
    RollEntry,
    VotingRepresentative,
    WorkingGroup,
    WorkingGroupMember,
)
from tissu.directory.models import Association, Membership, Theme
from tissu.directory.permissions import is_manager

# ---------------------------------------------------------------------------------------------------------
# Configuration


@transaction.atomic
def council_settings_update(*, actor, name: str, mandate_years: int, rules: str) -> CouncilSettings:
    permissions.require_office(actor)
    settings = selectors.council_settings()
    settings.name, settings.mandate_years, settings.rules = name, mandate_years, rules
    if mandate_years < 1:
        raise ValidationError({"mandate_years": _("A mandate lasts at least one year.")})
    settings.full_clean()
    settings.save(update_fields=["name", "mandate_years", "rules", "updated_at"])
    audit_log(actor=actor, action="council.settings.updated", target=settings)
    return settings


@transaction.atomic
def college_save(
    *, actor, college: College | None, name: str, seats: int, substitute_seats: int, position: int, themes: list[Theme]
) -> College:
    """Create or change a college and the theme families that place associations in it."""
    permissions.require_office(actor)
    if college is not None:
        college = College.objects.select_for_update().get(pk=college.pk)
        if RollEntry.objects.filter(college=college, election__counted_at__isnull=True).exists() and (
            seats != college.seats or substitute_seats != college.substitute_seats
        ):
            raise ValidationError(_("An election with a published roll is under way: its seats cannot change now."))
    else:
        college = College()
    if seats < 1:
        raise ValidationError({"seats": _("A college has at least one seat.")})
    college.name, college.seats, college.substitute_seats, college.position = name, seats, substitute_seats, position
    college.full_clean()
    college.save()
    taken = CollegeTheme.objects.filter(theme__in=themes).exclude(college=college).select_related("college")
    if taken:
        raise ValidationError(
            {
                "themes": _("Already in another college: %(themes)s.")
                % {"themes": ", ".join(f"{link.theme_id} ({link.college.name})" for link in taken)}
            }
        )
    CollegeTheme.objects.filter(college=college).exclude(theme__in=themes).delete()
    existing = set(CollegeTheme.objects.filter(college=college).values_list("theme_id", flat=True))
    CollegeTheme.objects.bulk_create(
        [CollegeTheme(college=college, theme=theme) for theme in themes if theme.pk not in existing]
    )
    audit_log(
        actor=actor,
        action="council.college.saved",
        target=college,
        data={"seats": seats, "substitute_seats": substitute_seats, "themes": sorted(t.pk for t in themes)},
    )
    return college


@transaction.atomic
def college_override_set(*, actor, association: Association, college: College | None, reason: str = "") -> None:
    """Place an association in a college whatever its themes (None: back to its themes' college)."""
    permissions.require_office(actor)
    if college is None:
        CollegeOverride.objects.filter(association=association).delete()
    else:
        CollegeOverride.objects.update_or_create(
            association=association, defaults={"college": college, "reason": reason}
        )
    audit_log(
        actor=actor,
        action="council.college.override_set",
        target=association,
        data={"college": college.pk if college else None},
    )


@transaction.atomic
def voting_representative_designate(*, actor, association: Association, user) -> VotingRepresentative:
    """The association's managers name who votes for it: one of its members."""
    if not is_manager(actor, association):
        raise PermissionDenied
    if not Membership.objects.filter(association=association, user=user).exists():
        raise ValidationError({"user": _("The representative must be a member of the association in Tissu.")})
    representative, _created = VotingRepresentative.objects.update_or_create(
        association=association,
        defaults={"user": user, "designated_by": actor, "designated_at": timezone.now()},
    )
    audit_log(
        actor=actor,
        action="council.representative.designated",
        target=association,
        data={"user": user.pk},
    )
    return representative


# ---------------------------------------------------------------------------------------------------------
# Elections

ELECTION_FIELDS = [
    "title", "candidacy_opens_at", "candidacy_closes_at", "voting_opens_at", "voting_closes_at",
    "mandate_starts_on", "mandate_ends_on", "tie_break",
]  # fmt: skip
LOCKED_ONCE_VOTING = {"voting_opens_at", "voting_closes_at", "tie_break", "candidacy_opens_at", "candidacy_closes_at"}


def check_calendar(election: Election) -> None:
    errors = {}
    if election.candidacy_closes_at <= election.candidacy_opens_at:
        errors["candidacy_closes_at"] = _("Candidacies must close after they open.")
    if election.voting_opens_at < election.candidacy_closes_at:
        errors["voting_opens_at"] = _("Voting opens after the candidacy period (the campaign runs in between).")
    if election.voting_closes_at <= election.voting_opens_at:
        errors["voting_closes_at"] = _("Voting must close after it opens.")
    if election.mandate_ends_on <= election.mandate_starts_on:
        errors["mandate_ends_on"] = _("The mandate must end after it starts.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def election_create(*, actor, values: dict) -> Election:
    permissions.require_office(actor)
    election = Election(**{field: values[field] for field in ELECTION_FIELDS})
    check_calendar(election)
    election.full_clean()
    election.save()
    audit_log(
        actor=actor,
        action="council.election.created",
        target=election,
        data={"tie_break": election.tie_break, "seed": election.tie_break_seed},
    )
    return election


@transaction.atomic
def election_update(*, actor, election: Election, values: dict) -> Election:
    permissions.require_office(actor)
    current = Election.objects.select_for_update().get(pk=election.pk)
    changed = [field for field in ELECTION_FIELDS if field in values and getattr(current, field) != values[field]]
    started = current.phase() in (Phase.VOTING, Phase.CLOSED, Phase.COUNTED) or current.roll_published_at
    if started and set(changed) & LOCKED_ONCE_VOTING:
        raise ValidationError(
            _("The roll is published or voting has opened: the calendar and the tie-break rule cannot change.")
        )
    for field in changed:
        setattr(current, field, values[field])
    check_calendar(current)
    current.full_clean()
    if changed:
        current.save(update_fields=changed)
        audit_log(actor=actor, action="council.election.updated", target=current, data={"fields": sorted(changed)})
    return current


@transaction.atomic
def candidacy_submit(
    *, actor, election: Election, association: Association, representative, statement: str
) -> Candidacy:
    """An association stands in its college, during the candidacy period, naming its representative."""
    if not is_manager(actor, association):
        raise PermissionDenied
    if election.phase() != Phase.CANDIDACY:
        raise ValidationError(_("Candidacies are not open for this election."))
    if not selectors.is_eligible(association):
        raise ValidationError(
            _("Only associations verified by the city and active in the national register may stand.")
        )
    college = selectors.college_of(association)
    if college is None:
        raise ValidationError(
            _("%(name)s is in no college yet: ask the associations office to place it.") % {"name": association.name}
        )
    if not Membership.objects.filter(association=association, user=representative).exists():
        raise ValidationError({"representative": _("The representative must be a member of the association.")})
    if not statement.strip():
        raise ValidationError({"statement": _("Say in a few lines why your association stands.")})
    candidacy = Candidacy(
        election=election,
        association=association,
        college=college,
        representative=representative,
        representative_name=representative.full_name,
        statement=statement,
    )
    candidacy.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            candidacy.save()
    except IntegrityError:
        raise ValidationError(_("%(name)s already stands in this election.") % {"name": association.name}) from None
    audit_log(
        actor=actor,
        action="council.candidacy.submitted",
        target=candidacy,
        data={"election": election.pk, "association": association.pk, "college": college.pk},
    )
    return candidacy


@transaction.atomic
def candidacy_withdraw(*, actor, candidacy: Candidacy) -> Candidacy:
    current = Candidacy.objects.select_for_update().select_related("election", "association").get(pk=candidacy.pk)
    if not is_manager(actor, current.association):
        raise PermissionDenied
    if current.election.phase() != Phase.CANDIDACY:
        raise ValidationError(_("A candidacy can only be withdrawn while candidacies are open."))
    if current.status != CandidacyStatus.SUBMITTED:
        raise ValidationError(_("This candidacy was already withdrawn."))
    current.status = CandidacyStatus.WITHDRAWN
    current.save(update_fields=["status"])
    audit_log(actor=actor, action="council.candidacy.withdrawn", target=current, data={"election": current.election_id})
    return current


@transaction.atomic
def roll_publish(*, actor, election: Election) -> int:
    """Write the electoral roll: every eligible association placed in a college. Once, before voting opens."""
    permissions.require_office(actor)
    current = Election.objects.select_for_update().get(pk=election.pk)
    if current.roll_published_at is not None:
        raise ValidationError(_("The electoral roll is already published."))
    if current.phase() not in (Phase.CANDIDACY, Phase.CAMPAIGN, Phase.UPCOMING):
        raise ValidationError(_("The electoral roll must be published before voting opens."))
    placement = selectors.Placement()
    entries = []
    for association in selectors.eligible_associations().only("id", "family_1", "family_2").iterator():
        college_id = placement.college_id(association)
        if college_id is not None:
            entries.append(RollEntry(election=current, association_id=association.pk, college_id=college_id))
    RollEntry.objects.bulk_create(entries, batch_size=1000)
    current.roll_published_at = timezone.now()
    current.save(update_fields=["roll_published_at"])
    audit_log(actor=actor, action="council.roll.published", target=current, data={"entries": len(entries)})
    return len(entries)


@transaction.atomic
def ballot_cast(
    *, actor, election: Election, association: Association, candidacy_ids: list[int], blank: bool = False
) -> Ballot:
    """Cast the association's ballot. Refused, with nothing recorded: outside the voting period, before the
    roll is published, for an association not on the roll, by anyone but its designated representative,
    with more names than the college's seats, names of another college or withdrawn, and a second time
    (the unique constraint on Participation refuses it even when two requests race).

    The participation and the ballot are written in this one transaction; the ballot carries no link to
    the association (models.py explains how)."""
    election = Election.objects.get(pk=election.pk)  # the calendar and the count as they are now
    now = timezone.now()
    if not (election.voting_opens_at <= now < election.voting_closes_at) or election.counted_at:
        raise ValidationError(_("Voting is not open: the ballot box is open from %(start)s to %(end)s.") % {
            "start": timezone.localtime(election.voting_opens_at).strftime("%d/%m/%Y %H:%M"),
            "end": timezone.localtime(election.voting_closes_at).strftime("%d/%m/%Y %H:%M"),
        })  # fmt: skip
    if election.roll_published_at is None:
        raise ValidationError(_("The electoral roll is not published: nobody can vote yet."))
    entry = RollEntry.objects.filter(election=election, association=association).select_related("college").first()
    if entry is None:
        raise ValidationError(_("%(name)s is not on the electoral roll.") % {"name": association.name})
    if not VotingRepresentative.objects.filter(association=association, user=actor).exists():
        raise ValidationError(
            _("Only the representative designated by %(name)s may vote for it.") % {"name": association.name}
        )
    college = entry.college
    names = list(dict.fromkeys(int(cid) for cid in candidacy_ids))
    if len(names) != len(candidacy_ids):
        raise ValidationError(_("A name can only be chosen once."))
    if blank and names:
        raise ValidationError(_("A blank ballot carries no name: choose names or a blank ballot, not both."))
    if not blank and not names:
        raise ValidationError(_("Choose at least one name, or cast a blank ballot."))
    if len(names) > college.seats:
        raise ValidationError(
            _("Choose %(seats)s names at most in the college %(college)s.")
            % {"seats": college.seats, "college": college.name}
        )
    valid = set(
        Candidacy.objects.filter(
            election=election, college=college, status=CandidacyStatus.SUBMITTED, pk__in=names
        ).values_list("pk", flat=True)
    )
    if valid != set(names):
        raise ValidationError(_("Some names are not candidacies of your college in this election."))
    if Participation.objects.filter(election=election, association=association).exists():
        raise ValidationError(_("%(name)s has already voted in this election.") % {"name": association.name})
    try:
        with transaction.atomic():
            Participation.objects.create(election=election, association=association)
    except IntegrityError:
        # Another request for the same association committed first.
        raise ValidationError(_("%(name)s has already voted in this election.") % {"name": association.name}) from None
    ballot = Ballot.objects.create(election=election, college=college, is_blank=blank)
    BallotChoice.objects.bulk_create([BallotChoice(ballot=ballot, candidacy_id=cid) for cid in names])
    # The log says that the association voted, never how.
    audit_log(
        actor=actor,
        action="council.ballot.cast",
        target=entry,
        data={"election": election.pk, "association": association.pk},
    )
    return ballot


@transaction.atomic
def election_count(*, actor, election: Election) -> Election:
    """Count once voting has closed: results per college (stored), the election marked counted."""
    permissions.require_office(actor)
    current = Election.objects.select_for_update().get(pk=election.pk)
    if current.counted_at is not None:
        raise ValidationError(_("This election is already counted."))
    if timezone.now() < current.voting_closes_at:
        raise ValidationError(_("The count starts once voting has closed."))
    _tally(current)
    current.counted_at = timezone.now()
    current.counted_by = actor
    current.save(update_fields=["counted_at", "counted_by"])
    audit_log(actor=actor, action="council.election.counted", target=current)
    return current


def _tally(election: Election) -> None:
    from django.db.models import Count, Q

    roll = selectors.turnout(election)
    ballots = dict(
        Ballot.objects.filter(election=election)
        .values("college")
        .annotate(n=Count("id"), blank=Count("id", filter=Q(is_blank=True)))
        .values_list("college", "n")
    )
    blanks = dict(
        Ballot.objects.filter(election=election, is_blank=True)
        .values("college")
        .annotate(n=Count("id"))
        .values_list("college", "n")
    )
    votes = dict(
        BallotChoice.objects.filter(ballot__election=election)
        .values("candidacy")
        .annotate(n=Count("id"))
        .values_list("candidacy", "n")
    )
    candidacies = list(selectors.submitted_candidacies(election))
    for row in roll:
        college = row["college"]
        if ballots.get(college.pk, 0) != row["voted"]:
            # A ballot without participation or the reverse: the transaction in ballot_cast forbids it.
            raise ValidationError(_("The ballot box and the roll disagree in %(college)s: count refused.") % {
                "college": college.name
            })  # fmt: skip
        CollegeResult.objects.create(
            election=election,
            college=college,
            registered=row["registered"],
            voted=row["voted"],
            blank=blanks.get(college.pk, 0),
        )
        keys = {
            c.pk: tally.tie_key(
                rule=election.tie_break,
                seed=election.tie_break_seed,
                candidacy_id=c.pk,
                creation_date=c.association.creation_date,
            )
            for c in candidacies
            if c.college_id == college.pk
        }
        placed = tally.rank_college(
            votes={cid: votes.get(cid, 0) for cid in keys},
            keys=keys,
            seats=college.seats,
            substitutes=college.substitute_seats,
        )
        CandidacyResult.objects.bulk_create(
            [
                CandidacyResult(
                    candidacy_id=p.candidacy_id, votes=p.votes, rank=p.rank, outcome=p.outcome, tie_broken=p.tie_broken
                )
                for p in placed
            ]
        )


# ---------------------------------------------------------------------------------------------------------
# Meetings

MEETING_FIELDS = ["kind", "title", "starts_at", "place", "invited_speaker", "working_group"]


@transaction.atomic
def meeting_save(*, actor, meeting: Meeting | None, values: dict) -> Meeting:
    """The office plans any meeting; a working group's leads plan their group's meetings."""
    if meeting is not None:
        permissions.require_meeting_runner(actor, meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk) if meeting else Meeting()
    for field in MEETING_FIELDS:
        if field in values:
            setattr(meeting, field, values[field])
    if meeting.kind == MeetingKind.GROUP and meeting.working_group is None:
        raise ValidationError({"working_group": _("A working group meeting belongs to a working group.")})
    if meeting.kind != MeetingKind.GROUP:
        meeting.working_group = None
    if not permissions.can_run_meeting(actor, meeting):
        raise PermissionDenied
    meeting.full_clean()
    meeting.save()
    audit_log(actor=actor, action="council.meeting.saved", target=meeting, data={"kind": meeting.kind})
    return meeting


def meeting_invitees(meeting: Meeting):
    if meeting.kind == MeetingKind.GROUP:
        return [m.user for m in meeting.working_group.members.select_related("user") if m.user.is_active]
    if meeting.kind == MeetingKind.BUREAU:
        return selectors.bureau_users()
    return selectors.member_managers()


@transaction.atomic
def meeting_convene(*, actor, meeting: Meeting) -> int:
    """Send the convocation: the bureau for a bureau meeting, every association's managers for a plenary,
    the group's members for a working group meeting."""
    permissions.require_meeting_runner(actor, meeting)
    current = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if current.starts_at <= timezone.now():
        raise ValidationError(_("This meeting has already taken place."))
    invitees = meeting_invitees(current)
    if not invitees:
        raise ValidationError(_("Nobody to convene: no bureau elected, or no member."))
    current.convened_at = timezone.now()
    current.save(update_fields=["convened_at"])
    for user in invitees:
        emails.send_convocation(meeting=current, user=user)
    audit_log(actor=actor, action="council.meeting.convened", target=current, data={"invitees": len(invitees)})
    return len(invitees)


@transaction.atomic
def item_propose(
    *, actor, meeting: Meeting, association: Association | None, title: str, description: str
) -> MeetingItem:
    """An association (or the office) proposes an item for a meeting still to come."""
    if association is not None and not is_manager(actor, association):
        raise PermissionDenied
    if association is None and not permissions.is_bureau_or_office(actor):
        raise PermissionDenied
    if meeting.starts_at <= timezone.now():
        raise ValidationError(_("This meeting has already taken place: propose the item for the next one."))
    item = MeetingItem(
        meeting=meeting,
        title=title,
        description=description,
        proposed_by=association,
        status=ItemStatus.PROPOSED if association is not None else ItemStatus.ACCEPTED,
        position=meeting.items.count() + 1,
    )
    item.full_clean()
    item.save()
    audit_log(actor=actor, action="council.item.proposed", target=meeting, data={"item": item.pk})
    return item


@transaction.atomic
def item_decide(*, actor, item: MeetingItem, accept: bool) -> MeetingItem:
    if not permissions.is_bureau_or_office(actor):
        raise PermissionDenied
    current = MeetingItem.objects.select_for_update().get(pk=item.pk)
    if current.status != ItemStatus.PROPOSED:
        raise ValidationError(_("This item was already decided."))
    current.status = ItemStatus.ACCEPTED if accept else ItemStatus.DECLINED
    current.save(update_fields=["status"])
    audit_log(
        actor=actor,
        action="council.item.decided",
        target=current.meeting,
        data={"item": current.pk, "status": current.status},
    )
    return current


@transaction.atomic
def attendance_record(
    *, actor, meeting: Meeting, person_name: str, status: str, association=None, user=None, represented_by: str = ""
) -> Attendance:
    permissions.require_meeting_runner(actor, meeting)
    if status == "represented" and not represented_by.strip():
        raise ValidationError({"represented_by": _("Say who represented this person.")})
    attendance = Attendance(
        meeting=meeting,
        person_name=person_name,
        status=status,
        association=association,
        user=user,
        represented_by=represented_by,
    )
    attendance.full_clean()
    attendance.save()
    audit_log(actor=actor, action="council.attendance.recorded", target=meeting, data={"status": status})
    return attendance


@transaction.atomic
def document_add(
    *, actor, title: str, file, meeting: Meeting | None = None, group: WorkingGroup | None = None
) -> Document:
    if meeting is not None:
        permissions.require_meeting_runner(actor, meeting)
    elif not (permissions.is_office(actor) or permissions.is_group_member(actor, group)):
        raise PermissionDenied
    document = Document(meeting=meeting, working_group=group, title=title, file=file, uploaded_by=actor)
    document.full_clean()
    document.save()
    audit_log(actor=actor, action="council.document.added", target=document)
    return document


@transaction.atomic
def minutes_save(*, actor, meeting: Meeting, minutes: str) -> Meeting:
    permissions.require_meeting_runner(actor, meeting)
    current = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if current.minutes_status == MinutesStatus.PUBLISHED:
        raise ValidationError(_("Published minutes cannot change."))
    if not minutes.strip():
        raise ValidationError({"minutes": _("Write the minutes.")})
    current.minutes = minutes
    # Any change after approval sends the minutes back to the bureau.
    current.minutes_status = MinutesStatus.DRAFT
    current.minutes_approved_at = None
    current.save(update_fields=["minutes", "minutes_status", "minutes_approved_at"])
    audit_log(actor=actor, action="council.minutes.drafted", target=current)
    return current


@transaction.atomic
def minutes_approve(*, actor, meeting: Meeting) -> Meeting:
    """The bureau approves the draft (a member of the bureau, or the office recording its decision)."""
    if not permissions.is_bureau_or_office(actor):
        raise PermissionDenied
    current = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if current.minutes_status != MinutesStatus.DRAFT:
        raise ValidationError(_("Only draft minutes can be approved."))
    current.minutes_status = MinutesStatus.APPROVED
    current.minutes_approved_at = timezone.now()
    current.save(update_fields=["minutes_status", "minutes_approved_at"])
    audit_log(actor=actor, action="council.minutes.approved", target=current)
    return current


@transaction.atomic
def minutes_publish(*, actor, meeting: Meeting) -> int:
    """Publish approved minutes: public page, and an email to every member association's managers."""
    permissions.require_office(actor)
    current = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if current.minutes_status != MinutesStatus.APPROVED:
        raise ValidationError(_("Minutes are published once the bureau has approved them."))
    current.minutes_status = MinutesStatus.PUBLISHED
    current.minutes_published_at = timezone.now()
    current.save(update_fields=["minutes_status", "minutes_published_at"])
    recipients = (
        [m.user for m in current.working_group.members.select_related("user")]
        if current.working_group_id
        else selectors.member_managers()
    )
    for user in recipients:
        emails.send_minutes_published(meeting=current, user=user)
    audit_log(actor=actor, action="council.minutes.published", target=current, data={"recipients": len(recipients)})
    return len(recipients)


@transaction.atomic
def action_add(*, actor, meeting: Meeting, title: str, owner: str, due_on: datetime.date) -> ActionItem:
    permissions.require_meeting_runner(actor, meeting)
    action = ActionItem(meeting=meeting, title=title, owner=owner, due_on=due_on)
    action.full_clean()
    action.save()
    audit_log(actor=actor, action="council.action.added", target=meeting, data={"action": action.pk})
    return action


@transaction.atomic
def action_done(*, actor, action: ActionItem) -> ActionItem:
    if not permissions.is_bureau_or_office(actor):
        raise PermissionDenied
    current = ActionItem.objects.select_for_update().get(pk=action.pk)
    if current.done_at is not None:
        raise ValidationError(_("This action is already done."))
    current.done_at = timezone.now()
    current.save(update_fields=["done_at"])
    audit_log(actor=actor, action="council.action.done", target=current.meeting, data={"action": current.pk})
    return current


# ---------------------------------------------------------------------------------------------------------
# Working groups


@transaction.atomic
def group_save(
    *, actor, group: WorkingGroup | None, name: str, description: str, is_active: bool = True
) -> WorkingGroup:
    permissions.require_office(actor)
    group = WorkingGroup.objects.select_for_update().get(pk=group.pk) if group else WorkingGroup()
    group.name, group.description, group.is_active = name, description, is_active
    group.full_clean()
    group.save()
    audit_log(actor=actor, action="council.group.saved", target=group)
    return group


@transaction.atomic
def group_member_add(
    *, actor, group: WorkingGroup, user, association=None, is_lead: bool = False
) -> WorkingGroupMember:
    permissions.require_office(actor)
    if group.members.filter(user=user).exists():
        raise ValidationError({"email": _("This person is already a member of the group.")})
    member = WorkingGroupMember.objects.create(group=group, user=user, association=association, is_lead=is_lead)
    audit_log(actor=actor, action="council.group.member_added", target=group, data={"user": user.pk})
    return member


@transaction.atomic
def group_member_remove(*, actor, member: WorkingGroupMember) -> None:
    permissions.require_office(actor)
    audit_log(actor=actor, action="council.group.member_removed", target=member.group, data={"user": member.user_id})
    member.delete()


@transaction.atomic
def group_message_post(*, actor, group: WorkingGroup, body: str) -> GroupMessage:
    if not (permissions.is_office(actor) or permissions.is_group_member(actor, group)):
        raise PermissionDenied
    if not body.strip():
        raise ValidationError({"body": _("Write a message.")})
    message = GroupMessage(group=group, author=actor, body=body)
    message.full_clean()
    message.save()
    return message


# ---------------------------------------------------------------------------------------------------------
# Consultations


@transaction.atomic
def consultation_ask(*, actor, title: str, question: str, level: str, answer_due_on: datetime.date) -> Consultation:
    if not permissions.can_ask_consultation(actor):
        raise PermissionDenied
    if answer_due_on < timezone.localdate():
        raise ValidationError({"answer_due_on": _("The answer cannot be expected in the past.")})
    consultation = Consultation(
        title=title, question=question, level=level, answer_due_on=answer_due_on, asked_by=actor
    )
    consultation.full_clean()
    consultation.save()
    for user in selectors.bureau_users():
        emails.send_consultation_asked(consultation=consultation, user=user)
    audit_log(actor=actor, action="council.consultation.asked", target=consultation, data={"level": level})
    return consultation


@transaction.atomic
def consultation_answer(*, actor, consultation: Consultation, answer: str) -> Consultation:
    if not permissions.is_bureau_or_office(actor):
        raise PermissionDenied
    current = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if current.published_at is not None:
        raise ValidationError(_("The answer is published: it cannot change."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write the bureau's answer.")})
    current.answer = answer
    current.answered_at = timezone.now()
    current.save(update_fields=["answer", "answered_at"])
    audit_log(actor=actor, action="council.consultation.answered", target=current)
    emails.send_consultation_answered(consultation=current)
    return current


@transaction.atomic
def consultation_publish(*, actor, consultation: Consultation) -> Consultation:
    permissions.require_office(actor)
    current = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if current.published_at is not None:
        raise ValidationError(_("Already published."))
    if not current.answer.strip():
        raise ValidationError(_("The bureau has not answered yet."))
    current.published_at = timezone.now()
    current.save(update_fields=["published_at"])
    audit_log(actor=actor, action="council.consultation.published", target=current)
    return current


# ---------------------------------------------------------------------------------------------------------
# Personal data


def personal_data_erase(user) -> None:
    """Account deletion: the person stops voting for associations and leaves working groups; their name stays
    on candidacies of counted elections (the official record of the count), their link to them goes;
    attendance keeps the line without the account; group messages lose their author."""
    VotingRepresentative.objects.filter(user=user).delete()
    WorkingGroupMember.objects.filter(user=user).delete()
    Candidacy.objects.filter(representative=user).update(representative=None)
    Attendance.objects.filter(user=user).update(user=None)
    GroupMessage.objects.filter(author=user).update(author=None)
