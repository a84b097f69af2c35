import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from tissu.agenda import services
from tissu.agenda.models import Registration, RegistrationStatus, SessionChoice, SessionFormat
from tissu.agenda.tests.factories import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def rencontres(association_a):
    event = make_event("Rencontres de la vie associative", association=association_a, hours=28, capacity=50)
    start = event.starts_at

    def session(title, hours_from, duration, capacity=None, fmt=SessionFormat.ROTATING_WORKSHOP):
        return services.session_add(
            actor=None,
            event=event,
            title=title,
            format=fmt,
            starts_at=start + datetime.timedelta(hours=hours_from),
            ends_at=start + datetime.timedelta(hours=hours_from + duration),
            room="Salle 1",
            speakers="",
            description="",
            capacity=capacity,
        )

    sessions = {
        "plenary": session("Table ronde", 0, 1, fmt=SessionFormat.ROUND_TABLE),
        "workshop": session("Atelier : conventions pluriannuelles", 2, 1, capacity=1),
        "library": session("Bibliothèque humaine", 2.5, 1, capacity=10, fmt=SessionFormat.HUMAN_LIBRARY),
        "game": session("La fresque des enjeux associatifs", 20, 2, capacity=10, fmt=SessionFormat.SERIOUS_GAME),
    }
    return event, sessions


def confirmed(event, user):
    return Registration.objects.create(
        event=event, user=user, category=event.ticket_categories.get(), status=RegistrationStatus.CONFIRMED
    )


def test_an_attendee_builds_a_programme_without_overlaps(volunteer, client_for, rencontres):
    event, sessions = rencontres
    confirmed(event, volunteer)
    client = client_for(volunteer)
    join = lambda key: client.post(  # noqa: E731
        reverse("agenda:session-join", args=[event.slug, sessions[key].pk]), follow=True
    )
    assert "is in your programme" in join("workshop").text
    response = join("library")
    assert "overlaps “Atelier : conventions pluriannuelles”" in response.text
    join("game")
    assert set(SessionChoice.objects.values_list("session__title", flat=True)) == {
        "Atelier : conventions pluriannuelles", "La fresque des enjeux associatifs",
    }  # fmt: skip
    assert "Everyone attends this session" in join("plenary").text
    calendar = Calendar.from_ical(client.get(reverse("agenda:my-programme-ics", args=[event.slug])).content)
    titles = sorted(str(vevent["summary"]).split(" – ")[0] for vevent in calendar.walk("VEVENT"))
    assert titles == ["Atelier : conventions pluriannuelles", "La fresque des enjeux associatifs", "Table ronde"]
    client.post(reverse("agenda:session-leave", args=[event.slug, sessions["workshop"].pk]))
    assert "is in your programme" in join("library").text


def test_a_full_session_and_people_not_registered_are_refused(volunteer, manager_b, client_for, rencontres):
    event, sessions = rencontres
    confirmed(event, volunteer)
    services.session_join(user=volunteer, session=sessions["workshop"])
    confirmed(event, manager_b)
    response = client_for(manager_b).post(
        reverse("agenda:session-join", args=[event.slug, sessions["workshop"].pk]), follow=True
    )
    assert "is full" in response.text
    outsider = client_for(None)
    assert outsider.post(reverse("agenda:session-join", args=[event.slug, sessions["game"].pk])).status_code == 302
    from conftest import make_user

    stranger = make_user("stranger@example.org")
    response = client_for(stranger).post(
        reverse("agenda:session-join", args=[event.slug, sessions["game"].pk]), follow=True
    )
    assert "Register for the event first" in response.text
    assert SessionChoice.objects.count() == 1


def test_cancelling_the_registration_frees_the_sessions(volunteer, rencontres):
    event, sessions = rencontres
    registration = confirmed(event, volunteer)
    services.session_join(user=volunteer, session=sessions["workshop"])
    services.registration_cancel(actor=volunteer, registration=registration)
    assert not SessionChoice.objects.exists()


def test_the_event_page_shows_the_programme_by_day(volunteer, client_for, rencontres):
    event, _sessions = rencontres
    confirmed(event, volunteer)
    page = client_for(volunteer).get(reverse("agenda:event-detail", args=[event.slug])).text
    assert "Programme" in page and "Round table" in page and "Human library" in page
    assert "Add “Atelier : conventions pluriannuelles” to my programme" in page
    assert "1 place left" in page


def test_the_organiser_adds_sessions_within_the_event(manager_a, client_for, rencontres):
    event, _sessions = rencontres
    url = reverse("agenda:programme-settings", args=[event.slug])
    outside = event.ends_at + datetime.timedelta(days=2)
    data = {"action": "add_session", "title": "Hors dates", "format": "plenary",
            "starts_at": outside.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (outside + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")}  # fmt: skip
    response = client_for(manager_a).post(url, data)
    assert response.status_code == 400
    assert "within the dates of its event" in response.text
    inside = event.starts_at + datetime.timedelta(hours=5)
    data.update(title="Synthèse", starts_at=inside.strftime("%Y-%m-%dT%H:%M"),
                ends_at=(inside - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))  # fmt: skip
    response = client_for(manager_a).post(url, data)
    assert response.status_code == 400
    assert "cannot end before it starts" in response.text
    data["ends_at"] = (inside + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    assert client_for(manager_a).post(url, data).status_code == 302
    assert event.sessions.filter(title="Synthèse").exists()


def test_the_planning_shows_clashes_to_the_office(staff, client_for, association_a, association_b):
    make_event("Forum des associations", days=12)
    make_event("Tournoi de pétanque", association=association_b, days=12, publish=False)
    make_event("Concert", association=association_a, days=13)
    page = client_for(staff).get(reverse("agenda:planning"))
    days = {day.day: day for day in page.context["days"]}
    clashing = [day for day in days.values() if day.clashes]
    assert len(clashing) == 1 and clashing[0].clashes == 2
    assert "At the same time:" in page.text and "Tournoi de pétanque" in page.text
    assert "1 day with events at the same time" in page.text
