"""Agenda on PostgreSQL: month view and event page at 50 and 50,000 events; concurrent registrations.

Usage (from the repository root):

    .venv/bin/python bench/agenda.py --db tissu_bench_agenda --drop

The scratch database is created, migrated and filled with a seeded generator (bulk inserts of events with
their one Occurrence row each, spread over ten years around the measured month). Phase (a): with 50 events,
then with --events events, the month view and an event page are requested through the real views with
Django's test client (one warm-up, then --runs timed requests); it prints the median, p95 and query count.
Phase (b): --clients threads each register a different person through ``services.registration_create``
(the real registration path, with its row lock and e-mails rendered) for an event of --seats places with a
waiting list; it prints registrations/s and checks that exactly --seats are confirmed. Each thread has its
own database connection; at most --connections are open at once (PostgreSQL's max_connections is 100 by
default and the server is shared). The PostgreSQL server is BENCH_PG (default postgres://postgres@127.0.0.1:5432).
"""

import argparse
import datetime
import random
import re
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scratch import database, setup_django  # noqa: E402 (bench/ is on sys.path when run as a script)

MONTH = datetime.date(2026, 12, 1)  # the month measured; events are spread over five years either side
WORDS = ["forum", "atelier", "concert", "repas", "collecte", "tournoi", "balade", "conférence", "fête", "stage"]


