"""Volunteering on PostgreSQL: mission search, missions for one volunteer, volunteers for one mission.

Usage (from the repository root):

    .venv/bin/python bench/volunteering_matching.py --db tissu_bench_volunteering \
        --missions 20000 --volunteers 50000
    .venv/bin/python bench/volunteering_matching.py --db tissu_bench_volunteering --missions 2000 --drop

The scratch database is created if missing, migrated, emptied of volunteering rows and filled with a seeded
generator (bulk inserts), then each page is requested through the real view with Django's test client:
one warm-up request, then --runs timed requests. It prints the median and p95 server time and the number
of queries of each case. The PostgreSQL server is BENCH_PG (default postgres://postgres@127.0.0.1:5432).
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scratch import database, setup_django  # noqa: E402 (bench/ is on sys.path when run as a script)

SKILLS = [
    "Accueil du public", "Animation", "Bricolage", "Comptabilité", "Communication", "Cuisine", "Informatique",
    "Logistique", "Soutien scolaire", "Traduction", "Secourisme", "Gestion de projet", "Jardinage", "Musique",
    "Photographie", "Conduite", "Couture", "Droit", "Graphisme", "Sport",
]  # fmt: skip
WORDS = [
    "aide", "accueil", "repas", "collecte", "atelier", "sport", "enfants", "seniors", "jardin", "musique",
    "devoirs", "quartier", "fête",
]  # fmt: skip


def generate(missions: int, volunteers: int) -> None:
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone
    from django.utils.text import slugify

    from tissu.accounts.models import User
    from tissu.directory import search
    from tissu.directory.models import Association, Neighbourhood, Theme
    from tissu.volunteering.models import SLOT_CODES, Mission, Skill, VolunteerProfile

    call_command("migrate", verbosity=0)
    rng = random.Random(2026)
    with transaction.atomic():
        Mission.objects.all().delete()
        VolunteerProfile.objects.all().delete()
        User.objects.filter(email__endswith="@bench.example").delete()
        Association.objects.filter(slug__startswith="bench-").delete()
        skills = [Skill.objects.get_or_create(name=name, defaults={"slug": slugify(name)})[0] for name in SKILLS]
        neighbourhoods = [
            Neighbourhood.objects.get_or_create(name=f"Quartier {n}", defaults={"slug": f"quartier-{n}"})[0]
            for n in range(12)
        ]
        families = list(Theme.objects.filter(code__endswith="000"))
        associations = Association.objects.bulk_create(
            Association(name=f"Association {n}", slug=f"bench-{n}", search_name=f"association {n}") for n in range(800)
        )
        now = timezone.now()
        rows = []
        for n in range(missions):
            title = f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {n}"
            rows.append(
                Mission(
                    association=rng.choice(associations),
                    title=title,
                    description=" ".join(rng.choices(WORDS, k=20)),
                    mission_type=rng.choice(["recurring", "recurring", "board"]),
                    schedule=" ".join(rng.sample(SLOT_CODES, 3)),
                    status=rng.choice(["published"] * 6 + ["full", "closed", "draft", "expired"]),
                    is_remote=rng.random() < 0.1,
                    neighbourhood=rng.choice(neighbourhoods),
                    address="Salle",
                    published_at=now - timezone.timedelta(minutes=n),
                    search_text=search.search_text(title),
                )
            )
        created = Mission.objects.bulk_create(rows, batch_size=2000)
        Mission.skills.through.objects.bulk_create(
            [
                Mission.skills.through(mission_id=mission.pk, skill_id=skill.pk)
                for mission in created
                for skill in rng.sample(skills, 2)
            ],
            batch_size=5000,
        )
        Mission.causes.through.objects.bulk_create(
            [Mission.causes.through(mission_id=mission.pk, theme_id=rng.choice(families).pk) for mission in created],
            batch_size=5000,
        )
        users = User.objects.bulk_create(
            (User(email=f"v{n}@bench.example", full_name=f"Bénévole {n}", password="!") for n in range(volunteers)),
            batch_size=5000,
        )
        profiles = VolunteerProfile.objects.bulk_create(
            (
                VolunteerProfile(
                    user=user,
                    availability=" ".join(rng.sample(SLOT_CODES, 4)),
                    neighbourhood=rng.choice(neighbourhoods),
                    contact_opt_in=rng.random() < 0.5,
                )
                for user in users
            ),
            batch_size=5000,
        )
        VolunteerProfile.skills.through.objects.bulk_create(
            [
                VolunteerProfile.skills.through(volunteerprofile_id=profile.pk, skill_id=skill.pk)
                for profile in profiles
                for skill in rng.sample(skills, 3)
            ],
            batch_size=5000,
        )
        VolunteerProfile.interests.through.objects.bulk_create(
            [
                VolunteerProfile.interests.through(volunteerprofile_id=profile.pk, theme_id=rng.choice(families).pk)
                for profile in profiles
            ],
            batch_size=5000,
        )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(runs: int) -> list[tuple]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from tissu.accounts.models import User
    from tissu.directory.models import Membership
    from tissu.volunteering.models import Mission

    volunteer = User.objects.get(email="v0@bench.example")
    mission = Mission.objects.filter(status="published").order_by("pk").first()
    manager, _ = User.objects.get_or_create(email="manager@bench.example", defaults={"full_name": "Manager"})
    Membership.objects.get_or_create(user=manager, association=mission.association, defaults={"role": "president"})
    anonymous, signed_in, managing = Client(), Client(), Client()
    signed_in.force_login(volunteer)
    managing.force_login(manager)
    cases = [
        ("mission list, no filter", anonymous, reverse("volunteering:mission-list"), {}),
        ("mission list, text", anonymous, reverse("volunteering:mission-list"), {"q": "repas quartier"}),
        ("mission list, skill + cause", anonymous, reverse("volunteering:mission-list"),
         {"skill": "cuisine", "cause": "011000"}),
        ("mission list, page 50", anonymous, reverse("volunteering:mission-list"), {"page": "50"}),
        ("missions for one volunteer", signed_in, reverse("volunteering:recommended"), {}),
        ("volunteers for one mission", managing, reverse("volunteering:mission-applications", args=[mission.pk]), {}),
    ]  # fmt: skip
    results = []
    for name, client, url, params in cases:
        assert client.get(url, params).status_code == 200, name
        times = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                client.get(url, params)
                times.append((time.perf_counter() - start) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
        results.append((name, statistics.median(times), p95, len(queries.captured_queries)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="tissu_bench_volunteering")
    parser.add_argument("--missions", type=int, default=20_000)
    parser.add_argument("--volunteers", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--skip-generate", action="store_true")
    parser.add_argument("--drop", action="store_true", help="drop the scratch database at the end")
    args = parser.parse_args()
    database(args.db)
    setup_django(args.db)
    if not args.skip_generate:
        start = time.perf_counter()
        generate(args.missions, args.volunteers)
        print(
            f"generated {args.missions} missions, {args.volunteers} volunteers in {time.perf_counter() - start:.0f} s"
        )
    print("| Case | median | p95 | queries |\n|---|---|---|---|")
    for name, median, p95, queries in measure(args.runs):
        print(f"| {name} | {median:.1f} ms | {p95:.1f} ms | {queries} |")
    if args.drop:
        from django.db import connections

        connections.close_all()
        database(args.db, drop=True)


if __name__ == "__main__":
    main()
