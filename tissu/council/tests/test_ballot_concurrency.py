"""No double vote under parallel attempts: the unique constraint on Participation refuses the second ballot
(removing the constraint makes this test fail: every attempt passes the exists() check together)."""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.utils import translation

from tests.concurrency import run_together
from tissu.council import services
from tissu.council.models import Ballot, Participation
from tissu.council.tests.factories import make_college, make_election, publish_roll, stand, voter

PARALLEL = 8
assert connection  # used by the skipif conditions below


def hold_the_ballot_box_a_moment(locked: threading.Event):
    """Lock the participation table in another connection, so that every attempt reaches its "already
    voted?" check and waits there, then all go on together once the lock is released: the check alone
    cannot stop them; only the unique constraint can."""
    try:
        with transaction.atomic():
            with connections["default"].cursor() as cursor:
                cursor.execute("LOCK TABLE council_participation IN ACCESS EXCLUSIVE MODE")
            locked.set()
            time.sleep(1.5)
    finally:
        connections.close_all()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
def test_parallel_ballots_of_one_association_leave_exactly_one_ballot(make_association):
    make_college(seats=2, substitute_seats=1)
    election = make_election("voting")
    association, representative = voter(make_association, "Club de judo")
    candidacies = [stand(election, voter(make_association, f"Club {n}")[0]) for n in range(3)]
    publish_roll(election)

    def cast(number):
        with translation.override("en"):  # each thread starts in the default language (French)
            return services.ballot_cast(
                actor=representative,
                election=election,
                association=association,
                candidacy_ids=[candidacies[number % 3].pk],
            )

    calls = [lambda number=number: cast(number) for number in range(PARALLEL)]
    locked = threading.Event()
    locker = threading.Thread(target=hold_the_ballot_box_a_moment, args=(locked,))
    locker.start()
    locked.wait()
    errors, results = run_together(*calls)
    locker.join()
    assert len(results) == 1
    assert len(errors) == PARALLEL - 1
    assert all("already voted" in " ".join(error.messages) for error in errors)
    assert Ballot.objects.filter(election=election).count() == 1
    assert Participation.objects.filter(election=election).count() == 1


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
def test_parallel_ballots_of_different_associations_are_all_counted(make_association):
    make_college(seats=1, substitute_seats=0)
    election = make_election("voting")
    voters = [voter(make_association, f"Association {n}") for n in range(PARALLEL)]
    candidacy = stand(election, voters[0][0])
    publish_roll(election)
    errors, results = run_together(
        *[
            lambda a=association, u=user: services.ballot_cast(
                actor=u, election=election, association=a, candidacy_ids=[candidacy.pk]
            )
            for association, user in voters
        ]
    )
    assert not errors and len(results) == PARALLEL
    assert Ballot.objects.filter(election=election).count() == PARALLEL
    assert Participation.objects.filter(election=election).count() == PARALLEL
