"""Funding on PostgreSQL: the office's list of applications (with filters) and the SCDL export of grants.

Usage (from the repository root):

    # a scratch database with 10,000 applications in every state (about a third decided)
    .venv/bin/python bench/funding.py generate --db tissu_bench_funding --applications 10000
    # measure, in a fresh process (peak RSS is the process's high-water mark)
    .venv/bin/python bench/funding.py measure --db tissu_bench_funding
    # then bring the decided grants to 50,000 and measure again; --drop removes the database at the end
    .venv/bin/python bench/funding.py generate --db tissu_bench_funding --grants 50000
    .venv/bin/python bench/funding.py measure --db tissu_bench_funding --drop

The list is requested 30 times per filter through the real view, signed in as the associations office;
the export is consumed piece by piece as a WSGI server would (bytes counted, not kept), so the peak RSS
shows what streaming costs. Query counts are printed for each request kind: they must not grow with data.
"""

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scratch import database, setup_django  # noqa: E402

STATUSES = ["received", "incomplete", "complete", "under_review", "committee", "decided", "notified", "paid",
            "report_due", "closed"]  # fmt: skip
DECIDED = {"decided", "notified", "paid", "report_due", "closed"}
WORDS = ["fête", "jardin", "sport", "musique", "solidarité", "quartier", "jeunesse", "théâtre", "vélo", "lecture"]


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _base(rng):
    from django.core.management import call_command
    from django.utils import timezone

    from tissu.accounts.models import StaffRole, User
    from tissu.city.models import CitySettings
    from tissu.directory.models import Association
    from tissu.funding.models import AidScheme, CallForProjects

    call_command("migrate", verbosity=0)
    city = CitySettings.objects.filter(pk=1).first() or CitySettings.objects.create(pk=1)
    city.name, city.siret = "Bellerive-sur-Orge", "21910999800001"
    city.save()
    staff = User.objects.filter(email="bench-staff@example.org").first()
    if staff is None:
        from django.contrib.auth.models import Group

        staff = User.objects.create_user(email="bench-staff@example.org", password="x" * 12, full_name="Bench")
        staff.groups.add(Group.objects.get(name=StaffRole.ASSOCIATIONS_OFFICE))
    if not Association.objects.exists():
        Association.objects.bulk_create(
            Association(name=f"Association {i:04d}", slug=f"bench-{i}", rna_id=f"W91{i:07d}",
                        siret="73282932000074" if i % 3 else "", search_name=f"association {i:04d}")
            for i in range(1000)
        )  # fmt: skip
    schemes = []
    for slug, kind in [("projets", "project"), ("fonctionnement", "operating"), ("fph", "project")]:
        scheme, _ = AidScheme.objects.get_or_create(
            slug=slug, defaults={"name": f"Dispositif {slug}", "funder_name": "Ville", "summary": "…",
                                 "grant_kind": kind, "applications_in_tissu": True, "amount_max": Decimal("20000")},
        )  # fmt: skip
        schemes.append(scheme)
    now = timezone.now()
    calls = []
    for year in (2025, 2026, 2027):
        for scheme in schemes:
            call, _ = CallForProjects.objects.get_or_create(
                title=f"{scheme.name} {year}",
                defaults={"scheme": scheme, "year": year, "opens_at": now - timedelta(days=400),
                          "closes_at": now + timedelta(days=30)},
            )  # fmt: skip
            calls.append(call)
    return list(Association.objects.values_list("pk", flat=True)), calls


