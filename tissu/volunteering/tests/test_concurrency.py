"""Places under parallel requests, on PostgreSQL where they truly run in parallel (skipped on SQLite)."""

import pytest
from django.db import connection, connections  # noqa: F401 (read by the skipif condition)
from django.test import Client
from django.urls import reverse

from conftest import make_user
from tests.concurrency import run_together
from tissu.directory.models import Membership
from tissu.volunteering import services
from tissu.volunteering.models import Application, ApplicationStatus, MissionStatus
from tissu.volunteering.tests.helpers import make_application, make_mission

pytestmark = [pytest.mark.skipif("connection.vendor != 'postgresql'"), pytest.mark.django_db(transaction=True)]


def test_managers_accepting_at_once_never_overfill_the_mission(personas):
    mission = make_mission(places=2)
    managers = [personas["manager_a"]]
    for number in range(3):
        manager = make_user(f"manager{number}@example.org")
        Membership.objects.create(user=manager, association=mission.association, role="board_member")
        managers.append(manager)
    applications = [make_application(mission, make_user(f"v{number}@example.org")) for number in range(4)]
    errors, _results = run_together(
        *[
            (
                lambda manager=manager, application=application: services.application_accept(
                    actor=manager, application=application
                )
            )
            for manager, application in zip(managers, applications, strict=True)
        ]
    )
    assert len(errors) == 2
    assert Application.objects.filter(status=ApplicationStatus.ACCEPTED).count() == 2
    mission.refresh_from_db()
    assert mission.status == MissionStatus.FULL


def test_parallel_clients_accepting_the_last_place(personas):
    mission = make_mission(places=1)
    second = make_user("second@example.org")
    Membership.objects.create(user=second, association=mission.association, role="secretary")
    first_application = make_application(mission, make_user("x@example.org"))
    second_application = make_application(mission, make_user("y@example.org"))

    def accept(user, application):
        client = Client()
        client.force_login(user)
        return client.post(reverse("volunteering:application-action", args=[application.pk]), {"action": "accept"})

    errors, responses = run_together(
        lambda: accept(personas["manager_a"], first_application), lambda: accept(second, second_application)
    )
    assert errors == [] and len(responses) == 2
    assert Application.objects.filter(status=ApplicationStatus.ACCEPTED).count() == 1


def test_a_double_submission_makes_one_application(personas):
    mission = make_mission(places=3)
    volunteer = personas["volunteer"]
    errors, _results = run_together(
        *[(lambda: services.application_create(volunteer=volunteer, mission=mission, message="Hi")) for _ in range(3)]
    )
    assert len(errors) == 2
    assert Application.objects.filter(volunteer=volunteer).count() == 1
