"""Background work of the rooms module (django-tasks: immediate in tests, the database queue otherwise)."""

from django_tasks import task


@task()
def allocation_run_task(*, campaign_id: int) -> None:
    """Run the optimiser for a campaign. Idempotent: only a queued run starts."""
    from tissu.rooms.campaigns import campaign_run

    campaign_run(campaign_id=campaign_id)
