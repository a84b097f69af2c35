"""Volunteer hours: declared by the volunteer on a mission they were accepted on, confirmed by the association."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tissu.volunteering import services
from tissu.volunteering.models import HoursStatus
from tissu.volunteering.tests.helpers import make_application, make_mission

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def test_hours_on_a_mission_one_was_not_accepted_on_are_refused(volunteer):
    application = make_application(make_mission(), volunteer, status="discussing")
    with pytest.raises(ValidationError, match="accepted on"):
        services.hours_declare(volunteer=volunteer, application=application, day=YESTERDAY, hours=2)


def test_hours_in_the_future_are_refused(volunteer):
    application = make_application(make_mission(), volunteer, status="accepted")
    with pytest.raises(ValidationError):
        services.hours_declare(
            volunteer=volunteer, application=application, day=YESTERDAY + datetime.timedelta(days=3), hours=2
        )


def test_declared_then_confirmed_by_the_association(client_for, volunteer, manager_a, manager_b):
    application = make_application(make_mission(), volunteer, status="accepted")
    response = client_for(volunteer).post(
        reverse("volunteering:hours-declare", args=[application.pk]),
        {"day": YESTERDAY.isoformat(), "hours": "3.5", "note": "Accueil"},
    )
    assert response.status_code == 302
    entry = application.hours.get()
    assert entry.status == HoursStatus.DECLARED
    with pytest.raises(PermissionDenied):
        services.hours_decide(actor=manager_b, entry=entry, confirm=True)
    client_for(manager_a).post(
        reverse("volunteering:hours-decide", args=[application.pk, entry.pk]), {"decision": "confirm"}
    )
    entry.refresh_from_db()
    assert (entry.status, entry.decided_by) == (HoursStatus.CONFIRMED, manager_a)


def test_too_many_hours_in_a_day_are_refused(client_for, volunteer):
    application = make_application(make_mission(), volunteer, status="accepted")
    response = client_for(volunteer).post(
        reverse("volunteering:hours-declare", args=[application.pk]), {"day": YESTERDAY.isoformat(), "hours": "30"}
    )
    assert response.status_code == 400


def test_the_certificate_sums_the_confirmed_hours(client_for, volunteer, manager_a, manager_b):
    application = make_application(make_mission(title="Collecte"), volunteer, status="accepted")
    url = reverse("volunteering:certificate", args=[application.pk])
    entry = application.hours.create(day=YESTERDAY - datetime.timedelta(days=5), hours=3, note="Tri")
    assert client_for(volunteer).get(url).status_code == 404  # nothing confirmed yet
    application.hours.create(day=YESTERDAY, hours="2.5", status="confirmed")
    application.hours.create(day=YESTERDAY, hours=4, status="refused")
    services.hours_decide(actor=manager_a, entry=entry, confirm=True)
    response = client_for(volunteer).get(url)
    html = response.content.decode()
    assert response.context["certificate"].total_hours == 5.5
    assert "Vera Volunteer" in html and "Collecte" in html and "5.50 hours" in html
    assert "its representative: Alice Manager" in html
    assert client_for(manager_a).get(url).status_code == 200
    assert client_for(manager_b).get(url).status_code == 404
