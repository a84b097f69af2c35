import csv
import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from tissu.agenda import selectors, services
from tissu.agenda.models import Event, Registration, RegistrationStatus
from tissu.agenda.tests.factories import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_event(association_a):
    return make_event("Formation comptabilité", association=association_a, capacity=2)


def english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def register(client, event, **data):
    category = event.ticket_categories.first()
    return client.post(reverse("agenda:register", args=[event.slug]), {"category": category.pk, **data})


def test_a_person_registers_and_gets_a_confirmation(
    volunteer, client_for, small_event, django_capture_on_commit_callbacks
):
    english(volunteer)
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client_for(volunteer), small_event)
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.CONFIRMED and registration.user == volunteer
    message = mail.outbox[0]
    assert message.to == [volunteer.email]
    assert message.subject == "Registration confirmed: Formation comptabilité"
    assert registration.code in message.body and registration.code in message.alternatives[0][0]
    assert reverse("agenda:event-ics", args=[small_event.slug]) in message.body
    page = client_for(volunteer).get(reverse("agenda:event-detail", args=[small_event.slug])).text
    assert "You are registered" in page and registration.code in page


def test_a_full_category_puts_people_on_the_waiting_list_then_offers_a_freed_place(
    personas, client_for, small_event, django_capture_on_commit_callbacks
):
    people = [english(personas[name]) for name in ["volunteer", "manager_b", "committee", "elected"]]
    with django_capture_on_commit_callbacks(execute=True):
        for person in people:
            register(client_for(person), small_event)
    statuses = dict(Registration.objects.values_list("user__email", "status"))
    assert [statuses[person.email] for person in people] == ["confirmed", "confirmed", "waiting", "waiting"]
    assert [message.subject.split(":")[0] for message in mail.outbox] == [
        "Registration confirmed", "Registration confirmed", "Waiting list", "Waiting list",
    ]  # fmt: skip
    page = client_for(people[3]).get(reverse("agenda:event-detail", args=[small_event.slug])).text
    assert "position 2" in page
    mail.outbox.clear()
    # The first person cancels: the place goes to the first on the waiting list, as an offer.
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people[0]).post(reverse("agenda:registration-cancel", args=[small_event.slug]))
    assert response.status_code == 302
    offered = Registration.objects.get(user=people[2], event=small_event)
    assert offered.status == RegistrationStatus.OFFERED
    assert offered.offer_expires_at == offered.offered_at + datetime.timedelta(hours=48)
    assert [message.to for message in mail.outbox] == [[people[2].email]]
    assert "A place is free for you" in mail.outbox[0].subject
    # Nobody new gets that place meanwhile.
    late = make_user("late@example.org")
    register(client_for(late), small_event)
    assert Registration.objects.get(user=late).status == RegistrationStatus.WAITING
    with django_capture_on_commit_callbacks(execute=True):
        client_for(people[2]).post(reverse("agenda:offer-accept", args=[small_event.slug]))
    offered.refresh_from_db()
    assert offered.status == RegistrationStatus.CONFIRMED
    assert Registration.objects.filter(event=small_event, status="confirmed").count() == 2


def test_an_offer_not_taken_in_time_goes_to_the_next_person(personas, small_event, django_capture_on_commit_callbacks):
    people = [personas[name] for name in ["volunteer", "manager_b", "committee", "elected"]]
    category = small_event.ticket_categories.get()
    for person in people:
        services.registration_create(user=person, event=small_event, category=category)
    services.registration_cancel(actor=people[0], registration=Registration.objects.get(user=people[0]))
    Registration.objects.filter(user=people[2]).update(offer_expires_at=timezone.now() - datetime.timedelta(minutes=1))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.offers_expire() == 1
    assert Registration.objects.get(user=people[2]).status == RegistrationStatus.EXPIRED
    assert Registration.objects.get(user=people[3]).status == RegistrationStatus.OFFERED
    assert [message.to for message in mail.outbox] == [[people[3].email]]
    with pytest.raises(ValidationError, match="expired"):
        services.offer_accept(user=people[2], registration=Registration.objects.get(user=people[2]))
    assert services.offers_expire() == 0  # idempotent


def test_the_expire_offers_command_runs(personas, small_event):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("agenda_expire_offers", stdout=out)
    assert "0" in out.getvalue()


def test_registration_after_the_deadline_is_refused(volunteer, client_for, small_event):
    Event.objects.filter(pk=small_event.pk).update(registration_closes_at=timezone.now() - datetime.timedelta(hours=1))
    response = register(client_for(volunteer), small_event)
    assert response.status_code == 400
    assert "Registration is not open for this event." in response.text
    assert not Registration.objects.exists()


def test_without_a_waiting_list_a_full_category_is_refused(personas, small_event):
    Event.objects.filter(pk=small_event.pk).update(waiting_list=False)
    small_event.refresh_from_db()
    category = small_event.ticket_categories.get()
    for name in ["volunteer", "manager_b"]:
        services.registration_create(user=personas[name], event=small_event, category=category)
    with pytest.raises(ValidationError, match="is full"):
        services.registration_create(user=personas["committee"], event=small_event, category=category)
    assert Registration.objects.count() == 2


def test_a_restricted_category_needs_its_code_whatever_the_spacing(personas, client_for, association_a):
    event = make_event("Rencontres de la vie associative", association=association_a)
    Event.objects.filter(pk=event.pk).update(registration_required=True)
    agents = services.ticket_category_add(
        actor=None, event=event, name="Agent territorial", capacity=50, access_code="46 SXRVA 002"
    )
    url = reverse("agenda:register", args=[event.slug])
    client = client_for(personas["volunteer"])
    response = client.post(url, {"category": agents.pk, "access_code": "46 SXRVA 003"})
    assert response.status_code == 400
    assert "This registration code is not the one of this category." in response.text
    assert not Registration.objects.exists()
    assert client.post(url, {"category": agents.pk, "access_code": "46sxrva002"}).status_code == 302
    assert Registration.objects.get().category == agents


