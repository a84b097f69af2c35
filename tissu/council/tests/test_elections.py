"""Elections: candidacies, the roll, casting ballots (and every refusal), counting, publication."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from conftest import make_user
from tissu.audit.models import AuditEntry
from tissu.council import selectors, services
from tissu.council.models import (
    Ballot,
    BallotChoice,
    Candidacy,
    CandidacyResult,
    CollegeResult,
    Outcome,
    Participation,
    RollEntry,
)
from tissu.council.tests.factories import (
    designate,
    make_college,
    make_election,
    publish_roll,
    stand,
    verify,
    voter,
)
from tissu.directory.models import RnaPosition

pytestmark = pytest.mark.django_db


@pytest.fixture
def college(db):
    return make_college(name="Sports et loisirs", seats=2, substitute_seats=1)


@pytest.fixture
def voting(college, make_association, manager_a, association_a):
    """An election in its voting period: association A (manager_a votes) and three candidacies."""
    verify(association_a)
    designate(association_a, manager_a)
    election = make_election("voting")
    others = [voter(make_association, f"Club {n}") for n in range(3)]
    candidacies = [stand(election, association) for association, _user in others]
    publish_roll(election)
    return election, candidacies, others


def ballot_count(election):
    return Ballot.objects.filter(election=election).count(), Participation.objects.filter(election=election).count()


# ---------------------------------------------------------------------------------------------------------
# Candidacies and roll


def test_a_manager_submits_a_candidacy_in_the_college_of_its_themes(college, manager_a, association_a):
    verify(association_a)
    election = make_election("candidacy")
    candidacy = services.candidacy_submit(
        actor=manager_a,
        election=election,
        association=association_a,
        representative=manager_a,
        statement="Pour le sport.",
    )
    assert candidacy.college == college
    assert candidacy.representative_name == "Alice Manager"
    assert AuditEntry.objects.filter(action="council.candidacy.submitted").exists()


def test_it_refuses_a_candidacy_outside_the_period(college, manager_a, association_a):
    verify(association_a)
    election = make_election("campaign")
    with pytest.raises(ValidationError, match="not open"):
        services.candidacy_submit(
            actor=manager_a, election=election, association=association_a, representative=manager_a, statement="x"
        )
    assert not Candidacy.objects.exists()


def test_it_refuses_a_second_candidacy_and_an_unverified_association(college, manager_a, association_a):
    election = make_election("candidacy")
    with pytest.raises(ValidationError, match="verified"):
        services.candidacy_submit(
            actor=manager_a, election=election, association=association_a, representative=manager_a, statement="x"
        )
    verify(association_a)
    services.candidacy_submit(
        actor=manager_a, election=election, association=association_a, representative=manager_a, statement="x"
    )
    with pytest.raises(ValidationError, match="already stands"):
        services.candidacy_submit(
            actor=manager_a, election=election, association=association_a, representative=manager_a, statement="y"
        )
    assert Candidacy.objects.count() == 1


def test_it_refuses_a_candidacy_from_someone_who_does_not_manage_the_association(college, manager_b, association_a):
    verify(association_a)
    with pytest.raises(PermissionDenied):
        services.candidacy_submit(
            actor=manager_b,
            election=make_election("candidacy"),
            association=association_a,
            representative=manager_b,
            statement="x",
        )


def test_an_override_places_an_association_in_another_college(college, staff, association_a):
    other = make_college(name="Culture, mémoire et patrimoine", families=("006000",), position=1)
    verify(association_a)
    assert selectors.college_of(association_a) == college
    services.college_override_set(actor=staff, association=association_a, college=other, reason="Fanfare")
    assert selectors.college_of(association_a) == other


def test_the_roll_holds_verified_active_placed_associations_only(college, staff, make_association):
    placed = verify(make_association("Judo club"))
    verify(make_association("Ciné-club"), family="006000")  # no college has this family
    dissolved = verify(make_association("Ancien club"))
    dissolved.rna_position = RnaPosition.DISSOLVED
    dissolved.save(update_fields=["rna_position"])
    make_association("Club non vérifié", family_1="011000")
    election = make_election("campaign")
    assert services.roll_publish(actor=staff, election=election) == 1
    assert list(RollEntry.objects.values_list("association", flat=True)) == [placed.pk]
    with pytest.raises(ValidationError, match="already published"):
        services.roll_publish(actor=staff, election=election)


def test_the_roll_cannot_be_published_once_voting_opened(college, staff):
    with pytest.raises(ValidationError, match="before voting opens"):
        services.roll_publish(actor=staff, election=make_election("voting"))


def test_the_calendar_and_tie_break_are_locked_once_the_roll_is_published(college, staff):
    election = make_election("campaign", tie_break="draw")
    publish_roll(election)
    with pytest.raises(ValidationError, match="cannot change"):
        services.election_update(actor=staff, election=election, values={"tie_break": "oldest"})


# ---------------------------------------------------------------------------------------------------------
# Casting ballots


def test_the_representative_casts_a_plurinominal_ballot_without_any_link_to_the_association(
    voting, manager_a, association_a
):
    election, candidacies, _others = voting
    ballot = services.ballot_cast(
        actor=manager_a,
        election=election,
        association=association_a,
        candidacy_ids=[candidacies[0].pk, candidacies[1].pk],
    )
    assert ballot_count(election) == (1, 1)
    assert set(ballot.choices.values_list("candidacy", flat=True)) == {candidacies[0].pk, candidacies[1].pk}
    # Nothing on the ballot side points to a voter, an association or a time.
    ballot_fields = {f.name for f in Ballot._meta.get_fields()}
    assert ballot_fields == {"id", "election", "college", "receipt_code", "is_blank", "choices"}
    assert {f.name for f in BallotChoice._meta.get_fields()} == {"id", "ballot", "candidacy"}
    entry = AuditEntry.objects.get(action="council.ballot.cast")
    assert entry.data == {"election": election.pk, "association": association_a.pk}


def test_a_blank_ballot_is_accepted(voting, manager_a, association_a):
    election, _candidacies, _others = voting
    ballot = services.ballot_cast(
        actor=manager_a, election=election, association=association_a, candidacy_ids=[], blank=True
    )
    assert ballot.is_blank and not ballot.choices.exists()


@pytest.mark.parametrize(
    ("phase", "message"),
    [("campaign", "Voting is not open"), ("closed", "Voting is not open")],
)
def test_it_refuses_a_vote_outside_the_period(college, manager_a, association_a, make_association, phase, message):
    verify(association_a)
    designate(association_a, manager_a)
    election = make_election(phase)
    candidacy = stand(election, voter(make_association, "Club")[0])
    publish_roll(election)
    with pytest.raises(ValidationError, match=message):
        services.ballot_cast(
            actor=manager_a, election=election, association=association_a, candidacy_ids=[candidacy.pk]
        )
    assert ballot_count(election) == (0, 0)


def test_it_refuses_a_vote_by_someone_who_is_not_the_representative(voting, manager_a, association_a, personas):
    election, candidacies, _others = voting
    other_manager = make_user("tresorier@example.org")
    from tissu.directory.models import Membership

    Membership.objects.create(user=other_manager, association=association_a, role="treasurer")
    with pytest.raises(ValidationError, match="Only the representative"):
        services.ballot_cast(
            actor=other_manager, election=election, association=association_a, candidacy_ids=[candidacies[0].pk]
        )
    assert ballot_count(election) == (0, 0)


def test_it_refuses_more_names_than_seats_and_a_name_twice(voting, manager_a, association_a):
    election, candidacies, _others = voting
    with pytest.raises(ValidationError, match="2 names at most"):
        services.ballot_cast(
            actor=manager_a, election=election, association=association_a, candidacy_ids=[c.pk for c in candidacies]
        )
    with pytest.raises(ValidationError, match="only be chosen once"):
        services.ballot_cast(
            actor=manager_a,
            election=election,
            association=association_a,
            candidacy_ids=[candidacies[0].pk, candidacies[0].pk],
        )
    assert ballot_count(election) == (0, 0)


def test_it_refuses_an_empty_ballot_that_is_not_blank_and_a_blank_with_names(voting, manager_a, association_a):
    election, candidacies, _others = voting
    with pytest.raises(ValidationError, match="at least one name"):
        services.ballot_cast(actor=manager_a, election=election, association=association_a, candidacy_ids=[])
    with pytest.raises(ValidationError, match="not both"):
        services.ballot_cast(
            actor=manager_a, election=election, association=association_a, candidacy_ids=[candidacies[0].pk], blank=True
        )
    assert ballot_count(election) == (0, 0)


def test_it_refuses_a_name_of_another_college(voting, manager_a, association_a, make_association):
    election, _candidacies, _others = voting
    make_college(name="Culture", families=("006000",), position=1)
    culture = stand(election, voter(make_association, "Chorale", family="006000")[0])
    with pytest.raises(ValidationError, match="not candidacies of your college"):
        services.ballot_cast(actor=manager_a, election=election, association=association_a, candidacy_ids=[culture.pk])
    assert ballot_count(election) == (0, 0)


def test_it_refuses_a_second_ballot(voting, manager_a, association_a):
    election, candidacies, _others = voting
    services.ballot_cast(
        actor=manager_a, election=election, association=association_a, candidacy_ids=[candidacies[0].pk]
    )
    with pytest.raises(ValidationError, match="already voted"):
        services.ballot_cast(
            actor=manager_a, election=election, association=association_a, candidacy_ids=[candidacies[1].pk]
        )
    assert ballot_count(election) == (1, 1)


def test_it_refuses_an_association_not_on_the_roll(voting, manager_b, association_b):
    election, candidacies, _others = voting
    designate(association_b, manager_b)
    with pytest.raises(ValidationError, match="not on the electoral roll"):
        services.ballot_cast(
            actor=manager_b, election=election, association=association_b, candidacy_ids=[candidacies[0].pk]
        )


# ---------------------------------------------------------------------------------------------------------
# The vote page


def test_the_vote_page_casts_and_shows_the_receipt_once(voting, manager_a, association_a, client_for):
    election, candidacies, _others = voting
    client = client_for(manager_a)
    url = reverse("council:vote", args=[election.pk])
    prefix = f"a{association_a.pk}"
    response = client.post(url, {f"{prefix}-association": association_a.pk, f"{prefix}-names": [candidacies[2].pk]})
    assert response.status_code == 302
    code = Ballot.objects.get().receipt_code
    receipt = client.get(response.headers["Location"])
    assert code in receipt.content.decode()
    assert code not in client.get(response.headers["Location"]).content.decode()
    # A second attempt through the page: refused with a message, nothing recorded.
    again = client.post(url, {f"{prefix}-association": association_a.pk, f"{prefix}-names": [candidacies[1].pk]})
    assert again.status_code == 400
    assert "has voted" in again.content.decode()
    assert ballot_count(election) == (1, 1)


def test_the_vote_page_shows_a_clear_error_for_too_many_names(voting, manager_a, association_a, client_for):
    election, candidacies, _others = voting
    prefix = f"a{association_a.pk}"
    response = client_for(manager_a).post(
        reverse("council:vote", args=[election.pk]),
        {f"{prefix}-association": association_a.pk, f"{prefix}-names": [c.pk for c in candidacies]},
    )
    assert response.status_code == 400
    assert "Choose 2 names at most" in response.content.decode()
    assert ballot_count(election) == (0, 0)


# ---------------------------------------------------------------------------------------------------------
# Counting


def _cast(election, voters_and_choices):
    from django.utils import timezone

    for (association, user), names in voters_and_choices:
        services.ballot_cast(
            actor=user, election=election, association=association, candidacy_ids=[c.pk for c in names], blank=not names
        )
    # Close the vote without waiting.
    type(election).objects.filter(pk=election.pk).update(voting_closes_at=timezone.now())
    election.refresh_from_db()


def test_the_count_gives_seats_then_substitute_seats_and_records_turnout(college, staff, make_association):
    election = make_election("voting", tie_break="draw")
    voters = [voter(make_association, f"Club {n}") for n in range(6)]
    a, b, c, d = (stand(election, association) for association, _user in voters[:4])
    publish_roll(election)
    _cast(election, [(voters[0], [a, b]), (voters[1], [a, c]), (voters[2], [a]), (voters[3], [b]), (voters[4], [])])
    services.election_count(actor=staff, election=election)
    results = {r.candidacy_id: r for r in CandidacyResult.objects.all()}
    assert (results[a.pk].votes, results[a.pk].outcome) == (3, Outcome.TITULAR)
    assert (results[b.pk].votes, results[b.pk].outcome) == (2, Outcome.TITULAR)
    assert (results[c.pk].votes, results[c.pk].outcome) == (1, Outcome.SUBSTITUTE)
    assert (results[d.pk].votes, results[d.pk].outcome) == (0, Outcome.NOT_ELECTED)
    college_result = CollegeResult.objects.get()
    assert (college_result.registered, college_result.voted, college_result.blank) == (6, 5, 1)
    assert AuditEntry.objects.filter(action="council.election.counted").exists()
    with pytest.raises(ValidationError, match="already counted"):
        services.election_count(actor=staff, election=election)


def test_a_tie_is_broken_by_the_oldest_association_when_that_rule_was_fixed(college, staff, make_association):
    import datetime

    election = make_election("voting", tie_break="oldest")
    voters = [voter(make_association, f"Club {n}") for n in range(4)]
    young, old, third = (stand(election, association) for association, _user in voters[:3])
    type(old.association).objects.filter(pk=old.association_id).update(creation_date=datetime.date(1950, 1, 1))
    type(young.association).objects.filter(pk=young.association_id).update(creation_date=datetime.date(2020, 1, 1))
    publish_roll(election)
    _cast(election, [(voters[0], [young, third]), (voters[1], [old, third]), (voters[2], [young]), (voters[3], [old])])
    services.election_count(actor=staff, election=election)
    results = {r.candidacy_id: r for r in CandidacyResult.objects.all()}
    # third: 2 votes, old: 2, young: 2 — all tied; the oldest first, then the unknown date last by draw.
    assert results[old.pk].rank == 1
    assert results[young.pk].rank == 2
    assert results[third.pk].outcome == Outcome.SUBSTITUTE
    assert results[third.pk].tie_broken


def test_the_count_is_refused_before_voting_closes(voting, staff):
    election, _candidacies, _others = voting
    with pytest.raises(ValidationError, match="once voting has closed"):
        services.election_count(actor=staff, election=election)


def test_results_ballots_and_the_official_record_are_published_after_the_count(
    college, staff, make_association, client
):
    election = make_election("voting")
    voters = [voter(make_association, f"Club {n}") for n in range(3)]
    a = stand(election, voters[0][0])
    publish_roll(election)
    _cast(election, [(voters[0], [a]), (voters[1], [])])
    code = Ballot.objects.filter(is_blank=False).get().receipt_code
    page = client.get(reverse("council:ballots", args=[election.pk]), {"code": code})
    assert "is in the ballot box" in page.content.decode()
    assert client.get(reverse("council:results", args=[election.pk])).status_code == 404
    services.election_count(actor=staff, election=election)
    results = client.get(reverse("council:results", args=[election.pk]))
    assert results.status_code == 200 and "Club 0" in results.content.decode()
    pdf = client.get(reverse("council:official-record", args=[election.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_ballots_are_not_published_while_voting(voting, client):
    election, _candidacies, _others = voting
    assert client.get(reverse("council:ballots", args=[election.pk])).status_code == 404
    assert client.get(reverse("council:ballots-json", args=[election.pk])).status_code == 404


def test_bureau_members_are_the_representatives_elected_for_the_current_mandate(college, staff, make_association):
    from django.utils import timezone

    today = timezone.localdate()
    election = make_election("voting", mandate_starts_on=today, mandate_ends_on=today.replace(year=today.year + 2))
    voters = [voter(make_association, f"Club {n}") for n in range(3)]
    elected = stand(election, voters[0][0], representative=voters[0][1])
    publish_roll(election)
    _cast(election, [(voters[1], [elected])])
    services.election_count(actor=staff, election=election)
    assert selectors.is_bureau_member(voters[0][1])
    assert not selectors.is_bureau_member(voters[1][1])


# ---------------------------------------------------------------------------------------------------------
# Forms


def _calendar(**changes):
    from django.utils import timezone

    now = timezone.localtime().replace(second=0, microsecond=0)
    day = datetime.timedelta(days=1)
    values = {
        "title": "Élection 2027",
        "candidacy_opens_at": now + day,
        "candidacy_closes_at": now + 10 * day,
        "voting_opens_at": now + 12 * day,
        "voting_closes_at": now + 14 * day,
        "mandate_starts_on": (now + 20 * day).date(),
        "mandate_ends_on": (now + 750 * day).date(),
        "tie_break": "draw",
    }
    values.update(changes)
    return {
        k: (v.strftime("%Y-%m-%dT%H:%M") if isinstance(v, datetime.datetime) else str(v)) for k, v in values.items()
    }


def test_the_office_creates_an_election_and_a_wrong_calendar_is_refused(client_for, staff):
    from tissu.council.models import Election

    client = client_for(staff)
    url = reverse("council:election-create")
    bad = _calendar()
    bad["voting_opens_at"] = bad["candidacy_opens_at"]
    response = client.post(url, bad)
    assert response.status_code == 400
    assert "Voting opens after the candidacy period" in response.content.decode()
    assert not Election.objects.exists()
    response = client.post(url, _calendar())
    election = Election.objects.get()
    assert response.status_code == 302 and len(election.tie_break_seed) == 16
    assert AuditEntry.objects.get(action="council.election.created").data["seed"] == election.tie_break_seed


def test_the_candidacy_form_submits_and_shows_a_clear_refusal(client_for, college, manager_a, association_a):
    election = make_election("candidacy")
    url = reverse("council:candidacy-create", args=[election.pk])
    data = {"association": association_a.pk, "representative": manager_a.pk, "statement": "Pour le sport."}
    refused = client_for(manager_a).post(url, data)
    assert refused.status_code == 400 and "verified by the city" in refused.content.decode()
    verify(association_a)
    assert client_for(manager_a).post(url, data).status_code == 302
    assert Candidacy.objects.get().statement == "Pour le sport."


def test_a_manager_who_is_not_the_representative_is_told_who_votes(voting, association_a, client_for):
    from django.contrib.auth import get_user_model

    from tissu.directory.models import Membership

    election, _candidacies, _others = voting
    treasurer = get_user_model().objects.create_user(email="t@example.org", password="x", full_name="Tom Treasurer")
    Membership.objects.create(user=treasurer, association=association_a, role="treasurer")
    response = client_for(treasurer).get(reverse("council:vote", args=[election.pk]))
    assert response.status_code == 403
    assert "Association A: Alice Manager votes." in response.content.decode()
    assert ballot_count(election) == (0, 0)
