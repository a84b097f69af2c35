"""Council election on PostgreSQL: --associations associations vote at once, each one twice in parallel.

Usage (from the repository root):

    .venv/bin/python bench/council_election.py --db tissu_bench_council --drop

The scratch database is created and migrated; three colleges (seats 4 + 4, 4 + 4, 1 + 1) and --associations
verified associations spread over them are bulk-inserted, each with its voting representative, and ten
candidacies per college. The roll is published through ``services.roll_publish`` (timed), voting opens, then
every association's representative casts its ballot through ``services.ballot_cast`` (the real path: checks,
participation and ballot in one transaction, audit entry) from --connections threads, each with its own
database connection. Each association tries **twice**, the two attempts queued next to each other so that
they usually run at the same time in two threads: exactly one must pass. The script prints ballots per second,
then checks the counts (ballots = participations = associations; refused = associations; no ballot lost or
doubled), times ``services.election_count`` and the recount from the published ballots, and checks that the
recount equals the official result. The PostgreSQL server is BENCH_PG (default postgres://postgres@127.0.0.1:5432).
"""

import argparse
import datetime
import random
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scratch import database, setup_django  # noqa: E402 (bench/ is on sys.path when run as a script)

COLLEGES = [
    ("Culture, mémoire et patrimoine", 4, 4, "006000"),
    ("Solidarité, citoyenneté, environnement", 4, 4, "019000"),
    ("Sports et loisirs", 1, 1, "011000"),
]


def build(count: int, seed: int):
    from django.db import transaction
    from django.utils import timezone

    from tissu.accounts.models import User
    from tissu.council.models import Candidacy, College, CollegeTheme, Election, VotingRepresentative
    from tissu.directory.models import Association, Theme

    rng = random.Random(seed)
    now = timezone.now()
    with transaction.atomic():
        colleges = []
        for position, (name, seats, substitutes, family) in enumerate(COLLEGES):
            college = College.objects.create(name=name, seats=seats, substitute_seats=substitutes, position=position)
            CollegeTheme.objects.create(college=college, theme=Theme.objects.get(pk=family))
            colleges.append(college)
        associations = Association.objects.bulk_create(
            [
                Association(
                    name=f"Association {n}",
                    slug=f"bench-{n}",
                    search_name=f"association {n}",
                    family_1=COLLEGES[n % 3][3],
                    verified_at=now,
                    creation_date=datetime.date(1950 + n % 70, 1, 1),
                )
                for n in range(count)
            ],
            batch_size=2000,
        )
        users = User.objects.bulk_create(
            [User(email=f"v{n}@bench.example", full_name=f"Votant·e {n}", password="!") for n in range(count)],
            batch_size=2000,
        )
        VotingRepresentative.objects.bulk_create(
            [VotingRepresentative(association=a, user=u) for a, u in zip(associations, users, strict=True)],
            batch_size=2000,
        )
        election = Election.objects.create(
            title="Élection (bench)",
            candidacy_opens_at=now - datetime.timedelta(days=20),
            candidacy_closes_at=now - datetime.timedelta(days=10),
            voting_opens_at=now + datetime.timedelta(days=1),
            voting_closes_at=now + datetime.timedelta(days=8),
            mandate_starts_on=now.date() + datetime.timedelta(days=10),
            mandate_ends_on=now.date() + datetime.timedelta(days=740),
            tie_break="draw",
        )
        candidacies = {}
        for index, college in enumerate(colleges):
            pool = associations[index::3][:10]
            candidacies[college.pk] = [
                Candidacy.objects.create(
                    election=election,
                    association=a,
                    college=college,
                    representative_name=f"Représentant·e {a.pk}",
                    statement="Bench.",
                )
                for a in pool
            ]
    plans = []
    for n, (association, user) in enumerate(zip(associations, users, strict=True)):
        college = colleges[n % 3]
        names = candidacies[college.pk]
        if rng.random() < 0.04:
            choice = []
        else:
            choice = rng.sample([c.pk for c in names], rng.randint(1, college.seats))
        plans.append((association, user, choice))
    return election, plans