def _create(rng, associations, calls, count: int, statuses: list[str], start: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from tissu.funding.models import BudgetLine, GrantApplication, Payment

    now = timezone.now()
    batch = 5000
    for offset in range(0, count, batch):
        with transaction.atomic():
            rows = []
            for n in range(start + offset, start + min(offset + batch, count)):
                status = rng.choice(statuses)
                call = rng.choice(calls)
                decided = status in DECIDED
                amount = Decimal(rng.randrange(5, 200) * 100)
                rows.append(
                    GrantApplication(
                        reference=f"B-{n:07d}", call=call, association_id=rng.choice(associations), status=status,
                        project_title=f"Projet {rng.choice(WORDS)} {n}", amount_requested=amount,
                        submitted_at=now - timedelta(minutes=n), decision="granted" if decided else "",
                        decided_amount=amount if decided else None,
                        deliberation_ref=f"DEL-{call.year}-{n % 300}" if decided else "",
                        deliberation_date=date(call.year, 1 + n % 12, 1 + n % 28) if decided else None,
                        instalments=1 + n % 2,
                    )
                )  # fmt: skip
            created = GrantApplication.objects.bulk_create(rows)
            lines, payments = [], []
            for application in created:
                if application.decision:
                    half = application.decided_amount / 2
                    lines += [
                        BudgetLine(application=application, budget=kind, code=code, planned=value)
                        for kind in ("association", "project")
                        for code, value in (("604", half * 3), ("74com", application.decided_amount), ("756", half))
                    ]
                    payments.append(
                        Payment(application=application, amount=half, paid_on=application.deliberation_date)
                    )
            BudgetLine.objects.bulk_create(lines)
            Payment.objects.bulk_create(payments)
        print(f"  {start + min(offset + batch, count):,} applications", flush=True)


def generate(args) -> None:
    database(args.db)
    setup_django(args.db)
    from tissu.funding.models import GrantApplication

    rng = random.Random(2026)
    associations, calls = _base(rng)
    existing = GrantApplication.objects.count()
    if args.applications and existing < args.applications:
        _create(rng, associations, calls, args.applications - existing, STATUSES, existing)
    if args.grants:
        decided = GrantApplication.objects.filter(decision="granted").count()
        if decided < args.grants:
            _create(rng, associations, calls, args.grants - decided, sorted(DECIDED), GrantApplication.objects.count())
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"{GrantApplication.objects.count():,} applications, "
          f"{GrantApplication.objects.filter(decision='granted').count():,} grants decided")  # fmt: skip


def _timed(client, url, params, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    queries = None
    for _ in range(runs):
        began = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, params)
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.status_code
        queries = len(captured)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], queries


def measure(args) -> None:
    setup_django(args.db)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tissu.accounts.models import User
    from tissu.funding.models import AidScheme, GrantApplication

    total = GrantApplication.objects.count()
    grants = GrantApplication.objects.filter(decision="granted").count()
    client = Client()
    client.force_login(User.objects.get(email="bench-staff@example.org"))
    url = "/subventions/gestion/demandes/"
    client.get(url)  # warm-up
    scheme = AidScheme.objects.get(slug="projets").pk
    with open("/proc/loadavg") as handle:
        load = handle.read().split()[0]
    print(f"{total:,} applications, {grants:,} grants decided (database {args.db}); load {load}")
    print(f"{'staff list (50 a page)':<42} {'p50 ms':>7} {'p95 ms':>7} {'queries':>8}")
    for label, params in (
        ("no filter", {}),
        ("status = under review", {"status": "under_review"}),
        ("scheme + year", {"scheme": scheme, "year": 2026}),
        ("status + scheme + year", {"status": "received", "scheme": scheme, "year": 2027}),
        ("search 'jardin'", {"q": "jardin"}),
        ("page 100", {"page": 100}),
    ):
        p50, p95, queries = _timed(client, url, params, args.runs)
        print(f"{label:<42} {p50:>7.0f} {p95:>7.0f} {queries:>8}")

    before = rss_mb()
    began = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/subventions/attribuees/subventions.csv")
        size = rows = 0
        for piece in response.streaming_content:
            size += len(piece)
            rows += 1
    elapsed = time.perf_counter() - began
    grants_out = rows - 1
    print(
        f"\nSCDL export: {grants_out:,} grants, {size / 1e6:.1f} MB in {elapsed:.1f} s "
        f"({grants_out / elapsed:,.0f} rows/s), {len(captured)} queries; "
        f"RSS {before:.0f} MB before, peak RSS of the process {peak_mb():.0f} MB"
    )
    if args.drop:
        connection.close()
        database(args.db, drop=True)
        print(f"dropped {args.db}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate")
    gen.add_argument("--db", default="tissu_bench_funding")
    gen.add_argument("--applications", type=int, default=0)
    gen.add_argument("--grants", type=int, default=0)
    run = sub.add_parser("measure")
    run.add_argument("--db", default="tissu_bench_funding")
    run.add_argument("--runs", type=int, default=30)
    run.add_argument("--drop", action="store_true")
    args = parser.parse_args()
    {"generate": generate, "measure": measure}[args.command](args)


if __name__ == "__main__":
    main()
