"""Directory search latency through the real view, on PostgreSQL, at 10k / 100k / 1.9M associations.

Usage (from the repository root):

    # fill a scratch database (created if missing; existing associations are replaced)
    .venv/bin/python bench/search_latency.py generate --db tissu_bench_search --size 100000
    # measure: 200 fixed queries (words, partial words, accents, typos, some with facets) through the view
    .venv/bin/python bench/search_latency.py run --db tissu_bench_search
    # both, for several sizes, dropping the scratch database at the end
    .venv/bin/python bench/search_latency.py all --sizes 10000 100000 --drop

The PostgreSQL server is taken from BENCH_PG (default postgres://postgres@127.0.0.1:5432); the scratch
database is migrated with Tissu's migrations, then rows are loaded with COPY (indexes dropped during the
load and rebuilt afterwards, as a bulk import would). Rows come from a seeded generator with realistic
names, objects and themes (tissu/directory/rna_fake.py is used instead when it exists and offers
``association_rows``); search_text and search_name are computed with tissu.directory.search, exactly
as the services do.
"""

import argparse
import io
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")


def setup_django(db: str) -> None:
    os.environ["DATABASE_URL"] = f"{SERVER}/{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tissu.settings")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("TISSU_TESTING", "true")  # plain static storage: no collectstatic manifest needed
    import django

    django.setup()


def ensure_database(db: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db]).fetchone():
            conn.execute(f'CREATE DATABASE "{db}"')


