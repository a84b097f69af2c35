"""Sharing on PostgreSQL: an item's availability for a month and the catalogue page, small and large.

Usage (from the repository root):

    .venv/bin/python bench/sharing.py --db tissu_bench_sharing --drop

The scratch database is created, migrated and filled with a seeded generator (bulk inserts): first
--small-items items and --small-loans loans, then up to --items items and --loans loans (defaults 5,000 and
200,000), spread over ten years around the measured month (December 2026), in every status. One item (the
first, a stock of 400 chairs) takes 5 % of the loans, so that its month is busy: it is the item measured.
At each size, through the real views with Django's test client (anonymous, one warm-up then --runs timed
requests): the item page with its availability calendar for December 2026, the catalogue's first page,
the catalogue filtered by a category, and a later page of the catalogue; plus the availability of the
item for the month through the selector alone. It prints the median, p95 and the number of queries.
The PostgreSQL server is BENCH_PG (default postgres://postgres@127.0.0.1:5432).
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scratch import database, setup_django  # noqa: E402 (bench/ is on sys.path when run as a script)

MONTH = datetime.date(2026, 12, 1)
NAMES = ["Barnum", "Table", "Chaise", "Sono", "Vidéoprojecteur", "Percolateur", "Barrière", "Grille", "Tente"]
STATUSES = [  # (status, weight): most loans of the past are returned
    ("returned", 55), ("accepted", 12), ("checked_out", 6), ("requested", 10), ("refused", 7), ("cancelled", 10),
]  # fmt: skip


def add_items(first: int, count: int) -> None:
    from django.db import transaction

    from tissu.directory.models import Association
    from tissu.sharing.models import Category, Item

    rng = random.Random(first)
    owners = list(Association.objects.filter(slug__startswith="bench-"))
    if not owners:
        owners = Association.objects.bulk_create(
            Association(name=f"Association {n}", slug=f"bench-{n}", search_name=f"association {n}") for n in range(300)
        )
    categories = Category.values
    with transaction.atomic():
        Item.objects.bulk_create(
            (
                Item(
                    name="Chaise pliante (bench)" if n == 0 else f"{rng.choice(NAMES)} {n:05d}",
                    owner=None if n == 0 or rng.random() < 0.35 else rng.choice(owners),
                    category=Category.FURNITURE if n == 0 else rng.choice(categories),
                    description="Matériel de démonstration pour la mesure.",
                    quantity=400 if n == 0 else rng.choice([1, 1, 2, 4, 10, 80]),
                    pickup_place="Centre technique municipal",
                    max_loan_days=14,
                    notice_days=2,
                )
                for n in range(first, first + count)
            ),
            batch_size=2000,
        )


def add_loans(first: int, count: int) -> None:
    from django.db import connection, transaction

    from tissu.directory.models import Association
    from tissu.sharing.models import Item, Loan

    rng = random.Random(10_000 + first)
    items = list(Item.objects.order_by("pk").values_list("pk", "quantity"))
    busy = items[0]
    borrowers = list(Association.objects.filter(slug__startswith="bench-").values_list("pk", flat=True))
    statuses = [status for status, _weight in STATUSES]
    weights = [weight for _status, weight in STATUSES]
    span = 10 * 365
    with transaction.atomic():
        rows = []
        for _ in range(count):
            item_pk, stock = busy if rng.random() < 0.05 else rng.choice(items)
            start = MONTH + datetime.timedelta(days=rng.randrange(span) - span // 2)
            if item_pk == busy[0] and rng.random() < 0.1:
                start = MONTH + datetime.timedelta(days=rng.randrange(31))  # the measured month is busy
            rows.append(
                Loan(
                    item_id=item_pk,
                    borrower_id=rng.choice(borrowers),
                    quantity=max(1, rng.randrange(stock) // 20) if stock > 1 else 1,
                    start_date=start,
                    end_date=start + datetime.timedelta(days=rng.randrange(7)),
                    status=rng.choices(statuses, weights)[0],
                )
            )
            if len(rows) == 10_000:
                Loan.objects.bulk_create(rows)
                rows = []
        Loan.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _timed(runs: int, call) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()  # warm-up
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            call()
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
    return statistics.median(times), p95, len(queries.captured_queries)


def measure(runs: int) -> list[tuple]:
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from tissu.sharing import selectors
    from tissu.sharing.models import Item

    client = Client()
    item = Item.objects.order_by("pk").first()
    cases = [
        ("item page, December 2026", reverse("sharing:item-detail", args=[item.pk]), {"mois": "2026-12"}),
        ("catalogue, page 1", reverse("sharing:catalogue"), {}),
        ("catalogue, one category", reverse("sharing:catalogue"), {"category": "sound"}),
        ("catalogue, page 40", reverse("sharing:catalogue"), {"page": "40"}),
    ]
    results = []
    for name, url, params in cases:
        response = client.get(url, params)
        assert response.status_code == 200, (name, response.status_code)

        def call(url=url, params=params):
            client.get(url, params)

        results.append((name, *_timed(runs, call)))
    today = timezone.localdate()
    results.append(
        (
            "availability, selector only",
            *_timed(runs, lambda: selectors.month_calendar(item, MONTH.year, MONTH.month, today=today)),
        )
    )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="tissu_bench_sharing")
    parser.add_argument("--small-items", type=int, default=50)
    parser.add_argument("--small-loans", type=int, default=2_000)
    parser.add_argument("--items", type=int, default=5_000)
    parser.add_argument("--loans", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--drop", action="store_true", help="drop the scratch database at the end")
    args = parser.parse_args()
    database(args.db, drop=True)
    database(args.db)
    setup_django(args.db, EMAIL_URL="dummy:")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from tissu.sharing.models import Item, Loan

    print(f"load average at start: {os.getloadavg()[0]:.1f}", file=sys.stderr)
    print("| Case | items | loans | loans of the item | median | p95 | queries |\n|---|---|---|---|---|---|---|")
    for items, loans in ((args.small_items, args.small_loans), (args.items, args.loans)):
        start = time.perf_counter()
        add_items(Item.objects.count(), items - Item.objects.count())
        add_loans(Loan.objects.count(), loans - Loan.objects.count())
        print(f"(generated {items} items, {loans} loans in {time.perf_counter() - start:.0f} s)", file=sys.stderr)
        of_item = Loan.objects.filter(item=Item.objects.order_by("pk").first()).count()
        for name, median, p95, queries in measure(args.runs):
            print(f"| {name} | {items:,} | {loans:,} | {of_item:,} | {median:.1f} ms | {p95:.1f} ms | {queries} |")
        print(f"load average: {os.getloadavg()[0]:.1f}", file=sys.stderr)
    if args.drop:
        from django.db import connections

        connections.close_all()
        database(args.db, drop=True)


if __name__ == "__main__":
    main()
