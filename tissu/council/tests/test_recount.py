"""A recount from the published anonymised ballots (ballots.json) gives the official result, on hand-made and
on hypothesis-generated elections (colleges, seats, voters, ballots and ties drawn at random)."""

import datetime
import json

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import create_association, make_user
from tissu.council import services, tally
from tissu.council.models import CandidacyResult, Election
from tissu.council.tests.factories import designate, make_college, make_election, publish_roll, stand
from tissu.directory.models import Membership

pytestmark = pytest.mark.django_db


def official(election) -> dict[int, tuple[int, int, str]]:
    return {
        r.candidacy_id: (r.votes, r.rank, r.outcome)
        for r in CandidacyResult.objects.filter(candidacy__election=election)
    }


def published(election) -> dict:
    response = Client().get(reverse("council:ballots-json", args=[election.pk]))
    assert response.status_code == 200
    return json.loads(response.content)


def close(election) -> Election:
    Election.objects.filter(pk=election.pk).update(voting_closes_at=timezone.now())
    election.refresh_from_db()
    return election


FAMILIES = ["011000", "006000", "019000"]


@st.composite
def elections(draw):
    colleges = []
    for index in range(draw(st.integers(1, 3))):
        seats = draw(st.integers(1, 4))
        colleges.append(
            {
                "family": FAMILIES[index],
                "seats": seats,
                "substitutes": draw(st.integers(0, 4)),
                "candidacies": draw(st.integers(0, 6)),
                # per voter: None = abstains, [] = blank, else indexes of the college's candidacies
                "voters": draw(
                    st.lists(st.one_of(st.none(), st.lists(st.integers(0, 5), max_size=seats)), max_size=10)
                ),
            }
        )
    return {
        "tie_break": draw(st.sampled_from(["draw", "oldest"])),
        "colleges": colleges,
        # Few distinct creation dates, some unknown: ties under "oldest" need the draw fallback.
        "dates": draw(
            st.lists(st.sampled_from([None, "1901-07-01", "1980-01-01", "2020-06-15"]), min_size=60, max_size=60)
        ),
    }


def build_and_vote(spec, staff) -> Election:
    election = make_election("voting", tie_break=spec["tie_break"])
    serial = iter(range(10_000))
    dates = iter(spec["dates"])
    plans = []
    for position, college_spec in enumerate(spec["colleges"]):
        college = make_college(
            name=f"Collège {position}",
            seats=college_spec["seats"],
            substitute_seats=college_spec["substitutes"],
            families=(college_spec["family"],),
            position=position,
        )
        candidacies = []
        for _ in range(college_spec["candidacies"]):
            number = next(serial)
            date = next(dates)
            association = create_association(
                f"Candidate {number}",
                theme_1=college_spec["family"],
                verified_at=timezone.now(),
                creation_date=datetime.date.fromisoformat(date) if date else None,
            )
            candidacies.append(stand(election, association, college=college))
        for choice in college_spec["voters"]:
            number = next(serial)
            association = create_association(
                f"Voter {number}", theme_1=college_spec["family"], verified_at=timezone.now()
            )
            user = make_user(f"voter{number}@example.org")
            Membership.objects.create(user=user, association=association, role="president")
            designate(association, user)
            if choice is not None:
                names = list(dict.fromkeys(candidacies[i].pk for i in choice if i < len(candidacies)))
                plans.append((association, user, names))
    publish_roll(election)
    for association, user, names in plans:
        services.ballot_cast(
            actor=user, election=election, association=association, candidacy_ids=names, blank=not names
        )
    close(election)
    services.election_count(actor=staff, election=election)
    return election


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(spec=elections())
def test_a_recount_of_generated_elections_gives_the_official_result(spec, staff):
    with transaction.atomic():
        election = build_and_vote(spec, staff)
        document = published(election)
        assert tally.recount(document) == official(election)
        # Every participation has its ballot, and nothing else is in the box.
        assert len(document["ballots"]) == election.participations.count()
        transaction.set_rollback(True)


