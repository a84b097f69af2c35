"""Configuration by the office, the voting representative, list pages' query counts and personal data."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tissu.council import selectors, services
from tissu.council.models import College, CollegeTheme, VotingRepresentative
from tissu.council.tests.factories import (
    DAY,
    designate,
    make_college,
    make_election,
    publish_roll,
    stand,
    theme,
    verify,
    voter,
)
from tissu.lib import personal_data

pytestmark = pytest.mark.django_db


def test_the_office_creates_a_college_with_its_theme_families(client_for, staff):
    sports = theme("011000", "sports")
    response = client_for(staff).post(
        reverse("council:college-create"),
        {"name": "Sports et loisirs", "seats": 1, "substitute_seats": 1, "position": 2, "themes": [sports.pk]},
    )
    assert response.status_code == 302
    college = College.objects.get()
    assert (college.seats, college.substitute_seats) == (1, 1)
    assert list(college.themes.values_list("code", flat=True)) == ["011000"]


def test_a_theme_family_belongs_to_one_college_only(staff):
    make_college(name="Sports", families=("011000",))
    with pytest.raises(ValidationError, match="Already in another college"):
        services.college_save(
            actor=staff,
            college=None,
            name="Loisirs",
            seats=1,
            substitute_seats=0,
            position=1,
            themes=[theme("011000")],
        )
    assert CollegeTheme.objects.count() == 1


def test_a_college_needs_a_seat_and_its_seats_are_locked_during_an_election(staff):
    college = make_college(seats=4, substitute_seats=4, families=("006000",))
    with pytest.raises(ValidationError, match="at least one seat"):
        services.college_save(
            actor=staff, college=college, name="x", seats=0, substitute_seats=0, position=0, themes=[]
        )
    election = make_election("campaign")
    verify(make_association_for(college), family="006000")
    publish_roll(election)
    with pytest.raises(ValidationError, match="seats cannot change"):
        services.college_save(
            actor=staff, college=college, name=college.name, seats=3, substitute_seats=4, position=0, themes=[]
        )


def make_association_for(college):
    from conftest import create_association

    return create_association("Chorale", theme_1=college.themes.first().code)


def test_only_the_office_configures(manager_a):
    with pytest.raises(PermissionDenied):
        services.council_settings_update(actor=manager_a, name="x", mandate_years=2, rules="")


def test_a_manager_designates_a_member_as_voting_representative(client_for, manager_a, association_a, volunteer):
    url = reverse("council:representative-edit", args=[association_a.slug])
    response = client_for(manager_a).post(url, {"user": manager_a.pk})
    assert response.status_code == 302
    assert VotingRepresentative.objects.get(association=association_a).user == manager_a
    with pytest.raises(ValidationError, match="member of the association"):
        services.voting_representative_designate(actor=manager_a, association=association_a, user=volunteer)


def test_a_manager_of_another_association_cannot_designate(manager_b, association_a):
    with pytest.raises(PermissionDenied):
        services.voting_representative_designate(actor=manager_b, association=association_a, user=manager_b)


def test_the_roll_is_hidden_until_published(client, make_association):
    make_college()
    election = make_election("campaign")
    assert client.get(reverse("council:roll", args=[election.pk])).status_code == 404
    voter(make_association, "Club de judo")
    publish_roll(election)
    response = client.get(reverse("council:roll", args=[election.pk]))
    assert response.status_code == 200 and "Club de judo" in response.content.decode()


def test_the_roll_and_the_ballots_pages_query_counts_do_not_grow(client, make_association):
    make_college(seats=2)
    election = make_election("voting")
    first = voter(make_association, "Club 0")
    candidacy = stand(election, first[0])
    publish_roll(election)
    roll = reverse("council:roll", args=[election.pk])
    client.get(roll)  # the city's settings are cached by the first page

    def counts():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as roll_queries:
            client.get(roll)
        return len(roll_queries.captured_queries)

    few = counts()
    for number in range(1, 8):
        association, _user = voter(make_association, f"Club {number}")
        election.roll.create(association=association, college=candidacy.college)
    assert counts() == few
    # Ballots: one, then eight (each cast through the service while voting is open).
    services.ballot_cast(actor=first[1], election=election, association=first[0], candidacy_ids=[candidacy.pk])
    ballots = reverse("council:ballots", args=[election.pk])

    def ballot_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        type(election).objects.filter(pk=election.pk).update(voting_closes_at=timezone.now())
        with CaptureQueriesContext(connection) as queries:
            assert client.get(ballots).status_code == 200
        type(election).objects.filter(pk=election.pk).update(voting_closes_at=timezone.now() + DAY)
        return len(queries.captured_queries)

    one = ballot_queries()
    for entry in election.roll.exclude(association=first[0]).select_related("association"):
        user = entry.association.voting_representative.user
        services.ballot_cast(actor=user, election=election, association=entry.association, candidacy_ids=[candidacy.pk])
    assert ballot_queries() == one


def test_the_personal_data_provider_exports_and_erases(manager_a, association_a, make_association):
    make_college()
    verify(association_a)
    designate(association_a, manager_a)
    election = make_election("candidacy")
    candidacy = stand(election, association_a, representative=manager_a)
    provider = next(p for p in personal_data.providers() if p.key == "council")
    exported = provider.export(manager_a)
    assert exported["voting_representative_for"] == ["Association A"]
    assert exported["candidacies"][0]["association"] == "Association A"
    provider.erase(manager_a)
    candidacy.refresh_from_db()
    assert candidacy.representative is None and candidacy.representative_name == "Alice Manager"
    assert not VotingRepresentative.objects.exists()
    assert selectors.personal_data_export(manager_a)["candidacies"] == []


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def test_list_pages_query_counts_do_not_grow(client_for, staff, make_association):
    import datetime

    from tissu.council.models import Consultation, WorkingGroup

    def add(number):
        verify(make_association(f"Club {number}"))
        WorkingGroup.objects.create(name=f"Groupe {number}", description="…")
        Consultation.objects.create(
            title=f"Sujet {number}",
            question="?",
            level="information",
            answer_due_on=datetime.date(2027, 1, 1),
            published_at=timezone.now(),
        )

    make_college()
    make_election("candidacy")
    add(0)
    client = client_for(staff)
    urls = [
        reverse(name)
        for name in ("council:home", "council:group-list", "council:consultation-list", "council:placement")
    ]
    for url in urls:
        client.get(url)  # warm the caches (city settings, roles)
    few = [_queries(client, url) for url in urls]
    for number in range(1, 9):
        add(number)
        make_election("candidacy", title=f"Élection {number}")
    assert [_queries(client, url) for url in urls] == few
