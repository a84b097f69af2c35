"""What organisers and attendees get around a registration: the .ics attachment, the check-in QR code, the
spreadsheet export, writing to the attendees, and notices of registrations and cancellations."""

import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from icalendar import Calendar
from openpyxl import load_workbook

from tissu.agenda import services
from tissu.agenda.models import Event, Registration
from tissu.agenda.tests.factories import make_event
from tissu.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_event(association_a, manager_a):
    return make_event("Formation comptabilité", association=association_a, actor=manager_a, capacity=2)


def english(*users):
    for user in users:
        user.language = "en"
        user.save(update_fields=["language"])


def register(user, event):
    return services.registration_create(user=user, event=event, category=event.ticket_categories.get())


def test_the_confirmation_email_carries_the_event_as_an_ics_attachment(
    volunteer, small_event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        register(volunteer, small_event)
    (message,) = mail.outbox
    ((filename, content, mimetype),) = message.attachments
    assert (filename, mimetype) == ("evenement.ics", "text/calendar")
    (vevent,) = Calendar.from_ical(content).walk("VEVENT")
    assert str(vevent["summary"]) == "Formation comptabilité"


def test_a_confirmed_attendee_sees_a_qr_code_that_opens_the_check_in_with_their_code(
    volunteer, manager_a, client_for, small_event
):
    registration = register(volunteer, small_event)
    page = client_for(volunteer).get(reverse("agenda:event-detail", args=[small_event.slug])).text
    assert '<svg aria-hidden="true" focusable="false" class="qr-code"' in page
    assert f"give your code {registration.code}" in page
    # The URL the QR code holds: the organiser's list with the code typed in, ready to check in.
    checkin = client_for(manager_a).get(
        reverse("agenda:registration-list", args=[small_event.slug]), {"code": registration.code}
    )
    assert f'name="code" value="{registration.code}"' in checkin.text


def test_no_qr_code_on_the_waiting_list(personas, client_for, small_event):
    for name in ["manager_b", "committee", "volunteer"]:
        register(personas[name], small_event)
    page = client_for(personas["volunteer"]).get(reverse("agenda:event-detail", args=[small_event.slug])).text
    assert "waiting list" in page and "qr-code" not in page


def test_the_organiser_downloads_the_list_as_a_spreadsheet_without_formulas(
    volunteer, manager_a, client_for, small_event
):
    question = services.question_add(actor=None, event=small_event, label="Régime alimentaire", required=False)
    registration = services.registration_create(
        user=volunteer,
        event=small_event,
        category=small_event.ticket_categories.get(),
        answers={str(question.pk): "=HYPERLINK(1)"},
    )
    response = client_for(manager_a).get(reverse("agenda:registration-xlsx", args=[small_event.slug]))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][0] == "Name" and rows[0][-1] == "Régime alimentaire"
    assert rows[1][:3] == (volunteer.full_name, volunteer.email, "Participant")
    assert rows[1][5] == registration.code
    assert rows[1][-1] == "'=HYPERLINK(1)"  # text, not a formula


def test_the_organiser_writes_to_the_attendees_and_only_to_them(
    personas, client_for, small_event, django_capture_on_commit_callbacks
):
    english(*[user for user in personas.values() if user])
    for name in ["volunteer", "manager_b", "committee"]:  # capacity 2: the third one waits
        register(personas[name], small_event)
    mail.outbox.clear()
    url = reverse("agenda:attendees-message", args=[small_event.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(personas["manager_a"]).post(
            url, {"subject": "Salle changée", "body": "Rendez-vous salle 2."}, follow=True
        )
    assert "Message sent to 2 people." in response.text
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [personas["volunteer"].email, personas["manager_b"].email]
    )
    message = mail.outbox[0]
    assert message.subject == "Salle changée – Formation comptabilité"
    assert "Rendez-vous salle 2." in message.body and "Alice Manager" in message.body
    assert AuditEntry.objects.filter(action="agenda.attendees.messaged", data__recipients=2).exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(personas["manager_a"]).post(url, {"subject": "Rappel", "body": "Demain.", "include_waiting": "on"})
    assert len(mail.outbox) == 3


def test_an_empty_message_or_an_event_without_attendees_is_refused(manager_a, small_event):
    with pytest.raises(ValidationError) as error:
        services.attendees_message(actor=manager_a, event=small_event, subject=" ", body="")
    assert set(error.value.message_dict) == {"subject", "body"}
    with pytest.raises(ValidationError, match="Nobody to write to"):
        services.attendees_message(actor=manager_a, event=small_event, subject="Info", body="Texte")
    assert not mail.outbox and not AuditEntry.objects.filter(action="agenda.attendees.messaged").exists()


def test_the_organiser_who_asked_hears_of_registrations_and_cancellations(
    volunteer, manager_a, small_event, django_capture_on_commit_callbacks
):
    english(volunteer, manager_a)
    with django_capture_on_commit_callbacks(execute=True):
        register(volunteer, small_event)
    assert [message.to for message in mail.outbox] == [[volunteer.email]]  # not asked: no notice
    Event.objects.filter(pk=small_event.pk).update(notify_organiser=True)
    services.registration_cancel(actor=volunteer, registration=Registration.objects.get())
    small_event.refresh_from_db()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        register(volunteer, small_event)
        services.registration_cancel(actor=volunteer, registration=Registration.objects.get(status="confirmed"))
    notices = [message for message in mail.outbox if message.to == [manager_a.email]]
    assert [message.subject for message in notices] == [
        "New registration: Formation comptabilité",
        "Cancellation: Formation comptabilité",
    ]
    assert "Vera Volunteer registered" in notices[0].body
    assert reverse("agenda:registration-list", args=[small_event.slug]) in notices[0].body