def test_a_recount_with_ties_under_the_draw_rule_matches(staff, make_association):
    make_college(seats=1, substitute_seats=1)
    election = make_election("voting", tie_break="draw")
    voters = []
    for number in range(4):
        association = create_association(f"Club {number}", theme_1="011000", verified_at=timezone.now())
        user = make_user(f"club{number}@example.org")
        Membership.objects.create(user=user, association=association, role="president")
        designate(association, user)
        voters.append((association, user))
    candidacies = [stand(election, association) for association, _user in voters[:3]]
    publish_roll(election)
    for (association, user), candidacy in zip(voters, [*candidacies, candidacies[0]], strict=True):
        services.ballot_cast(actor=user, election=election, association=association, candidacy_ids=[candidacy.pk])
    close(election)
    services.election_count(actor=staff, election=election)
    assert tally.recount(published(election)) == official(election)
    results = {r.candidacy_id: r for r in CandidacyResult.objects.all()}
    # 2 votes for the first; 1 each for the others: the draw seed decides who is the substitute.
    assert results[candidacies[0].pk].outcome == "titular"
    tied = sorted([candidacies[1].pk, candidacies[2].pk], key=lambda cid: tally.draw_key(election.tie_break_seed, cid))
    assert results[tied[0]].outcome == "substitute" and results[tied[0]].tie_broken
    assert results[tied[1]].outcome == "not_elected" and results[tied[1]].tie_broken


def test_a_recount_refuses_a_tampered_publication():
    document = {
        "tie_break": "draw",
        "tie_break_seed": "abc",
        "colleges": [{"id": 1, "name": "Sports", "seats": 1, "substitute_seats": 0}],
        "candidacies": [{"id": 7, "college": 1}, {"id": 8, "college": 1}],
        "ballots": [{"code": "AAAA", "college": 1, "blank": False, "choices": [7, 8]}],
    }
    with pytest.raises(ValueError, match="too many names"):
        tally.recount(document)
    document["ballots"] = [{"code": "AAAA", "college": 1, "blank": False, "choices": [7]}] * 2
    with pytest.raises(ValueError, match="appears twice"):
        tally.recount(document)


def test_the_ranking_marks_only_ties_the_rule_decided():
    keys = {1: ("a",), 2: ("b",), 3: ("c",), 4: ("d",)}
    placed = {
        p.candidacy_id: p for p in tally.rank_college(votes={1: 3, 2: 3, 3: 1, 4: 1}, keys=keys, seats=2, substitutes=1)
    }
    # 1 and 2 tie but both take a seat: the rule decided nothing between them.
    assert not placed[1].tie_broken and not placed[2].tie_broken
    assert (placed[3].outcome, placed[4].outcome) == ("substitute", "not_elected")
    assert placed[3].tie_broken and placed[4].tie_broken


def test_the_recount_command_confirms_the_official_result(staff, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    make_college(seats=1, substitute_seats=0)
    election = make_election("voting")
    association = create_association("Club", theme_1="011000", verified_at=timezone.now())
    user = make_user("club@example.org")
    Membership.objects.create(user=user, association=association, role="president")
    designate(association, user)
    candidacy = stand(election, association)
    publish_roll(election)
    services.ballot_cast(actor=user, election=election, association=association, candidacy_ids=[candidacy.pk])
    close(election)
    services.election_count(actor=staff, election=election)
    out = StringIO()
    call_command("council_recount", election.pk, stdout=out)
    assert "the recount equals the official result" in out.getvalue()
    path = tmp_path / "ballots.json"
    path.write_text(json.dumps(published(election)), encoding="utf-8")
    out = StringIO()
    call_command("council_recount", "--file", str(path), stdout=out)
    assert "titular" in out.getvalue() and "1 ballots" in out.getvalue()