def add_events(first: int, count: int) -> None:
    """Events number first..first+count-1 (published, public, one-off), each with its Occurrence row."""
    from django.db import connection, transaction
    from django.utils import timezone

    from tissu.agenda.models import Category, Event, Occurrence
    from tissu.directory import search
    from tissu.directory.models import Association

    rng = random.Random(first)
    categories = [
        Category.objects.get_or_create(slug=f"bench-{n}", defaults={"name": f"Catégorie {n}"})[0] for n in range(8)
    ]
    associations = list(Association.objects.filter(slug__startswith="bench-"))
    if not associations:
        associations = Association.objects.bulk_create(
            Association(name=f"Association {n}", slug=f"bench-{n}", search_name=f"association {n}") for n in range(300)
        )
    start = timezone.make_aware(datetime.datetime.combine(MONTH, datetime.time(9)))
    span = 10 * 365 * 24 * 60  # minutes: five years either side of the measured month
    now = timezone.now()
    with transaction.atomic():
        rows = []
        for n in range(first, first + count):
            starts = start + datetime.timedelta(minutes=rng.randrange(span) - span // 2)
            # The first 50 events fall in the measured month so that the small case shows something too.
            if n < 50:
                starts = start + datetime.timedelta(days=rng.randrange(28), hours=rng.randrange(10))
            association = rng.choice(associations)
            title = f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {n}"
            rows.append(
                Event(
                    title=title,
                    slug=f"bench-{n}",
                    summary=f"{title} au centre social.",
                    association=association,
                    category=rng.choice(categories),
                    publication="published",
                    published_at=now,
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(hours=rng.choice([1, 2, 3, 26])),
                    venue_name="Salle des fêtes",
                    venue_address="1 place de la Mairie",
                    step_free=rng.random() < 0.5,
                    search_text=search.search_text(title, association.name),
                )
            )
        events = Event.objects.bulk_create(rows, batch_size=2000)
        Occurrence.objects.bulk_create(
            (Occurrence(event=event, starts_at=event.starts_at, ends_at=event.ends_at) for event in events),
            batch_size=5000,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(runs: int) -> list[tuple]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = Client()
    cases = [
        ("month view", reverse("agenda:month"), {"mois": MONTH.strftime("%Y-%m")}),
        ("event page", reverse("agenda:event-detail", args=["bench-7"]), {}),
    ]
    results = []
    for name, url, params in cases:
        response = client.get(url, params)
        assert response.status_code == 200, name
        shown = len(set(re.findall(r'href="[^"]*/(bench-[0-9]+)/"', response.content.decode())))
        times = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                client.get(url, params)
                times.append((time.perf_counter() - start) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
        results.append((name, shown, statistics.median(times), p95, len(queries.captured_queries)))
    return results


def registrations(clients: int, seats: int, connections_at_once: int) -> dict:
    from django.core.exceptions import ValidationError
    from django.db import connection
    from django.utils import timezone

    from tissu.accounts.models import User
    from tissu.agenda import services
    from tissu.agenda.models import Event, Registration

    organiser, _ = User.objects.get_or_create(email="organiser@bench.example", defaults={"full_name": "Organiser"})
    starts = timezone.now() + datetime.timedelta(days=30)
    event = services.event_create(
        actor=organiser,
        association=None,
        values={
            "title": "Forum des associations (bench)",
            "starts_at": starts,
            "ends_at": starts + datetime.timedelta(hours=6),
            "venue_name": "Halle",
            "registration_required": True,
            "waiting_list": True,
        },
    )
    event = services.event_publish(actor=organiser, event=event)
    category = services.ticket_category_add(actor=organiser, event=event, name="Visiteur", capacity=seats)
    users = User.objects.bulk_create(
        User(email=f"r{n}@bench.example", full_name=f"Participant {n}", password="!") for n in range(clients)
    )
    gate = threading.Semaphore(connections_at_once)
    barrier = threading.Barrier(clients)
    outcomes, lock = [], threading.Lock()

    def client(user):
        barrier.wait()  # every client starts at once
        with gate:
            try:
                try:
                    registration = services.registration_create(
                        user=user, event=Event.objects.get(pk=event.pk), category=category
                    )
                    outcome = registration.status
                except ValidationError:
                    outcome = "refused"
            finally:
                connection.close()
        with lock:
            outcomes.append(outcome)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(client, users))
    elapsed = time.perf_counter() - start
    stored = {
        status: Registration.objects.filter(event=event, status=status).count() for status in ("confirmed", "waiting")
    }
    return {
        "clients": clients,
        "seconds": elapsed,
        "per_second": clients / elapsed,
        "confirmed": outcomes.count("confirmed"),
        "waiting": outcomes.count("waiting"),
        "refused": outcomes.count("refused"),
        "stored": stored,
        "oversold": stored["confirmed"] > seats,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="tissu_bench_agenda")
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seats", type=int, default=100)
    parser.add_argument("--connections", type=int, default=80, help="database connections open at once")
    parser.add_argument("--drop", action="store_true", help="drop the scratch database at the end")
    args = parser.parse_args()
    database(args.db, drop=True)
    database(args.db)
    setup_django(args.db, EMAIL_URL="dummy:")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print("| Case | events | events linked on the page | median | p95 | queries |\n|---|---|---|---|---|---|")
    done = 0
    for total in (50, args.events):
        start = time.perf_counter()
        add_events(done, total - done)
        done = total
        print(f"(generated up to {total} events in {time.perf_counter() - start:.0f} s)", file=sys.stderr)
        for name, shown, median, p95, queries in measure(args.runs):
            print(f"| {name} | {total:,} | {shown} | {median:.1f} ms | {p95:.1f} ms | {queries} |")
    result = registrations(args.clients, args.seats, args.connections)
    print(
        f"\n{result['clients']} clients, {args.seats} seats: {result['seconds']:.2f} s, "
        f"{result['per_second']:.0f} registrations/s; confirmed {result['confirmed']}, waiting list "
        f"{result['waiting']}, refused {result['refused']}; stored {result['stored']}; "
        f"oversold: {'YES' if result['oversold'] else 'no'}"
    )
    if args.drop:
        from django.db import connections

        connections.close_all()
        database(args.db, drop=True)
    if result["oversold"] or result["stored"]["confirmed"] != args.seats:
        sys.exit(1)


if __name__ == "__main__":
    main()
