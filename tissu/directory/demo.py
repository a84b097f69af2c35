"""Demo city: the associations of Bellerive-sur-Orge, arriving through the real RNA import.

A waldec extract of the Essonne (91) is generated with rna_fake (seeded: the same file every time),
about 400 rows of which 120 registered in the demo commune (INSEE 91999), with the register's usual
quirks; the import keeps the city's INSEE codes, as for a real city. The city's own fields are then
filled for those associations: neighbourhood, QPV, publics served, volunteering, verification and
approximate coordinates around a fictional centre.

Idempotent: the import runs once (a later seed finds its run), and every later write only happens
when a value differs, never on a field edited in Tissu (listed in field_sources).
"""

import datetime
import random
import tempfile
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.utils.text import slugify

from tissu.city.models import CitySettings
from tissu.directory import rna_fake
from tissu.directory.imports import ImportScope, rna_import_files
from tissu.directory.models import (
    Association,
    Audience,
    ImportRun,
    ImportStatus,
    Neighbourhood,
    Origin,
    PriorityArea,
    RnaPosition,
)

SEED = 2026
DEMO_FILE = "rna_waldec_20260101_91_demo.csv"
DEMO_ROWS = 400
CITY_ROWS = 120
CENTRE = (Decimal("48.700000"), Decimal("2.330000"))
NEIGHBOURHOODS = ["Centre-ville", "La Roseraie", "Les Coteaux", "Bords d'Orge", "Le Plateau"]
# QPV code: QN + département on 3 characters + 2 digits + a letter (décret 2023-1314). Fictional ones.
# (code, name, the neighbourhood it lies in)
PRIORITY_AREAS = [
    ("QN09199M", "La Roseraie – Les Tilleuls", "La Roseraie"),
    ("QN09198B", "Bords d'Orge – La Gare", "Bords d'Orge"),
]
AUDIENCES = [
    "Enfants", "Jeunes (12–25 ans)", "Familles", "Seniors", "Personnes en situation de handicap",
    "Personnes en précarité", "Personnes exilées", "Tous publics",
]  # fmt: skip
PARIS = ZoneInfo("Europe/Paris")


def _slugged(model, name: str):
    entry, _ = model.objects.get_or_create(name=name, defaults={"slug": slugify(name)})
    return entry


def seed_lists() -> dict:
    return {
        "neighbourhoods": [_slugged(Neighbourhood, name) for name in NEIGHBOURHOODS],
        "qpvs": [
            PriorityArea.objects.get_or_create(code=code, defaults={"name": name})[0]
            for code, name, _neighbourhood in PRIORITY_AREAS
        ],
        "audiences": [_slugged(Audience, name) for name in AUDIENCES],
    }


def import_demo_file() -> ImportRun | None:
    """Generate the département's extract and import it for the city's INSEE codes, once."""
    done = ImportRun.objects.filter(file_names=DEMO_FILE, status=ImportStatus.DONE).first()
    if done is not None:
        return done
    city = CitySettings.objects.filter(pk=1).first()
    insee_codes = tuple(city.insee_code_list) if city and city.insee_code_list else (rna_fake.DEMO_CITY.insee,)
    with tempfile.TemporaryDirectory() as folder:
        path = rna_fake.write_waldec(
            Path(folder) / DEMO_FILE,
            count=DEMO_ROWS,
            department="91",
            seed=SEED,
            city=rna_fake.DEMO_CITY,
            city_count=CITY_ROWS,
        )
        return rna_import_files(paths=[path], scope=ImportScope(insee_codes=insee_codes))


def _city_values(association: Association, lists: dict, rng: random.Random, verifier) -> dict:
    neighbourhood = rng.choice(lists["neighbourhoods"])
    qpv = None
    for (_code, _name, area_neighbourhood), area in zip(PRIORITY_AREAS, lists["qpvs"], strict=True):
        if neighbourhood.name == area_neighbourhood and rng.random() < 0.7:
            qpv = area
    active = association.rna_position == RnaPosition.ACTIVE
    verified = active and rng.random() < 0.6
    verified_at = (
        datetime.datetime(2025, 9, 1, 10, 0, tzinfo=PARIS) + datetime.timedelta(days=rng.randrange(120))
        if verified
        else None
    )
    latitude = CENTRE[0] + Decimal(rng.randrange(-12_000, 12_001)) / Decimal(1_000_000)
    longitude = CENTRE[1] + Decimal(rng.randrange(-18_000, 18_001)) / Decimal(1_000_000)
    return {
        "neighbourhood": neighbourhood,
        "qpv": qpv,
        "accepts_volunteers": active and rng.random() < 0.35,
        "verified_at": verified_at,
        "verified_by": verifier if verified else None,
        "latitude": latitude,
        "longitude": longitude,
    }


def complete_city_fields(*, lists: dict, verifier=None) -> list[Association]:
    """The city's own fields for the demo commune's associations, each from its own seeded draw."""
    associations = list(
        Association.objects.filter(office_insee_code=rna_fake.DEMO_CITY.insee, origin=Origin.RNA)
        .prefetch_related("audiences")
        .order_by("rna_id")
    )
    for association in associations:
        rng = random.Random(f"{SEED}-{association.rna_id}")
        values = _city_values(association, lists, rng, verifier)
        audiences = set(rng.sample(lists["audiences"], rng.randrange(0, 4)))
        protected = association.field_sources
        changed = {}
        for name, value in values.items():
            if name in protected:
                continue
            current = getattr(association, name)
            if name in ("latitude", "longitude") and current is not None:
                current = Decimal(current).quantize(Decimal("0.000001"))
            if current != value:
                changed[name] = value
        if changed:
            Association.objects.filter(pk=association.pk).update(**changed)
        if "audiences" not in protected and set(association.audiences.all()) != audiences:
            association.audiences.set(audiences)
    return associations


def seed(ctx) -> None:
    lists = seed_lists()
    run = import_demo_file()
    associations = complete_city_fields(lists=lists, verifier=ctx.users.get("staff"))
    ctx.objects.update(lists)
    ctx.objects["demo_import_run"] = run
    ctx.objects["associations"] = associations
