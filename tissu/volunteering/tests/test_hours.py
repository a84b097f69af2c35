"""Volunteer hours: declared by the volunteer on a mission they were accepted on, confirmed by the association."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tissu.volunteering import selectors, services
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


def _certified(volunteer, manager_a):
    application = make_application(make_mission(title="Collecte"), volunteer, status="accepted")
    entry = application.hours.create(day=YESTERDAY, hours=3, note="Tri")
    services.hours_decide(actor=manager_a, entry=entry, confirm=True)
    return application


def test_the_certificate_pdf_is_a_pdf_for_the_volunteer_only(client_for, volunteer, manager_a, manager_b):
    application = _certified(volunteer, manager_a)
    url = reverse("volunteering:certificate-pdf", args=[application.pk])
    response = client_for(volunteer).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "attachment" in response["Content-Disposition"]
    assert client_for(manager_b).get(url).status_code == 404


def test_the_verification_page_confirms_a_genuine_code(client, client_for, volunteer, manager_a):
    application = _certified(volunteer, manager_a)
    code = selectors.certificate_for(application).verification_code
    assert code.startswith(f"{application.pk}-")
    response = client.get(reverse("volunteering:certificate-verify"), {"code": code.lower()})
    assert response.status_code == 200
    html = response.content.decode()
    assert "This certificate is genuine" in html and "Vera Volunteer" in html and "Collecte" in html
    assert response["X-Robots-Tag"] == "noindex"


def test_a_forged_code_is_refused_without_revealing_anything(client, volunteer, manager_a):
    application = _certified(volunteer, manager_a)
    code = selectors.certificate_for(application).verification_code
    forged = code[:-1] + ("A" if code[-1] != "A" else "B")
    response = client.get(reverse("volunteering:certificate-verify"), {"code": forged})
    assert response.status_code == 404
    html = response.content.decode()
    assert "No current certificate has this code" in html and "Vera Volunteer" not in html
    assert client.get(reverse("volunteering:certificate-verify"), {"code": "no-such"}).status_code == 404


def test_a_code_stops_matching_when_the_confirmed_hours_change(client, volunteer, manager_a):
    application = _certified(volunteer, manager_a)
    old_code = selectors.certificate_for(application).verification_code
    more = application.hours.create(day=YESTERDAY, hours=2)
    services.hours_decide(actor=manager_a, entry=more, confirm=True)
    assert selectors.certificate_verify(old_code) is None
    new_code = selectors.certificate_for(application).verification_code
    assert new_code != old_code
    assert selectors.certificate_verify(new_code).total_hours == 5