def drop_database(db: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


# --- Data -------------------------------------------------------------------------------------------

# (family code, name patterns, object phrases, keywords): the most frequent families of the register.
DOMAINS = [
    (
        "011000",
        [
            "Club sportif",
            "Union sportive",
            "Football club",
            "Tennis club",
            "Judo club",
            "Amicale cycliste",
            "Association sportive",
            "Handball club",
            "Cercle d'escrime",
            "Les Randonneurs",
            "Rugby olympique",
            "Gymnastique volontaire",
            "Club de natation",
            "Pétanque",
            "Basket ball club",
            "Yoga et bien-être",
        ],
        [
            "la pratique du sport pour tous",
            "l'enseignement du football",
            "la pratique sportive en compétition",
            "la randonnée pédestre et la découverte de la nature",
            "l'initiation des jeunes aux sports collectifs",
            "l'organisation de tournois et de rencontres sportives",
            "la gymnastique d'entretien des seniors",
            "la pratique des arts martiaux",
            "le cyclisme sur route et le VTT",
            "la natation et l'aquagym",
        ],
        ["sport", "football", "randonnée", "judo", "tennis", "vélo", "natation", "compétition"],
    ),
    (
        "006000",
        [
            "Compagnie théâtrale",
            "Chorale",
            "Harmonie municipale",
            "Atelier de peinture",
            "Ciné-club",
            "École de musique",
            "Ensemble vocal",
            "Festival",
            "Les Amis du livre",
            "Danse contemporaine",
            "Photo club",
            "Comité des fêtes",
            "Orchestre d'harmonie",
            "Atelier d'écriture",
        ],
        [
            "la création et la diffusion de spectacles vivants",
            "la pratique du chant choral",
            "l'enseignement de la musique et de la danse",
            "la promotion des arts plastiques",
            "l'organisation d'un festival de musique",
            "la diffusion du cinéma d'art et d'essai",
            "la lecture publique et l'écriture",
            "la photographie et les expositions",
            "le théâtre amateur",
        ],
        ["culture", "théâtre", "musique", "danse", "chorale", "cinéma", "peinture", "spectacle"],
    ),
    (
        "007000",
        [
            "Club de loisirs",
            "Amicale des retraités",
            "Club de l'amitié",
            "Club de bridge",
            "Les Joueurs d'échecs",
            "Club informatique",
            "Club de scrabble",
            "Jardins familiaux",
        ],
        [
            "les loisirs et la convivialité entre ses membres",
            "la pratique des jeux de société",
            "les sorties et voyages de ses adhérents",
            "le jardinage et l'échange de savoirs",
        ],
        ["loisirs", "jeux", "échecs", "jardinage", "voyages", "convivialité"],
    ),
    (
        "019000",
        [
            "Secours solidaire",
            "Entraide",
            "Accueil et solidarité",
            "Restos du quartier",
            "Épicerie solidaire",
            "Maison des familles",
            "Aide aux migrants",
            "Banque alimentaire",
        ],
        [
            "l'aide alimentaire aux personnes en difficulté",
            "l'accompagnement des personnes isolées",
            "l'insertion sociale et professionnelle",
            "l'accueil des réfugiés et des demandeurs d'asile",
            "la lutte contre l'exclusion et la précarité",
        ],
        ["solidarité", "entraide", "insertion", "précarité", "alimentaire"],
    ),
    (
        "015000",
        [
            "Parents d'élèves",
            "Soutien scolaire",
            "Université populaire",
            "Aide aux devoirs",
            "Association des anciens élèves",
            "Alphabétisation",
            "École des parents",
        ],
        [
            "le soutien scolaire et l'aide aux devoirs",
            "la formation des adultes et l'alphabétisation",
            "la représentation des parents d'élèves",
            "l'éducation populaire et la transmission des savoirs",
        ],
        ["éducation", "école", "formation", "devoirs", "parents"],
    ),
    (
        "024000",
        [
            "Les Amis de la nature",
            "Collectif zéro déchet",
            "Défense de l'environnement",
            "Jardin partagé",
            "Protection des oiseaux",
            "Vélo en ville",
            "Comité de quartier",
        ],
        [
            "la protection de l'environnement et de la biodiversité",
            "la réduction des déchets et le compostage",
            "l'amélioration du cadre de vie des habitants",
            "la promotion des mobilités douces",
            "la sauvegarde des espaces naturels",
        ],
        ["environnement", "écologie", "biodiversité", "déchets", "nature"],
    ),
    (
        "017000",
        [
            "Prévention santé",
            "Don du sang bénévole",
            "Aide aux malades",
            "Association des diabétiques",
            "France Alzheimer local",
            "Sophrologie et santé",
        ],
        [
            "la prévention et l'éducation à la santé",
            "le soutien aux malades et à leurs familles",
            "la promotion du don du sang",
            "l'information sur les maladies chroniques",
        ],
        ["santé", "prévention", "malades", "don du sang"],
    ),
    (
        "010000",
        [
            "Patrimoine et histoire",
            "Les Amis du vieux village",
            "Cercle généalogique",
            "Sauvegarde du moulin",
            "Société historique",
        ],
        [
            "la sauvegarde du patrimoine local",
            "la recherche historique et généalogique",
            "la restauration de l'église et du lavoir",
            "la mise en valeur du patrimoine bâti",
        ],
        ["patrimoine", "histoire", "généalogie", "restauration"],
    ),
    (
        "020000",
        [
            "Solidarité internationale",
            "Aide au développement",
            "Humanitaire sans frontières",
            "Jumelage",
            "Coopération Nord-Sud",
        ],
        [
            "l'aide humanitaire et le développement des pays du Sud",
            "le jumelage avec une ville européenne",
            "la coopération internationale et les échanges culturels",
            "le développement du bénévolat",
        ],
        ["humanitaire", "international", "jumelage", "coopération"],
    ),
    (
        "021000",
        ["Aide à domicile", "Les Aînés", "Crèche parentale", "Maison de retraite", "Relais familles"],
        [
            "l'aide à domicile des personnes âgées",
            "l'accueil des jeunes enfants",
            "le soutien aux familles et à la parentalité",
            "l'animation auprès des personnes âgées",
        ],
        ["famille", "enfants", "personnes âgées", "petite enfance"],
    ),
    (
        "040000",
        ["Paroisse", "Association cultuelle", "Communauté spirituelle", "Méditation et sagesse"],
        ["l'exercice du culte", "l'entretien du lieu de culte", "la pratique de la méditation"],
        ["culte", "spiritualité", "méditation"],
    ),
    (
        "009000",
        [
            "Centre social",
            "Maison des jeunes et de la culture",
            "Foyer rural",
            "Animation jeunesse",
            "Comité d'animation",
        ],
        [
            "l'animation socio-culturelle du quartier",
            "l'accueil des jeunes et l'organisation d'activités",
            "la vie locale et le lien entre les générations",
        ],
        ["jeunesse", "animation", "quartier", "intergénérationnel"],
    ),
]
PLACES = ["Bellerive", "de la Vallée", "du Centre", "des Coteaux", "de l'Orge", "Saint-Michel", "du Plateau",
          "des Lilas", "Val-Fleuri", "du Moulin", "de la Gare", "Les Tilleuls", "des Bords de Seine", "Essonne",
          "Lyon", "Marseille", "Bretagne", "Provence", "du Nord", "Montagne", "Atlantique", "franco-portugaise",
          "franco-marocaine", "Île-de-France", "Normandie", "Alsace", "Auvergne", "Occitanie"]  # fmt: skip
VERBS = ["promouvoir", "développer", "favoriser", "organiser", "soutenir", "encourager", "faciliter",
         "permettre", "assurer", "défendre"]  # fmt: skip
NEIGHBOURHOODS = ["Centre-ville", "Les Coteaux", "Le Plateau", "Bords d'Orge", "La Gare", "Les Tilleuls",
                  "Val-Fleuri", "Le Moulin", "Saint-Michel", "Les Lilas", "La Prairie", "Le Bourg"]  # fmt: skip
QPVS = [("QN09101M", "Les Tilleuls"), ("QN09102M", "Val-Fleuri"), ("QN09103M", "La Prairie"),
        ("QN09104M", "Le Plateau nord"), ("QN09105M", "Saint-Michel")]  # fmt: skip
AUDIENCES = ["Jeunes", "Enfants", "Familles", "Seniors", "Personnes handicapées", "Femmes",
             "Personnes en précarité", "Étudiants"]  # fmt: skip


def _themes_by_family() -> dict[str, list[str]]:
    import csv

    path = ROOT / "tissu" / "directory" / "data" / "rna_nomenclature_objet_social.csv"
    by_family: dict[str, list[str]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            by_family.setdefault(row["famille"], []).append(row["objet_social"])
    return by_family


def generated_rows(size: int, seed: int = 20261123):
    """Association rows as dicts of column values (seeded: the same size gives the same data)."""
    from django.utils.text import slugify

    from tissu.directory import search

    rng = random.Random(seed)
    themes = _themes_by_family()
    all_families = sorted(themes)
    start = date(1950, 1, 1)
    for index in range(size):
        family, names, objects, keywords = rng.choice(DOMAINS)
        name = f"{rng.choice(names)} {rng.choice(PLACES)}"
        if rng.random() < 0.15:
            name = name.upper()  # the register holds many names in capitals
        short = "".join(word[0] for word in name.split() if word[0].isalpha()).upper()[:8] if rng.random() < 0.3 else ""
        obj = f"{rng.choice(VERBS).capitalize()} {rng.choice(objects)}"
        if rng.random() < 0.6:
            obj += f" et {rng.choice(VERBS)} {rng.choice(rng.choice(DOMAINS)[2])}"
        obj += f" à {rng.choice(PLACES)}."
        kw = ", ".join(rng.sample(keywords, k=min(2, len(keywords)))) if rng.random() < 0.1 else ""
        theme_1 = rng.choice(themes[family])
        family_2 = rng.choice(all_families) if rng.random() < 0.4 else ""
        theme_2 = rng.choice(themes[family_2]) if family_2 else ""
        position = rng.choices("ADSR", weights=[70, 25, 3, 2])[0]
        created = start + timedelta(days=rng.randrange(27000))
        rna_id = f"W{index:09d}"
        has_coords = rng.random() < 0.5
        yield {
            "rna_id": rna_id,
            "name": name,
            "short_name": short,
            "object": obj,
            "keywords": kw,
            "theme_1": theme_1,
            "theme_2": theme_2,
            "family_1": family,
            "family_2": "" if family_2 == family else family_2,
            "creation_date": created,
            "declaration_date": created + timedelta(days=rng.randrange(3000)),
            "dissolution_date": created + timedelta(days=3000 + rng.randrange(5000)) if position == "D" else None,
            "rna_position": position,
            "publish_on_web": rng.random() > 0.01,
            "office_street_number": str(rng.randrange(1, 120)),
            "office_street_type": "RUE",
            "office_street_name": rng.choice(["de la République", "Victor Hugo", "Jean Jaurès", "des Écoles"]),
            "office_postcode": "91999",
            "office_city": "Bellerive-sur-Orge",
            "office_insee_code": "91999",
            "slug": f"{slugify(name)[:60].strip('-') or 'association'}-{rna_id.lower()}",
            "search_text": search.search_text(name, short, obj, kw),
            "search_name": search.fold(name)[:255],
            "is_employer": rng.random() < 0.1,
            "accepts_volunteers": rng.random() < 0.15,
            "verified": rng.random() < 0.02,
            "neighbourhood": rng.randrange(len(NEIGHBOURHOODS)) if rng.random() < 0.3 else None,
            "qpv": rng.randrange(len(QPVS)) if rng.random() < 0.05 else None,
            "audiences": rng.sample(range(len(AUDIENCES)), k=rng.choice([1, 1, 2])) if rng.random() < 0.2 else [],
            "latitude": round(48.64 + rng.random() * 0.04, 6) if has_coords else None,
            "longitude": round(2.30 + rng.random() * 0.06, 6) if has_coords else None,
        }


def rna_fake_rows(size: int, seed: int = 20261123):
    """Rows from tissu/directory/rna_fake.py (the project's RNA-format generator, national: every
    département), mapped to association columns as the import would, plus the city's own fields."""
    from django.utils.text import slugify

    from tissu.directory import rna_fake, search

    column = {name: index for index, name in enumerate(rna_fake.WALDEC_HEADER)}
    families = {code: family for family, codes in _themes_by_family().items() for code in codes}
    rng = random.Random(seed)
    seen: set[str] = set()

    def value(row, name):
        text = row[column[name]].strip()
        return "" if text in {"_", "0001-01-01"} else text

    def day(row, name):
        text = value(row, name)
        return date.fromisoformat(text) if text else None

    for row in rna_fake.fake_rows(count=size + size // 100 + 10, department=None, seed=seed):
        rna_id = value(row, "id")
        if rna_id in seen:
            continue  # the generator repeats about 0.2 % of ids on purpose (the import rejects them)
        seen.add(rna_id)
        name, short, obj = value(row, "titre"), value(row, "titre_court"), value(row, "objet")
        theme_1 = value(row, "objet_social1")
        theme_2 = value(row, "objet_social2").replace("000000", "")
        family_1, family_2 = families.get(theme_1, ""), families.get(theme_2, "")
        has_coords = rng.random() < 0.5
        yield {
            "rna_id": rna_id,
            "name": name,
            "short_name": short,
            "object": obj,
            "keywords": "",
            "theme_1": theme_1,
            "theme_2": theme_2,
            "family_1": family_1,
            "family_2": "" if family_2 == family_1 else family_2,
            "creation_date": day(row, "date_creat"),
            "declaration_date": day(row, "date_decla"),
            "publication_date": day(row, "date_publi"),
            "dissolution_date": day(row, "date_disso"),
            "rna_position": value(row, "position") or "A",
            "publish_on_web": value(row, "publiweb") != "0",
            "office_street_number": value(row, "adrs_numvoie"),
            "office_street_type": value(row, "adrs_typevoie"),
            "office_street_name": value(row, "adrs_libvoie"),
            "office_postcode": value(row, "adrs_codepostal"),
            "office_city": value(row, "adrs_libcommune"),
            "office_insee_code": value(row, "adrs_codeinsee"),
            "website": value(row, "siteweb"),
            "slug": f"{slugify(name)[:60].strip('-') or 'association'}-{rna_id.lower()}",
            "search_text": search.search_text(name, short, obj, ""),
            "search_name": search.fold(name)[:255],
            "is_employer": rng.random() < 0.1,
            "accepts_volunteers": rng.random() < 0.15,
            "verified": rng.random() < 0.02,
            "neighbourhood": rng.randrange(len(NEIGHBOURHOODS)) if rng.random() < 0.3 else None,
            "qpv": rng.randrange(len(QPVS)) if rng.random() < 0.05 else None,
            "audiences": rng.sample(range(len(AUDIENCES)), k=rng.choice([1, 1, 2])) if rng.random() < 0.2 else [],
            "latitude": round(48.64 + rng.random() * 0.04, 6) if has_coords else None,
            "longitude": round(2.30 + rng.random() * 0.06, 6) if has_coords else None,
        }
        if len(seen) >= size:
            return


def _fake_rows(size: int, generator: str):
    """tissu/directory/rna_fake.py's rows when that module exists (the default), else this script's own."""
    if generator == "rna_fake":
        try:
            from tissu.directory import rna_fake  # noqa: F401 - optional module
        except ImportError:
            generator = "own"
    if generator == "rna_fake":
        return rna_fake_rows(size), "tissu/directory/rna_fake.py + city fields"
    return generated_rows(size), "bench/search_latency.py generator"


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def generate(db: str, size: int, generator: str = "rna_fake") -> None:
    ensure_database(db)
    setup_django(db)
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from tissu.directory.models import Association, Audience, Neighbourhood, PriorityArea

    call_command("migrate", verbosity=0, interactive=False)
    began = time.perf_counter()
    table = Association._meta.db_table
    through = Association.audiences.through._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table}, {through} RESTART IDENTITY CASCADE")
    neighbourhoods = [
        Neighbourhood.objects.get_or_create(slug=f"n{i}", defaults={"name": name})[0].pk
        for i, name in enumerate(NEIGHBOURHOODS)
    ]
    qpvs = [PriorityArea.objects.get_or_create(code=code, defaults={"name": name})[0].pk for code, name in QPVS]
    audiences = [
        Audience.objects.get_or_create(slug=f"a{i}", defaults={"name": name})[0].pk for i, name in enumerate(AUDIENCES)
    ]
    # Every non-null column needs a value (Django defaults are not database defaults).
    columns, defaults = [], {}
    for field in Association._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(field.column)
        if field.null:
            defaults[field.column] = None
        elif field.has_default():
            defaults[field.column] = field.get_default()
        else:
            defaults[field.column] = ""
    with connection.cursor() as cursor:
        # Migration 0005's denormalised publics (not a model field): written here directly, with the
        # many-to-many table's trigger off during the load (it would update each row once per link).
        cursor.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = 'audience_ids'", [table]
        )
        if cursor.fetchone():
            columns.append("audience_ids")
            defaults["audience_ids"] = "{}"
            cursor.execute(f"ALTER TABLE {through} DISABLE TRIGGER USER")
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT LIKE %s",
            [table, "%_pkey"],
        )
        indexes = cursor.fetchall()
        constraints = {name for name, _ in indexes if name.endswith("_key") or name.endswith("_uniq")}
        for name, _ in indexes:
            if name in constraints:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT IF EXISTS "{name}"')
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
    rows, source = _fake_rows(size, generator)
    now = timezone.now().isoformat()
    raw = connection.connection if connection.connection else (connection.ensure_connection() or connection.connection)
    audience_links = []
    with raw.cursor() as cursor:
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            buffer = io.StringIO()
            for number, row in enumerate(rows, start=1):
                values = dict(defaults)
                values.update({key: value for key, value in row.items() if key in defaults})
                values["field_sources"] = "{}"
                values["social_links"] = "[]"
                values["created_at"] = values["updated_at"] = now
                values["verified_at"] = now if row.get("verified") else None
                values["neighbourhood_id"] = (
                    neighbourhoods[row["neighbourhood"]] if row.get("neighbourhood") is not None else None
                )
                values["qpv_id"] = qpvs[row["qpv"]] if row.get("qpv") is not None else None
                if "audience_ids" in values:
                    links = sorted(audiences[audience] for audience in row.get("audiences", []))
                    values["audience_ids"] = "{" + ",".join(map(str, links)) + "}"
                buffer.write("\t".join(_copy_value(values[column]) for column in columns) + "\n")
                for audience in row.get("audiences", []):
                    audience_links.append(f"{number}\t{audiences[audience]}\n")
                if number % 20000 == 0:
                    copy.write(buffer.getvalue())
                    buffer = io.StringIO()
                    print(f"  {number:,} rows", file=sys.stderr, end="\r")
            copy.write(buffer.getvalue())
        with cursor.copy(f"COPY {through} (association_id, audience_id) FROM STDIN") as copy:
            copy.write("".join(audience_links))
    raw.commit()
    loaded = time.perf_counter() - began
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {through} ENABLE TRIGGER USER")
        for name, definition in indexes:
            if name in constraints:
                columns_sql = definition[definition.index("(") :]
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" UNIQUE {columns_sql}')
            else:
                cursor.execute(definition)
        cursor.execute(f"ANALYZE {table}")
        cursor.execute(f"ANALYZE {through}")
    indexed = time.perf_counter() - began - loaded
    print(f"{size:,} associations ({source}): loaded in {loaded:.0f} s, indexes in {indexed:.0f} s")


