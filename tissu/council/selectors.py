"""Reads of the council module: placement in colleges, the roll, the bureau, published ballots, meetings."""

import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from tissu.accounts.models import User
from tissu.council.models import (
    ActionItem,
    Attendance,
    Ballot,
    Candidacy,
    CandidacyResult,
    CandidacyStatus,
    College,
    CollegeOverride,
    CollegeResult,
    CollegeTheme,
    Consultation,
    CouncilSettings,
    Election,
    GroupMessage,
    Meeting,
    MeetingKind,
    MinutesStatus,
    Outcome,
    RollEntry,
    VotingRepresentative,
    WorkingGroup,
)
from tissu.directory.models import MANAGER_ROLES, Association, RnaPosition


def council_settings() -> CouncilSettings:
    settings, _ = CouncilSettings.objects.get_or_create(pk=1)
    return settings


def colleges() -> QuerySet[College]:
    return College.objects.prefetch_related("themes")


class Placement:
    """Which college an association belongs to: its override, else the college of its main theme family,
    else of its second one. Loaded once (two small queries), then asked per association without queries."""

    def __init__(self):
        self.by_family = dict(CollegeTheme.objects.values_list("theme_id", "college_id"))
        self.by_association = dict(CollegeOverride.objects.values_list("association_id", "college_id"))
        self.colleges = {college.pk: college for college in College.objects.all()}

    def college_id(self, association: Association) -> int | None:
        if association.pk in self.by_association:
            return self.by_association[association.pk]
        return self.by_family.get(association.family_1) or self.by_family.get(association.family_2)

    def college(self, association: Association) -> College | None:
        college_id = self.college_id(association)
        return self.colleges.get(college_id) if college_id else None


def college_of(association: Association) -> College | None:
    return Placement().college(association)


def eligible_associations() -> QuerySet[Association]:
    """Who may stand and vote: associations verified by the city and active in the national register."""
    return Association.objects.filter(verified_at__isnull=False, rna_position=RnaPosition.ACTIVE)


def is_eligible(association: Association) -> bool:
    return association.verified_at is not None and association.rna_position == RnaPosition.ACTIVE


def roll_of(election: Election) -> QuerySet[RollEntry]:
    return (
        RollEntry.objects.filter(election=election)
        .select_related("association", "college")
        .order_by("college__position", "association__search_name", "association_id")
    )


def submitted_candidacies(election: Election) -> QuerySet[Candidacy]:
    return (
        Candidacy.objects.filter(election=election, status=CandidacyStatus.SUBMITTED)
        .select_related("association", "college")
        .order_by("college__position", "college__name", "association__search_name", "id")
    )


def candidacies_by_college(election: Election) -> list[tuple[College, list[Candidacy]]]:
    grouped: dict[int, list[Candidacy]] = {}
    for candidacy in submitted_candidacies(election):
        grouped.setdefault(candidacy.college_id, []).append(candidacy)
    return [(college, grouped.get(college.pk, [])) for college in College.objects.all()]


def voter_associations(user, election: Election) -> list[RollEntry]:
    """The roll entries this person may vote for: associations on the roll that designated them."""
    if not user.is_authenticated:
        return []
    return list(
        roll_of(election).filter(
            association__voting_representative__user=user,
        )
    )


def has_voted(election: Election, association: Association) -> bool:
    return election.participations.filter(association=association).exists()


def turnout(election: Election) -> list[dict]:
    """Per college: registered, voted (live, from the participations: never from the ballots)."""
    registered = dict(
        RollEntry.objects.filter(election=election)
        .values("college")
        .annotate(n=Count("id"))
        .values_list("college", "n")
    )
    voted = dict(
        RollEntry.objects.filter(election=election, association__in=election.participations.values("association"))
        .values("college")
        .annotate(n=Count("id"))
        .values_list("college", "n")
    )
    return [
        {
            "college": college,
            "registered": registered.get(college.pk, 0),
            "voted": voted.get(college.pk, 0),
            "rate": (voted.get(college.pk, 0) / registered[college.pk]) if registered.get(college.pk) else 0.0,
        }
        for college in College.objects.all()
    ]


def results(election: Election) -> list[tuple[CollegeResult, list[CandidacyResult]]]:
    college_results = list(CollegeResult.objects.filter(election=election).select_related("college"))
    rows = (
        CandidacyResult.objects.filter(candidacy__election=election)
        .select_related("candidacy__association", "candidacy__college")
        .order_by("candidacy__college__position", "rank")
    )
    grouped: dict[int, list[CandidacyResult]] = {}
    for row in rows:
        grouped.setdefault(row.candidacy.college_id, []).append(row)
    return [(result, grouped.get(result.college_id, [])) for result in college_results]


