"""Running calls truly in parallel, for the tests of row locks and constraints on PostgreSQL."""

import threading

from django.core.exceptions import ValidationError
from django.db import connections


def run_together(*calls, refused=(ValidationError,)) -> tuple[list, list]:
    """Run each call in its own thread (so its own database connection), all released at the same instant.

    Returns (errors, results): the `refused` exceptions the calls raised, and what the others returned.
    Any other exception fails the test from its thread's output and leaves its result out.
    """
    barrier = threading.Barrier(len(calls))
    errors, results = [], []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        except refused as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors, results