def test_required_questions_and_consent(volunteer, client_for, small_event):
    question = services.question_add(actor=None, event=small_event, label="Votre structure ?", required=True)
    Event.objects.filter(pk=small_event.pk).update(consent_text="J'accepte d'être photographié·e.")
    client = client_for(volunteer)
    response = register(client, small_event)
    assert response.status_code == 400
    assert not Registration.objects.exists()
    assert register(client, small_event, **{f"question_{question.pk}": "Mairie", "consent": "on"}).status_code == 302
    assert Registration.objects.get().answers == {str(question.pk): "Mairie"}


def test_one_active_registration_per_person(volunteer, small_event):
    category = small_event.ticket_categories.get()
    services.registration_create(user=volunteer, event=small_event, category=category)
    with pytest.raises(ValidationError, match="already registered"):
        services.registration_create(user=volunteer, event=small_event, category=category)
    # After cancelling, the person may register again.
    services.registration_cancel(actor=volunteer, registration=Registration.objects.get())
    services.registration_create(user=volunteer, event=small_event, category=category)
    assert Registration.objects.filter(status="confirmed").count() == 1


def test_the_organiser_lists_exports_and_checks_in(personas, client_for, small_event):
    category = small_event.ticket_categories.get()
    question = services.question_add(actor=None, event=small_event, label="Régime alimentaire", required=False)
    volunteer = personas["volunteer"]
    registration = services.registration_create(
        user=volunteer, event=small_event, category=category, answers={str(question.pk): "=HYPERLINK(1)"}
    )
    client = client_for(personas["manager_a"])
    page = client.get(reverse("agenda:registration-list", args=[small_event.slug]))
    assert volunteer.full_name in page.text and registration.code in page.text
    export = client.get(reverse("agenda:registration-csv", args=[small_event.slug]))
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][-1] == "Régime alimentaire"
    assert rows[1][:3] == [volunteer.full_name, volunteer.email, "Participant"]
    assert rows[1][-1] == "'=HYPERLINK(1)"  # no formula in the organiser's spreadsheet
    url = reverse("agenda:check-in", args=[small_event.slug])
    client.post(url, {"code": registration.code.lower()})
    registration.refresh_from_db()
    assert registration.checked_in_at is not None and registration.checked_in_by == personas["manager_a"]
    response = client.post(url, {"code": registration.code}, follow=True)
    assert "Already checked in" in response.text
    response = client.post(url, {"code": "NOPE1234"}, follow=True)
    assert "No registration of this event has the code NOPE1234." in response.text


def test_the_organiser_sets_categories_and_questions(manager_a, client_for, small_event):
    client = client_for(manager_a)
    url = reverse("agenda:registration-settings", args=[small_event.slug])
    response = client.post(url, {"action": "add_category", "category-name": "", "category-capacity": "0"})
    assert response.status_code == 400
    response = client.post(
        url,
        {"action": "add_category", "category-name": "Agent territorial", "category-capacity": "30",
         "category-access_code": "46 SXRVA 002"},
    )  # fmt: skip
    assert response.status_code == 302
    assert small_event.ticket_categories.get(name="Agent territorial").access_code == "46 SXRVA 002"
    client.post(url, {"action": "add_question", "question-label": "Collectivité", "question-required": "on"})
    question = small_event.questions.get()
    assert question.required
    client.post(url, {"action": "delete_question", "pk": question.pk})
    assert not small_event.questions.exists()
    empty = small_event.ticket_categories.get(name="Agent territorial")
    client.post(url, {"action": "delete_category", "pk": empty.pk})
    assert not small_event.ticket_categories.filter(pk=empty.pk).exists()


def test_a_category_with_registrations_is_not_deleted(manager_a, volunteer, client_for, small_event):
    category = small_event.ticket_categories.get()
    services.registration_create(user=volunteer, event=small_event, category=category)
    response = client_for(manager_a).post(
        reverse("agenda:registration-settings", args=[small_event.slug]),
        {"action": "delete_category", "pk": category.pk},
        follow=True,
    )
    assert "cannot be deleted" in response.text
    assert small_event.ticket_categories.exists()


def test_my_events_lists_registrations_and_organised_events(manager_a, client_for, small_event):
    services.registration_create(user=manager_a, event=small_event, category=small_event.ticket_categories.get())
    page = client_for(manager_a).get(reverse("agenda:my-events")).text
    assert page.count("Formation comptabilité") == 2


def test_personal_data_export_and_erasure(personas, small_event):
    from tissu.lib import personal_data

    category = small_event.ticket_categories.get()
    volunteer, other, third = personas["volunteer"], personas["manager_b"], personas["committee"]
    services.registration_create(user=volunteer, event=small_event, category=category)
    services.registration_create(user=other, event=small_event, category=category)
    services.registration_create(user=third, event=small_event, category=category)
    exported = selectors.registrations_export(volunteer)
    assert exported[0]["event"] == "Formation comptabilité"
    assert "agenda" in {provider.key for provider in personal_data.providers()}
    services.registrations_erase_for_user(volunteer)
    assert not Registration.objects.filter(user=volunteer).exists()
    assert Registration.objects.get(user=third).status == RegistrationStatus.OFFERED


def test_the_emails_render_in_french_for_french_speakers(volunteer, small_event, django_capture_on_commit_callbacks):
    category = small_event.ticket_categories.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(user=volunteer, event=small_event, category=category)
    assert mail.outbox[0].subject == "Inscription confirmée : Formation comptabilité"
