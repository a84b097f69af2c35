"""Background work of the directory (django-tasks: immediate in tests, the database queue otherwise)."""

from django_tasks import task


@task()
def import_run_task(*, run_id: int) -> None:
    """Run a back-office RNA import. Idempotent: a run that already started is left alone."""
    from tissu.directory.imports import import_run_execute_queued

    import_run_execute_queued(run_id=run_id)
