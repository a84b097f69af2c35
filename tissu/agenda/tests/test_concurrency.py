"""No overbooking under parallel registrations: many clients at once for a small event (PostgreSQL only).

SQLite serialises every write, so the race this guards against cannot happen there.
"""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from conftest import make_user
from tissu.agenda.models import Registration, RegistrationStatus
from tissu.agenda.tests.factories import make_event

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]

CLIENTS = 24
PLACES = 5


def test_parallel_registrations_never_overbook(association_a):
    event = make_event("Atelier très demandé", association=association_a, capacity=PLACES)
    people = [make_user(f"person{number}@example.org") for number in range(CLIENTS)]
    url = reverse("agenda:register", args=[event.slug])
    category = event.ticket_categories.get()
    start = threading.Barrier(CLIENTS)
    statuses, errors = [], []

    def attempt(person):
        from django.db import connections

        try:
            client = Client()
            client.force_login(person)
            start.wait()
            statuses.append(client.post(url, {"category": category.pk}).status_code)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert statuses == [302] * CLIENTS
    confirmed = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).count()
    waiting = Registration.objects.filter(event=event, status=RegistrationStatus.WAITING).count()
    assert (confirmed, waiting) == (PLACES, CLIENTS - PLACES)