def vote(election, plans, connections_at_once: int) -> dict:
    from django.core.exceptions import ValidationError
    from django.db import connection

    from tissu.council import services

    attempts = [plan for plan in plans for _twice in range(2)]  # each association's two attempts side by side
    outcomes = {"cast": 0, "refused": 0, "other": 0}
    lock = threading.Lock()

    def attempt(plan):
        association, user, names = plan
        try:
            services.ballot_cast(
                actor=user, election=election, association=association, candidacy_ids=names, blank=not names
            )
            outcome = "cast"
        except ValidationError:
            outcome = "refused"
        except Exception as error:  # counted, and reported as a failure below
            print("unexpected:", repr(error), file=sys.stderr)
            outcome = "other"
        with lock:
            outcomes[outcome] += 1

    def close_connection(_):
        connection.close()

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=connections_at_once) as pool:
        list(pool.map(attempt, attempts, chunksize=1))
        list(pool.map(close_connection, range(connections_at_once)))
    outcomes["seconds"] = time.perf_counter() - start
    return outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="tissu_bench_council")
    parser.add_argument("--associations", type=int, default=5000)
    parser.add_argument("--connections", type=int, default=16, help="threads, each with its database connection")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--drop", action="store_true", help="drop the scratch database at the end")
    args = parser.parse_args()
    database(args.db, drop=True)
    database(args.db)
    setup_django(args.db, EMAIL_URL="dummy:")
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from tissu.accounts.models import User
    from tissu.council import selectors, services, tally
    from tissu.council.models import Ballot, CandidacyResult, Election, Participation, RollEntry

    office = User.objects.create_superuser(email="office@bench.example", password="x", full_name="Office")
    start = time.perf_counter()
    election, plans = build(args.associations, args.seed)
    print(f"setup: {args.associations} associations in {time.perf_counter() - start:.1f} s", file=sys.stderr)

    start = time.perf_counter()
    registered = services.roll_publish(actor=office, election=election)
    roll_seconds = time.perf_counter() - start
    Election.objects.filter(pk=election.pk).update(voting_opens_at=timezone.now())
    election.refresh_from_db()

    result = vote(election, plans, args.connections)
    ballots = Ballot.objects.filter(election=election).count()
    participations = Participation.objects.filter(election=election).count()
    print(
        f"votes: {args.associations} associations × 2 attempts, {args.connections} connections: "
        f"{result['seconds']:.1f} s, {result['cast'] / result['seconds']:.0f} ballots/s "
        f"({(result['cast'] + result['refused']) / result['seconds']:.0f} attempts/s); cast {result['cast']}, "
        f"refused {result['refused']}, other errors {result['other']}"
    )
    print(
        f"roll: {registered} entries (of {RollEntry.objects.filter(election=election).count()}) in {roll_seconds:.2f} s"
    )
    print(f"stored: {ballots} ballots, {participations} participations")

    Election.objects.filter(pk=election.pk).update(voting_closes_at=timezone.now())
    election.refresh_from_db()
    start = time.perf_counter()
    services.election_count(actor=office, election=election)
    count_seconds = time.perf_counter() - start
    start = time.perf_counter()
    document = selectors.published_ballots(election)
    publish_seconds = time.perf_counter() - start
    start = time.perf_counter()
    recounted = tally.recount(document)
    recount_seconds = time.perf_counter() - start
    official = {
        r.candidacy_id: (r.votes, r.rank, r.outcome)
        for r in CandidacyResult.objects.filter(candidacy__election=election)
    }
    agree = recounted == official
    print(
        f"tally: count {count_seconds * 1000:.0f} ms; published ballots built in {publish_seconds * 1000:.0f} ms; "
        f"recount {recount_seconds * 1000:.0f} ms; recount equals the official result: {agree}"
    )
    ok = (
        result["cast"] == args.associations
        and result["refused"] == args.associations
        and result["other"] == 0
        and ballots == participations == args.associations
        and agree
    )
    print("zero lost or doubled ballots:", "yes" if ok else "NO")
    if args.drop:
        from django.db import connections

        connections.close_all()
        database(args.db, drop=True)
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
