"""Builders for the council tests and the matrix rows."""

import datetime

from django.utils import timezone

from conftest import make_user
from tissu.council.models import (
    Candidacy,
    College,
    CollegeTheme,
    Election,
    Meeting,
    RollEntry,
    VotingRepresentative,
)
from tissu.directory.models import Association, Membership, MembershipRole, Theme

DAY = datetime.timedelta(days=1)


def _association(value) -> Association:
    return value if isinstance(value, Association) else Association.objects.get(slug=value)


def theme(code: str, label: str = "") -> Theme:
    return Theme.objects.get_or_create(code=code, defaults={"label": label or code, "family_code": code})[0]


def make_college(name="Sports et loisirs", seats=1, substitute_seats=1, families=("011000",), position=0) -> College:
    """A college (found by name when it exists: the template test runs every matrix setup in one database)."""
    college, _ = College.objects.get_or_create(
        name=name, defaults={"seats": seats, "substitute_seats": substitute_seats, "position": position}
    )
    for code in families:
        CollegeTheme.objects.get_or_create(theme=theme(code), defaults={"college": college})
    return college


# phase → (candidacy opens, candidacy closes, voting opens, voting closes), in days from now
CALENDARS = {
    "upcoming": (2, 10, 12, 14),
    "candidacy": (-2, 10, 12, 14),
    "campaign": (-10, -2, 2, 5),
    "voting": (-10, -5, -1, 3),
    "closed": (-10, -5, -3, -1),
}


def make_election(phase="candidacy", title="Élection du bureau 2027", **fields) -> Election:
    now = timezone.now()
    opens, closes, vote_opens, vote_closes = (now + d * DAY for d in CALENDARS[phase])
    today = timezone.localdate()
    return Election.objects.create(
        title=title,
        candidacy_opens_at=opens,
        candidacy_closes_at=closes,
        voting_opens_at=vote_opens,
        voting_closes_at=vote_closes,
        mandate_starts_on=fields.pop("mandate_starts_on", today + 20 * DAY),
        mandate_ends_on=fields.pop("mandate_ends_on", today + 750 * DAY),
        **fields,
    )


def verify(association, family="011000") -> Association:
    association = _association(association)
    Association.objects.filter(pk=association.pk).update(verified_at=timezone.now(), family_1=family)
    association.refresh_from_db()
    return association


def publish_roll(election: Election) -> None:
    from tissu.council.selectors import Placement, eligible_associations

    placement = Placement()
    for association in eligible_associations():
        college_id = placement.college_id(association)
        if college_id:
            RollEntry.objects.get_or_create(
                election=election, association=association, defaults={"college_id": college_id}
            )
    Election.objects.filter(pk=election.pk).update(roll_published_at=timezone.now())
    election.refresh_from_db()


def designate(association, user) -> VotingRepresentative:
    association = _association(association)
    return VotingRepresentative.objects.update_or_create(association=association, defaults={"user": user})[0]


def stand(election, association, representative=None, college=None) -> Candidacy:
    association = _association(association)
    from tissu.council.selectors import college_of

    return Candidacy.objects.create(
        election=election,
        association=association,
        college=college or college_of(association),
        representative=representative,
        representative_name=representative.full_name if representative else "Marie Curie",
        statement="Nous voulons porter la voix des petites associations.",
    )


def voter(make_association, name: str, family="011000"):
    """A verified association with a president who is its voting representative."""
    association = verify(make_association(name), family)
    user = make_user(f"{association.slug}@example.org", full_name=f"Président·e {name}")
    Membership.objects.create(user=user, association=association, role=MembershipRole.PRESIDENT)
    designate(association, user)
    return association, user


def make_meeting(kind="bureau", days=10, title="Bureau du CLVA", **fields) -> Meeting:
    return Meeting.objects.create(
        kind=kind, title=title, starts_at=timezone.now() + days * DAY, place="Maison de la vie associative", **fields
    )
