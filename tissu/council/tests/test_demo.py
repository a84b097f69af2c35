import pytest
from django.core.management import call_command

from tissu.council import selectors, tally
from tissu.council.models import Candidacy, College, Consultation, Election, Meeting, WorkingGroup

pytestmark = pytest.mark.django_db


def test_the_demo_city_has_a_council_like_malakoff_s():
    call_command("seed_demo")
    assert list(College.objects.values_list("seats", "substitute_seats")) == [(4, 4), (4, 4), (1, 1)]
    past = Election.objects.get(counted_at__isnull=False)
    assert selectors.current_election() == past
    assert selectors.bureau(), "the current mandate has elected associations"
    official = {r.candidacy_id: (r.votes, r.rank, r.outcome) for r in selectors.results(past)[0][1]}
    recounted = tally.recount(selectors.published_ballots(past))
    assert official.items() <= recounted.items()
    assert Election.objects.get(counted_at__isnull=True).phase() == "candidacy"
    assert Meeting.objects.filter(minutes_status="published").count() >= 10
    assert set(WorkingGroup.objects.values_list("name", flat=True)) == {"Droits des femmes", "Paix"}
    assert Consultation.objects.filter(published_at__isnull=False).count() == 2
    before = (Candidacy.objects.count(), Meeting.objects.count(), past.ballots.count())
    call_command("seed_demo")
    assert (Candidacy.objects.count(), Meeting.objects.count(), past.ballots.count()) == before