# --- Queries ---------------------------------------------------------------------------------------

WORDS = ["sport", "sportives", "football", "théâtre", "theatre", "musique", "chorale", "solidarité", "solidarite",
         "pêche", "scouts", "locataires", "commerçants", "secouristes", "radio", "chats", "jardins", "bénévolat",
         "environnement", "patrimoine", "jeunes", "jeunesse", "danse", "randonnée", "randonnee", "école", "parents",
         "santé", "sante", "humanitaire", "jumelage", "culture", "culturelle", "loisirs", "échecs", "nature",
         "judo", "tennis", "cinéma", "peinture", "famille", "familles", "enfants", "aînés", "quartier", "vélo",
         "déchets", "histoire", "généalogie", "méditation", "insertion", "alimentaire", "bellerive", "orge",
         "coteaux", "festival", "photo", "gymnastique", "natation"]  # fmt: skip
PARTIALS = ["spor", "théât", "musi", "solid", "enviro", "patri", "jeun", "rando", "footb", "chor", "cult", "loisi",
            "human", "gymna", "natat", "biodiv"]  # fmt: skip
TYPOS = ["footbal", "theatr", "musqiue", "solidarit", "enviromnent", "patrimione", "chorral", "randonee",
         "gymnastqiue", "humanitair", "bellerve", "tenis"]  # fmt: skip
