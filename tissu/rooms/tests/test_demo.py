import pytest
from django.core.management import call_command

from tissu.rooms import campaigns, validation
from tissu.rooms.models import Booking, Campaign, CampaignStatus, Decision, Room, RunState, SlotRequest

pytestmark = pytest.mark.django_db


def test_the_demo_city_has_rooms_last_season_and_a_campaign_ready_to_allocate(django_capture_on_commit_callbacks):
    call_command("seed_demo")
    assert Room.objects.count() == 8
    past = Campaign.objects.get(status=CampaignStatus.PUBLISHED)
    assert Booking.objects.filter(slot_request__campaign=past).count() > 100
    upcoming = Campaign.objects.get(status=CampaignStatus.REVIEW)
    assert upcoming.requests.count() == 40
    assert upcoming.requests.filter(previous_weekday__isnull=False).exists()
    before = (Room.objects.count(), Booking.objects.count(), SlotRequest.objects.count())
    call_command("seed_demo")
    assert (Room.objects.count(), Booking.objects.count(), SlotRequest.objects.count()) == before
    # The office can run the allocation at once; the proposal passes the independent validator.
    from tissu.accounts.models import User

    office = User.objects.filter(is_superuser=True).first()
    with django_capture_on_commit_callbacks(execute=True):
        campaigns.campaign_run_enqueue(actor=office, campaign=upcoming)
    upcoming.refresh_from_db()
    assert upcoming.run_state == RunState.DONE, upcoming.run_report
    assert upcoming.requests.filter(decision=Decision.ALLOCATED).count() >= 30
    assert validation.check_campaign(upcoming) == []
