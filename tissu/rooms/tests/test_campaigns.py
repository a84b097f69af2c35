"""A seasonal campaign from the call to the bookings: requests (and bad ones explained), the optimiser's run as
a task, reasons, pins and exclusions, validation by the commission, publication and notification."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tissu.rooms import campaigns, validation
from tissu.rooms.models import (
    Booking,
    BookingStatus,
    CampaignStatus,
    Closure,
    Decision,
    Public,
    RunState,
    SlotRequest,
)
from tissu.rooms.tests.factories import make_booking, make_building, make_campaign, make_room

pytestmark = pytest.mark.django_db
TUESDAY, WEDNESDAY = 1, 2


def evening_building():
    return make_building(opens=datetime.time(17), closes=datetime.time(22))


def file(actor, campaign, association, options, **values):
    values.setdefault("activity", "Judo")
    values.setdefault("participants", 20)
    values.setdefault("duration_minutes", 120)
    return campaigns.request_file(
        actor=actor, campaign=campaign, association=association, values=values,
        options=[(rank, day, datetime.time(hour), room) for rank, day, hour, room in options],
    )  # fmt: skip


def run(staff, campaign, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        campaigns.campaign_run_enqueue(actor=staff, campaign=campaign)
    campaign.refresh_from_db()
    return campaign


def test_a_manager_files_a_request_through_the_form(client_for, manager_a, association_a):
    room = make_room(building=evening_building())
    campaign = make_campaign(rooms=[room])
    response = client_for(manager_a).post(
        reverse("rooms:request-create", args=[campaign.pk]),
        {"association": association_a.pk, "activity": "Chorale", "public": "adults", "participants": 18,
         "duration_minutes": 90, "option_0_weekday": TUESDAY, "option_0_start": "18:30",
         "option_3_weekday": WEDNESDAY, "option_3_start": "19:00"},
    )  # fmt: skip
    slot_request = SlotRequest.objects.get()
    assert response.status_code == 302
    assert [(o.rank, o.weekday) for o in slot_request.options.all()] == [(1, TUESDAY), (0, WEDNESDAY)]


@pytest.mark.parametrize(
    ("options", "participants", "message"),
    [
        ([(1, TUESDAY, 21, None)], 10, "no suitable room is open on tuesday from 21:00 to 23:00"),
        ([(1, TUESDAY, 18, None)], 80, "no room of 80 places is offered"),
        ([], 10, "Give at least your first choice"),
    ],
)
def test_requests_no_room_could_take_are_explained(manager_a, association_a, options, participants, message):
    campaign = make_campaign(rooms=[make_room(building=evening_building())])
    with pytest.raises(ValidationError) as error:
        file(manager_a, campaign, association_a, options, participants=participants)
    assert message in " ".join(error.value.messages)
    assert not SlotRequest.objects.exists()


def test_overlapping_requests_of_one_group_are_warned(manager_a, association_a):
    campaign = make_campaign(rooms=[make_room(building=evening_building())])
    file(manager_a, campaign, association_a, [(1, TUESDAY, 18, None)], group="Poussins")
    _request, warnings = file(manager_a, campaign, association_a, [(1, TUESDAY, 19, None)], group="poussins ")
    assert warnings and "same group" in warnings[0]


def test_a_closed_campaign_takes_no_request(manager_a, association_a):
    campaign = make_campaign(rooms=[make_room(building=evening_building())], status=CampaignStatus.REVIEW)
    with pytest.raises(ValidationError, match="does not take requests"):
        file(manager_a, campaign, association_a, [(1, TUESDAY, 18, None)])


def test_the_whole_season(
    client_for, staff, committee, manager_a, manager_b, association_a, association_b, django_capture_on_commit_callbacks
):
    building = evening_building()
    room = make_room(building=building, name="Dojo", capacity=30)
    campaign = make_campaign(rooms=[room])
    # A school holiday week inside the season: no booking on its Tuesday.
    holiday = campaign.season_start + datetime.timedelta(days=40)
    Closure.objects.create(
        building=None, kind="school", start_date=holiday, end_date=holiday + datetime.timedelta(days=6),
        label="Vacances de la Toussaint",
    )  # fmt: skip
    judo, _ = file(manager_a, campaign, association_a, [(1, TUESDAY, 18, None), (2, WEDNESDAY, 18, None)])
    youth, _ = file(manager_b, campaign, association_b, [(1, TUESDAY, 18, None)], public=Public.YOUTH, activity="Éveil")
    campaigns.campaign_move(actor=staff, campaign=campaign, action="close")
    campaign = run(staff, campaign, django_capture_on_commit_callbacks)
    assert campaign.run_state == RunState.DONE and campaign.run_report["status"] == "optimal"
    judo.refresh_from_db()
    youth.refresh_from_db()
    assert youth.decision == Decision.ALLOCATED and youth.allocated_room == room
    assert judo.decision == Decision.ALLOCATED and judo.allocated_option.weekday == WEDNESDAY
    assert validation.check_campaign(campaign) == []
    # The commission reads every decision with its reason.
    page = client_for(committee).get(reverse("rooms:campaign-detail", args=[campaign.pk])).content.decode()
    assert "Granted: choice 2" in page and "Association B" in page
    # Staff pin judo on Tuesday and re-run: the youth request loses it, with the reason.
    campaigns.request_pin(actor=staff, slot_request=judo, option=judo.options.get(rank=1))
    campaign = run(staff, campaign, django_capture_on_commit_callbacks)
    youth.refresh_from_db()
    assert youth.decision == Decision.REFUSED and youth.reason["because"]["code"] == "taken"
    campaigns.request_pin(actor=staff, slot_request=judo, option=None)
    campaign = run(staff, campaign, django_capture_on_commit_callbacks)
    # The commission validates; the office publishes; associations are told; bookings exist minus closures.
    campaigns.campaign_validate(actor=committee, campaign=campaign)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        summary = campaigns.campaign_publish(actor=staff, campaign=campaign)
    bookings = Booking.objects.filter(slot_request=youth, status=BookingStatus.APPROVED)
    dates = {b.start.date() for b in bookings}
    assert bookings.count() == summary["bookings"] - Booking.objects.filter(slot_request=judo).count()
    assert all(d.weekday() == TUESDAY for d in dates) and not any(
        holiday <= d <= holiday + datetime.timedelta(days=6) for d in dates
    )
    assert datetime.date(campaign.season_start.year, 11, 11) not in dates  # Armistice, a public holiday
    recipients = {address for message in mail.outbox for address in message.to}
    assert {manager_a.email, manager_b.email} <= recipients
    assert any("Éveil" in message.body for message in mail.outbox)


def test_publication_skips_dates_already_booked(
    staff, committee, manager_a, association_a, django_capture_on_commit_callbacks
):
    room = make_room(building=evening_building())
    campaign = make_campaign(rooms=[room])
    request, _ = file(manager_a, campaign, association_a, [(1, TUESDAY, 18, None)])
    first_tuesday = campaign.season_start + datetime.timedelta(days=(TUESDAY - campaign.season_start.weekday()) % 7)
    make_booking(room=room, day=first_tuesday, start=19, end=21)
    campaigns.campaign_move(actor=staff, campaign=campaign, action="close")
    campaign = run(staff, campaign, django_capture_on_commit_callbacks)
    campaigns.campaign_validate(actor=committee, campaign=campaign)
    summary = campaigns.campaign_publish(actor=staff, campaign=campaign)
    assert summary["skipped"] >= 1
    assert not Booking.objects.filter(slot_request=request, start__date=first_tuesday).exists()


def test_a_campaign_without_a_possible_allocation_is_explained(
    staff, manager_a, association_a, django_capture_on_commit_callbacks
):
    room = make_room(building=evening_building())
    campaign = make_campaign(rooms=[room])
    one, _ = file(manager_a, campaign, association_a, [(1, TUESDAY, 18, None)])
    two, _ = file(manager_a, campaign, association_a, [(1, TUESDAY, 19, None)], activity="Karaté")
    campaigns.campaign_move(actor=staff, campaign=campaign, action="close")
    campaigns.request_pin(actor=staff, slot_request=one, option=one.options.get())
    campaigns.request_pin(actor=staff, slot_request=two, option=two.options.get())
    campaign = run(staff, campaign, django_capture_on_commit_callbacks)
    assert campaign.run_state == RunState.FAILED and campaign.run_report["message"] == "pinned"
    with pytest.raises(ValidationError, match="Run the allocation"):
        campaigns.campaign_validate(actor=staff, campaign=campaign)


def test_the_commission_cannot_validate_an_allocation_that_breaks_a_rule(
    staff, committee, manager_a, association_a, django_capture_on_commit_callbacks
):
    room = make_room(building=evening_building(), capacity=30)
    campaign = make_campaign(rooms=[room])
    file(manager_a, campaign, association_a, [(1, TUESDAY, 18, None)])
    campaigns.campaign_move(actor=staff, campaign=campaign, action="close")
    campaign = run(staff, campaign, django_capture_on_commit_callbacks)
    room.capacity = 10  # the room changed after the run: the proposal no longer fits
    room.save(update_fields=["capacity"])
    with pytest.raises(ValidationError, match="hard constraint"):
        campaigns.campaign_validate(actor=committee, campaign=campaign)


def test_the_staff_button_runs_the_allocation(
    client_for, staff, manager_a, association_a, django_capture_on_commit_callbacks
):
    campaign = make_campaign(rooms=[make_room(building=evening_building())])
    file(manager_a, campaign, association_a, [(1, TUESDAY, 18, None)])
    client = client_for(staff)
    client.post(reverse("rooms:campaign-act", args=[campaign.pk, "close"]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("rooms:campaign-act", args=[campaign.pk, "run"]))
    assert response.status_code == 302
    page = client.get(reverse("rooms:campaign-detail", args=[campaign.pk])).content.decode()
    assert "Granted: choice 1" in page
    assert "proven optimal" in page


def test_a_manager_sees_only_the_requests_of_his_associations(
    client_for, manager_a, manager_b, association_a, association_b
):
    campaign = make_campaign(rooms=[make_room(building=evening_building())])
    file(manager_a, campaign, association_a, [(1, TUESDAY, 18, None)], activity="Judo")
    file(manager_b, campaign, association_b, [(1, TUESDAY, 18, None)], activity="Chorale")
    page = client_for(manager_a).get(reverse("rooms:campaign-detail", args=[campaign.pk])).content.decode()
    assert "Judo" in page and "Chorale" not in page


def test_the_campaign_page_has_a_constant_query_count(client_for, staff, make_association):
    room = make_room(building=evening_building())
    campaign = make_campaign(rooms=[room])
    client = client_for(staff)

    def add(count):
        for _number in range(count):
            association = make_association(f"Club {SlotRequest.objects.count()}")
            request = SlotRequest.objects.create(campaign=campaign, association=association, activity="Foot",
                                                 participants=10, duration_minutes=60)  # fmt: skip
            request.options.create(rank=1, weekday=TUESDAY, start=datetime.time(18))

    add(1)
    client.get(reverse("rooms:campaign-detail", args=[campaign.pk]))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("rooms:campaign-detail", args=[campaign.pk]))
    add(10)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("rooms:campaign-detail", args=[campaign.pk]))
    assert len(many.captured_queries) == len(one.captured_queries)