def published_ballots(election: Election) -> dict:
    """The public document of a closed election: the rule, the colleges, the candidacies and every ballot
    (receipt code, college, names), in receipt-code order. Enough to recount (tally.recount)."""
    candidacies = submitted_candidacies(election)
    ballots = (
        Ballot.objects.filter(election=election)
        .prefetch_related(Prefetch("choices", to_attr="names"))
        .order_by("receipt_code")
    )
    return {
        "election": election.title,
        "tie_break": election.tie_break,
        "tie_break_seed": election.tie_break_seed,
        "colleges": [
            {"id": c.pk, "name": c.name, "seats": c.seats, "substitute_seats": c.substitute_seats}
            for c in College.objects.all()
        ],
        "candidacies": [
            {
                "id": c.pk,
                "college": c.college_id,
                "association": c.association.name,
                "association_creation_date": c.association.creation_date.isoformat()
                if c.association.creation_date
                else None,
            }
            for c in candidacies
        ],
        "ballots": [
            {
                "code": b.receipt_code,
                "college": b.college_id,
                "blank": b.is_blank,
                "choices": sorted(choice.candidacy_id for choice in b.names),
            }
            for b in ballots
        ],
    }


# ---------------------------------------------------------------------------------------------------------
# The bureau


def current_election(today: datetime.date | None = None) -> Election | None:
    """The counted election whose mandate runs today."""
    today = today or timezone.localdate()
    return (
        Election.objects.filter(counted_at__isnull=False, mandate_starts_on__lte=today, mandate_ends_on__gte=today)
        .order_by("-mandate_starts_on")
        .first()
    )


def bureau(election: Election | None = None) -> list[CandidacyResult]:
    """The elected candidacies of the current mandate: seats first, then substitute seats."""
    election = election or current_election()
    if election is None:
        return []
    return list(
        CandidacyResult.objects.filter(candidacy__election=election, outcome__in=[Outcome.TITULAR, Outcome.SUBSTITUTE])
        .select_related("candidacy__association", "candidacy__college", "candidacy__representative")
        .order_by("candidacy__college__position", "-outcome", "rank")
    )


def bureau_users(*, titular_only: bool = False) -> list[User]:
    election = current_election()
    if election is None:
        return []
    outcomes = [Outcome.TITULAR] if titular_only else [Outcome.TITULAR, Outcome.SUBSTITUTE]
    return list(
        User.objects.filter(
            council_candidacies__election=election,
            council_candidacies__result__outcome__in=outcomes,
            is_active=True,
        ).distinct()
    )


def is_bureau_member(user, *, titular_only: bool = False) -> bool:
    if not user.is_authenticated:
        return False
    election = current_election()
    if election is None:
        return False
    outcomes = [Outcome.TITULAR] if titular_only else [Outcome.TITULAR, Outcome.SUBSTITUTE]
    return Candidacy.objects.filter(election=election, representative=user, result__outcome__in=outcomes).exists()


def member_managers() -> list[User]:
    """Every association of the city is a member of the council: the managers of all of them."""
    return list(
        User.objects.filter(memberships__role__in=MANAGER_ROLES, is_active=True, deleted_at__isnull=True)
        .distinct()
        .order_by("email")
    )


# ---------------------------------------------------------------------------------------------------------
# Meetings, groups, consultations


def public_meetings() -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(kind__in=[MeetingKind.PLENARY, MeetingKind.BUREAU])
        .annotate(item_count=Count("items", filter=Q(items__status="accepted")))
        .order_by("-starts_at", "-id")
    )


def open_actions_before(meeting: Meeting) -> QuerySet[ActionItem]:
    """Actions decided at earlier meetings of the same body and not done yet: followed at this meeting."""
    same_body = (
        Q(meeting__working_group=meeting.working_group)
        if meeting.working_group_id
        else Q(meeting__kind__in=[MeetingKind.PLENARY, MeetingKind.BUREAU])
    )
    return (
        ActionItem.objects.filter(same_body, meeting__starts_at__lt=meeting.starts_at, done_at__isnull=True)
        .select_related("meeting")
        .order_by("due_on", "id")
    )


def published_minutes() -> QuerySet[Meeting]:
    return public_meetings().filter(minutes_status=MinutesStatus.PUBLISHED)


def groups_of(user) -> QuerySet[WorkingGroup]:
    if not user.is_authenticated:
        return WorkingGroup.objects.none()
    return WorkingGroup.objects.filter(members__user=user)


def published_consultations() -> QuerySet[Consultation]:
    return Consultation.objects.filter(published_at__isnull=False)


def representative_of(association: Association) -> VotingRepresentative | None:
    return VotingRepresentative.objects.filter(association=association).select_related("user").first()


# ---------------------------------------------------------------------------------------------------------
# Personal data


def personal_data_export(user) -> dict:
    return {
        "voting_representative_for": [
            v.association.name for v in VotingRepresentative.objects.filter(user=user).select_related("association")
        ],
        "candidacies": [
            {"election": c.election.title, "association": c.association.name, "statement": c.statement}
            for c in Candidacy.objects.filter(representative=user).select_related("election", "association")
        ],
        "working_groups": [m.group.name for m in user.council_groups.select_related("group")],
        "group_messages": [
            {"group": m.group.name, "at": m.created_at.isoformat(), "body": m.body}
            for m in GroupMessage.objects.filter(author=user).select_related("group")
        ],
        "attendance": [
            {"meeting": a.meeting.title, "date": a.meeting.starts_at.isoformat(), "status": a.status}
            for a in Attendance.objects.filter(user=user).select_related("meeting")
        ],
    }