PHRASES = ["club sportif", "école de musique", "aide aux devoirs", "comité des fêtes", "jardin partagé",
           "don du sang", "amicale des retraités", "soutien scolaire", "théâtre amateur", "aide alimentaire",
           "protection de l'environnement", "danse contemporaine", "union sportive bellerive", "ciné-club"]  # fmt: skip
FACETS = [{"family": "011000"}, {"family": "006000"}, {"family": ["019000", "020000"]}, {"employer": "1"},
          {"volunteers": "1"}, {"neighbourhood": "n1"}, {"qpv": "QN09101M"}, {"audience": "a2"},
          {"status": ["active", "dissolved"]}, {"status": "verified"}, {"order": "name"},
          {"family": "024000", "volunteers": "1"}]  # fmt: skip


def fixed_queries(seed: int = 200) -> list[dict]:
    """200 query strings (half with facets), always the same list."""
    rng = random.Random(seed)
    pool = WORDS + PARTIALS + TYPOS + PHRASES
    queries = []
    for index in range(200):
        params: dict = {}
        if index % 20 == 19:
            pass  # no text: the browsing case (facets only, or the bare page)
        else:
            params["q"] = rng.choice(pool)
        if index % 2:
            params.update(rng.choice(FACETS))
        if index % 25 == 7:
            params["page"] = "3"
        queries.append(params)
    return queries


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run(db: str, repeat: int) -> dict:
    setup_django(db)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from tissu.directory.forms_search import AssociationSearchForm
    from tissu.directory.models import Association
    from tissu.directory.search_selectors import COUNT_LIMIT, matching

    client = Client()
    url = reverse("directory:association-list")
    queries = fixed_queries()
    size = Association.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
    load_before = os.getloadavg()[0]
    for params in queries[:20]:  # warm-up: connection, templates, first plans
        client.get(url, params)
    results: dict[str, list[float]] = {"text only": [], "with facet filters": [], "no text": [], "all": []}
    slowest = []
    for round_number in range(repeat):
        for params in queries:
            began = time.perf_counter()
            response = client.get(url, params)
            elapsed = (time.perf_counter() - began) * 1000
            assert response.status_code == 200, (params, response.status_code)
            results["all"].append(elapsed)
            if "q" not in params:
                results["no text"].append(elapsed)
            elif any(key not in {"q", "page"} for key in params):
                results["with facet filters"].append(elapsed)
            else:
                results["text only"].append(elapsed)
            if round_number == repeat - 1:
                slowest.append((elapsed, params))
    load_after = os.getloadavg()[0]
    # How the 200 queries were served: matches counted, capped, text mode (index, scan, fuzzy).
    modes: dict[str, int] = {}
    capped = 0
    for params in queries:
        filters = AssociationSearchForm(params).filters()
        _, ids, mode = matching(filters, staff=False)
        counted = len(ids)
        key = mode if filters.terms else "no text"
        modes[key] = modes.get(key, 0) + 1
        capped += counted > COUNT_LIMIT
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    with CaptureQueriesContext(connection) as captured_text:
        client.get(url, {"q": "sport", "family": "011000"})
    print(f"\n{size:,} associations (database {db}, jit {jit}), {repeat} round(s) of the 200 queries")
    print(f"load average (1 min) before/after: {load_before:.1f} / {load_after:.1f}")
    print(f"{'case':<20} {'p50 ms':>8} {'p95 ms':>8} {'n':>6}")
    report = {"size": size, "jit": jit}
    for key in ("text only", "with facet filters", "no text", "all"):
        values = results[key]
        report[key] = (statistics.median(values), percentile(values, 0.95), len(values))
        print(f"{key:<20} {report[key][0]:>8.1f} {report[key][1]:>8.1f} {len(values):>6}")
    print(f"served by: {modes}; {capped} of 200 with more than {COUNT_LIMIT:,} matches")
    bare, text = _statements(captured), _statements(captured_text)
    print(f"queries of the list page: {bare} (no filter), {text} (text and a facet)")
    print("slowest (last round):")
    for elapsed, params in sorted(slowest, key=lambda item: item[0], reverse=True)[:5]:
        print(f"  {elapsed:7.1f} ms  {params}")
    return report


def _statements(captured) -> int:
    """Queries sent, less the transaction's BEGIN and COMMIT (PostgreSQL: the search runs in one transaction)."""
    return sum(query["sql"] not in ("BEGIN", "COMMIT") for query in captured)


def count_queries(db: str) -> None:
    """Queries of the bare list page and of a filtered one, at the current size."""
    setup_django(db)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from tissu.directory.models import Association

    client = Client()
    url = reverse("directory:association-list")
    client.get(url)  # the city settings are cached from then on
    first = Association.objects.filter(rna_position="A", publish_on_web=True).order_by("id").first()
    word = first.name.split()[0]  # a word that matches at every size (with no match, no page is read)
    print(f"{Association.objects.count():,} associations:")
    for params in ({}, {"q": word}, {"q": word, "family": first.family_1, "page": "1"}):
        with CaptureQueriesContext(connection) as captured:
            client.get(url, params)
        print(f"  queries for {params or 'the bare page'}: {_statements(captured)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate")
    gen.add_argument("--db", default="tissu_bench_search")
    gen.add_argument("--size", type=int, required=True)
    gen.add_argument("--generator", choices=["rna_fake", "own"], default="rna_fake")
    measure = sub.add_parser("run")
    measure.add_argument("--db", default="tissu_bench_search")
    measure.add_argument("--repeat", type=int, default=3)
    counts = sub.add_parser("queries")
    counts.add_argument("--db", default="tissu_bench_search")
    every = sub.add_parser("all")
    every.add_argument("--db", default="tissu_bench_search")
    every.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    every.add_argument("--repeat", type=int, default=3)
    every.add_argument("--drop", action="store_true")
    args = parser.parse_args()
    if args.command == "generate":
        generate(args.db, args.size, args.generator)
    elif args.command == "run":
        run(args.db, args.repeat)
    elif args.command == "queries":
        count_queries(args.db)
    else:
        # One process per step: Django is set up once per process and the data changes between sizes.
        script = [sys.executable, __file__]
        for size in args.sizes:
            subprocess.run([*script, "generate", "--db", args.db, "--size", str(size)], check=True)
            subprocess.run([*script, "run", "--db", args.db, "--repeat", str(args.repeat)], check=True)
        if args.drop:
            drop_database(args.db)


if __name__ == "__main__":
    main()
