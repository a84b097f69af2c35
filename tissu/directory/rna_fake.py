"""A seeded generator of realistic RNA "waldec" extracts, for the demo city, tests and benchmarks.

The rows look like the published files (39 columns, ``;``, quoted fields with doubled quotes) and
carry their known quirks on purpose: ``_`` placeholders, street numbers padded with spaces, ``;``
and quotes inside the object, ``0001-01-01`` dates, ``maj_time`` with or without microseconds,
unknown theme codes, invalid SIRETs, a share of dissolved associations and a few duplicated ids.
Names, places and people are invented; the nomenclature codes are the real ones.

    write_waldec(path, count=400, department="91", seed=2026, city=City("91999", "91990", "Bellerive-sur-Orge"),
                 city_count=120)
"""

import csv
import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from stdnum import luhn

from tissu.directory.search import fold

WALDEC_HEADER = [
    "id", "id_ex", "siret", "rup_mi", "gestion", "date_creat", "date_decla", "date_publi", "date_disso",
    "nature", "groupement", "titre", "titre_court", "objet", "objet_social1", "objet_social2",
    "adrs_complement", "adrs_numvoie", "adrs_repetition", "adrs_typevoie", "adrs_libvoie", "adrs_distrib",
    "adrs_codeinsee", "adrs_codepostal", "adrs_libcommune", "adrg_declarant", "adrg_complemid",
    "adrg_complemgeo", "adrg_libvoie", "adrg_distrib", "adrg_codepostal", "adrg_achemine", "adrg_pays",
    "dir_civilite", "siteweb", "publiweb", "observation", "position", "maj_time",
]  # fmt: skip


@dataclass(frozen=True)
class City:
    insee: str
    postcode: str
    name: str


# Communes of the Essonne (91) with their INSEE code and postcode, for the demo département.
ESSONNE = [
    City("91228", "91000", "Évry-Courcouronnes"),
    City("91377", "91300", "Massy"),
    City("91477", "91120", "Palaiseau"),
    City("91174", "91100", "Corbeil-Essonnes"),
    City("91589", "91600", "Savigny-sur-Orge"),
    City("91027", "91200", "Athis-Mons"),
    City("91549", "91700", "Sainte-Geneviève-des-Bois"),
    City("91687", "91170", "Viry-Châtillon"),
    City("91201", "91210", "Draveil"),
    City("91223", "91150", "Étampes"),
    City("91103", "91220", "Brétigny-sur-Orge"),
    City("91326", "91260", "Juvisy-sur-Orge"),
    City("91286", "91350", "Grigny"),
    City("91521", "91130", "Ris-Orangis"),
    City("91691", "91330", "Yerres"),
]
DEMO_CITY = City("91999", "91990", "Bellerive-sur-Orge")
DEPARTMENTS = [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"]

# (main theme, second theme or "", name patterns, object patterns). {place} is the commune, {word} a place name.
PROFILES = [
    ("011075", "", ["Football club de {place}", "{Place} Football Club", "Union sportive {place} football"],
     ["pratique et développement du football et du futsal ; formation des jeunes joueurs et joueuses",
      "permettre la pratique du football en compétition et en loisir pour tous les âges"]),
    ("011065", "", ["Basket club {place}", "Les Paniers de {place}"],
     ["pratique du basket-ball en compétition ; école de basket pour les enfants dès 5 ans"]),
    ("011140", "011150", ["Judo club de {place}", "Dojo {place}"],
     ["enseignement et pratique du judo, du jujitsu et du taïso ; participation aux compétitions fédérales"]),
    ("011170", "", ["Tennis de table {place}", "Ping {place}"],
     ["pratique du tennis de table en loisir et en compétition"]),
    ("011115", "024015", ["Les Randonneurs de {place}", "Rando {place} et environs"],
     ["organiser des randonnées pédestres, découvrir les chemins et espaces naturels de l'Essonne ; baliser et "
      "entretenir les sentiers"]),
    ("011180", "", ["Vélo club {place}", "Cyclotouristes de {place}"],
     ["pratique du cyclisme, du VTT et du cyclotourisme ; sorties hebdomadaires"]),
    ("011105", "", ["Gymnastique volontaire de {place}", "Gym et forme {place}", "Yoga {place}"],
     ["pratique de la gymnastique d'entretien, du yoga et du pilates pour adultes et seniors"]),
    ("011035", "007040", ["La Boule de {place}", "Pétanque club de {place}"],
     ["pratique de la pétanque et du jeu provençal ; organisation de concours et de moments conviviaux"]),
    ("011125", "", ["Cercle des nageurs de {place}", "{Place} Natation"],
     ["apprentissage et pratique de la natation, de l'aquagym et de la plongée"]),
    ("011005", "", ["Association sportive de {place}", "Omnisports {place}"],
     ["promouvoir la pratique de plusieurs sports ; gérer les sections football, tennis, gymnastique et danse"]),
    ("006030", "", ["Chorale {place} en chœur", "Ensemble vocal de {place}", "Harmonie municipale de {place}"],
     ["pratique du chant choral ; concerts et rencontres avec d'autres chorales",
      "promouvoir la musique d'ensemble ; animer les cérémonies et fêtes de la commune"]),
    ("006070", "", ["Compagnie du {word}", "Théâtre des {word}s", "Les Tréteaux de {place}"],
     ["création et diffusion de spectacles vivants ; ateliers de théâtre pour enfants et adultes",
      "promouvoir le théâtre amateur ; monter des pièces du répertoire \"classique\" et contemporain"]),
    ("006040", "011045", ["Danse {place}", "Studio danse et rythme", "Hip hop {place} crew"],
     ["enseignement de la danse classique, jazz, contemporaine et hip-hop ; gala de fin d'année"]),
    ("006020", "006090", ["Atelier des arts de {place}", "Peintres et sculpteurs de {place}"],
     ["pratique des arts plastiques : peinture, dessin, sculpture ; expositions annuelles"]),
    ("006025", "", ["Ciné-club de {place}", "Photo club {place}"],
     ["promouvoir la photographie et le cinéma ; projections, débats et sorties photo"]),
    ("006005", "015025", ["Ludothèque {place}", "Lire à {place}"],
     ["prêt de jeux et de livres ; animations autour du jeu et de la lecture pour les familles"]),
    ("007005", "", ["Échiquier de {place}", "Club de bridge de {place}"],
     ["pratique des échecs et du bridge ; initiation des jeunes ; tournois"]),
    ("007070", "024050", ["Jardins familiaux de {place}", "Les Jardiniers de {place}"],
     ["gestion de jardins familiaux et partagés ; sensibiliser au jardinage écologique"]),
    ("007075", "", ["SEL de {place}", "Réseau d'échanges de savoirs de {place}"],
     ["favoriser les échanges de biens, de services et de savoirs entre habitants, sans argent"]),
    ("009030", "", ["Comité des fêtes de {place}", "{Place} en fête"],
     ["organiser des fêtes, brocantes, bals et animations pour les habitants de la commune"]),
    ("009040", "021015", ["Club de l'amitié de {place}", "Les Aînés de {place}"],
     ["rompre l'isolement des personnes âgées ; après-midi récréatifs, sorties et repas"]),
    ("009015", "", ["Scouts et guides de {place}", "Groupe scout {word}"],
     ["éducation des jeunes par le scoutisme ; camps, activités de plein air et vie en équipe"]),
    ("009050", "", ["Comité de jumelage de {place}", "Amitiés {place} – {twin}"],
     ["développer les échanges culturels et linguistiques avec la ville jumelle de {twin}"]),
    ("009005", "019016", ["Maison des jeunes de {place}", "Espace jeunesse {place}"],
     ["accueillir les jeunes de 11 à 25 ans ; accompagnement de projets, loisirs et soutien scolaire"]),
    ("010015", "010020", ["Société historique de {place}", "Mémoire de {place}"],
     ["rechercher, conserver et faire connaître l'histoire et le patrimoine de la commune"]),
    ("015005", "", ["Parents d'élèves du groupe scolaire {word}", "FCPE école {word}"],
     ["représenter les parents d'élèves ; participer à la vie de l'école ; organiser la fête de fin d'année"]),
    ("015025", "019014", ["Coup de pouce scolaire {place}", "Soutien scolaire {place}"],
     ["accompagnement à la scolarité ; aide aux devoirs ; lutte contre l'illettrisme"]),
    ("017055", "017130", ["Entraide malades de {place}", "Les Amis de l'hôpital"],
     ["accompagner les personnes malades et leurs proches ; visites, écoute et information"]),
    ("017065", "", ["Donneurs de sang bénévoles de {place}"],
     ["promouvoir le don du sang et le don d'organes ; soutenir les collectes de l'EFS"]),
    ("019004", "019005", ["Familles de {place}", "Association familiale de {place}"],
     ["soutien aux familles ; médiation familiale ; ateliers parents-enfants"]),
    ("019010", "009000", ["Centre social {word}", "Maison de quartier {word}"],
     ["animation sociale et culturelle du quartier ; accueil des habitants ; ateliers et sorties familiales"]),
    ("019025", "003050", ["Accueil et solidarité {place}", "Français langue d'accueil"],
     ["aide aux personnes réfugiées et immigrées ; cours de français ; accompagnement dans les démarches"]),
    ("020010", "020005", ["Restos du cœur – antenne de {place}", "Épicerie solidaire de {place}"],
     ["aide alimentaire et vestimentaire aux personnes en difficulté ; distribution de colis ; écoute"]),
    ("020020", "", ["Solidarité {place} – {twin}", "Puits pour {twin}"],
     ["actions de solidarité internationale et d'aide au développement avec {twin}"]),
    ("020025", "", ["Bénévoles de {place}", "France bénévolat {place}"],
     ["promouvoir et développer le bénévolat ; mettre en relation bénévoles et associations"]),
    ("021010", "", ["Aide à domicile de {place}", "Services à la personne {place}"],
     ["aide à domicile des personnes âgées ou handicapées ; portage de repas"]),
    ("024045", "024035", ["Vivre à {place}", "Bien vivre dans le quartier {word}", "Les Amis des bords d'Orge"],
     ["défense et amélioration du cadre de vie ; protection des berges de l'Orge et des espaces verts"]),
    ("024026", "", ["Les Chats libres de {place}", "Refuge animalier {place}"],
     ["protection des animaux ; stérilisation et soins des chats errants ; adoptions"]),
    ("024050", "030050", ["Repair café {place}", "Zéro déchet {place}"],
     ["sensibiliser au développement durable ; réparer plutôt que jeter ; ateliers de réparation mensuels"]),
    ("030012", "", ["Comité de quartier {word}", "Les Habitants du {word}"],
     ["animer le quartier et représenter ses habitants auprès de la municipalité ; fête des voisins"]),
    ("030010", "019020", ["Régie de quartier de {place}", "Tremplin emploi {place}"],
     ["insertion par l'activité économique ; accompagnement vers l'emploi de personnes qui en sont éloignées"]),
    ("022535", "", ["Union des commerçants de {place}", "Les Vitrines de {place}"],
     ["animation commerciale du centre-ville ; organisation de foires, marchés et braderies"]),
    ("032520", "", ["Amicale des locataires de la résidence {word}", "CNL {place}"],
     ["représenter et défendre les locataires ; améliorer les conditions de logement"]),
    ("036520", "036530", ["Secouristes de {place}", "Protection civile – antenne de {place}"],
     ["formation aux premiers secours ; postes de secours lors des manifestations"]),
    ("038105", "010020", ["Anciens combattants de {place}", "Le Souvenir français – comité de {place}"],
     ["entretenir la mémoire des combattants ; participer aux cérémonies commémoratives"]),
    ("040000", "", ["Association culturelle {word}", "Cercle de méditation de {place}"],
     ["activités spirituelles et culturelles ; rencontres et conférences ouvertes à tous"]),
    ("013010", "024010", ["La Gaule de {place}", "AAPPMA de {place}"],
     ["pratique de la pêche de loisir ; protection du milieu aquatique de l'Orge"]),
    ("005010", "005020", ["Radio {word}", "Le Journal de {place}"],
     ["information locale ; radio associative et journal de quartier ; ateliers d'éducation aux médias"]),
]  # fmt: skip
WORDS = [
    "Tilleul", "Moulin", "Lavoir", "Pont", "Coteau", "Plateau", "Marronnier", "Cèdre", "Verger", "Roseau",
    "Soleil", "Chêne", "Orme", "Peuplier", "Saule", "Prairie", "Ruisseau", "Levant", "Parc", "Four",
]  # fmt: skip
TWINS = ["Kayes", "Leipzig", "Tomar", "Oradea", "Siguiri", "Bornheim", "Cambrai", "Dolni Benesov"]
STREET_TYPES = ["RUE", "RUE", "RUE", "AV", "BD", "PL", "ALL", "CHE", "IMP", "SQ", "RTE"]
STREETS = [
    "de la République", "Jean Jaurès", "Victor Hugo", "du Général de Gaulle", "Pasteur", "des Écoles",
    "de la Gare", "du Moulin", "des Tisserands", "de l'Orge", "Gambetta", "Jules Ferry", "Louise Michel",
    "des Lilas", "du Stade", "de Paris", "Marie Curie", "Aristide Briand", "de la Mairie", "des Prés",
]  # fmt: skip
COMPLEMENTS = [
    "Maison des associations", "Mairie", "Chez Mme Martin", "Bâtiment B", "Résidence les Tilleuls", "Hôtel de ville",
]  # fmt: skip
UNKNOWN_THEMES = ["099999", "006999", "011999"]


def _valid_siret(rng: random.Random) -> str:
    siren = f"{rng.randrange(10_000_000, 99_999_999):08d}"
    siren += luhn.calc_check_digit(siren)
    body = siren + f"{rng.randrange(1, 99):04d}"
    return body + luhn.calc_check_digit(body)


def _invalid_siret(rng: random.Random) -> str:
    number = _valid_siret(rng)
    return number[:-1] + str((int(number[-1]) + rng.randrange(1, 10)) % 10)


def _date(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    span = max((end - start).days, 1)
    return start + datetime.timedelta(days=rng.randrange(span))


def _capitalised(place: str) -> str:
    return place[:1].upper() + place[1:]


class _Generator:
    def __init__(self, *, seed: int, department: str | None, city: City | None):
        self.rng = random.Random(seed)
        self.department = department
        self.city = city
        self.serials: dict[str, int] = {}
        self.recent_ids: list[str] = []

    def commune(self, department: str) -> City:
        if department == "91":
            return self.rng.choice(ESSONNE)
        number = self.rng.randrange(1, 700)
        postcode = f"{department.replace('A', '0').replace('B', '0')}{number % 1000:03d}"
        return City(f"{department}{number:03d}", postcode, f"Commune {number} ({department})")

    def new_id(self, department: str) -> tuple[str, str]:
        site = f"{department}{self.rng.randrange(0, 4)}"
        serial = self.serials.get(site, 0) + 1
        self.serials[site] = serial
        # 7 digits after W + department: the site digit then a 6-digit serial (10^6 per site is enough here).
        return f"W{site}{serial % 1_000_000:06d}", f"{site}P"

    def row(self, *, in_city: bool) -> list[str]:
        rng = self.rng
        department = self.department or rng.choice(DEPARTMENTS)
        commune = self.city if in_city and self.city else self.commune(department)
        rna_id, management = self.new_id(department if not in_city else self.city.insee[:2])
        theme_1, theme_2, names, objects = rng.choice(PROFILES)
        place = commune.name
        word, twin = rng.choice(WORDS), rng.choice(TWINS)
        name = rng.choice(names).format(place=place, Place=_capitalised(place), word=word, twin=twin)
        if rng.random() < 0.5:
            name = name.upper()  # the register often holds titles in capitals
        short_name = ""
        if rng.random() < 0.25:
            short_name = "".join(part[0] for part in name.split() if part[:1].isalpha()).upper()[:12]
        elif len(name) > 35 and rng.random() < 0.5:
            short_name = name[:32] + " ..."
        objet = rng.choice(objects).format(place=place, twin=twin)
        if rng.random() < 0.1:
            objet += ' ; organiser chaque année la "fête" de ' + place
        if rng.random() < 0.03:
            objet = objet[: rng.randrange(20, max(len(objet), 21))]  # truncated, as in real extracts
        roll = rng.random()
        if roll < 0.02:
            theme_1 = rng.choice(UNKNOWN_THEMES)
        theme_2 = theme_2 or "000000"
        if rng.random() < 0.3:
            theme_2 = "000000"
        created = _date(rng, datetime.date(1950, 1, 1), datetime.date(2025, 6, 1))
        declared = _date(rng, created, datetime.date(2026, 1, 31))
        published = created + datetime.timedelta(days=rng.randrange(10, 60)) if rng.random() < 0.7 else None
        position = "A"
        dissolved = None
        roll = rng.random()
        if roll < 0.12:
            position, dissolved = "D", _date(rng, declared, datetime.date(2026, 1, 31))
        elif roll < 0.13:
            position = "S"
        siret = ""
        roll = rng.random()
        if roll < 0.25:
            siret = _valid_siret(rng)
            if rng.random() < 0.1:
                siret = f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
        elif roll < 0.28:
            siret = _invalid_siret(rng)
        number = str(rng.randrange(1, 180))
        roll = rng.random()
        if roll < 0.15:
            number = number.rjust(5)  # padded with spaces, as in real files
        elif roll < 0.2:
            number = number + "  "
        elif roll < 0.25:
            number = "_"
        street_type, street = rng.choice(STREET_TYPES), rng.choice(STREETS)
        updated = datetime.datetime.combine(
            declared, datetime.time(rng.randrange(7, 19), rng.randrange(60), rng.randrange(60))
        )
        maj_time = updated.strftime("%Y-%m-%d %H:%M:%S")
        if rng.random() < 0.3:
            maj_time += f".{rng.randrange(1_000_000):06d}"
        website = ""
        if rng.random() < 0.15:
            slug = fold(name).replace(" ", "")[:20] or "asso"
            website = rng.choice([f"www.{slug}.fr", f"http://{slug}.free.fr", f"https://{slug}.org"])
        row = [
            rna_id,
            "" if rng.random() < 0.8 else f"{management}{rng.randrange(1, 99999):08d}",
            siret,
            "",
            management,
            created.isoformat(),
            declared.isoformat(),
            published.isoformat() if published else "0001-01-01",
            dissolved.isoformat() if dissolved else "0001-01-01",
            "D" if rng.random() < 0.98 else rng.choice("RI"),
            "S" if rng.random() < 0.95 else rng.choice("UF"),
            name,
            short_name,
            objet,
            theme_1,
            theme_2,
            rng.choice(COMPLEMENTS) if rng.random() < 0.2 else "",
            number,
            "B" if rng.random() < 0.04 else "",
            street_type,
            street,
            "_",
            commune.insee,
            commune.postcode,
            commune.name,
            "",
            "",
            "",
            f"{number.strip('_ ') or '1'}  {street_type} {street.upper()}",
            "_" if rng.random() < 0.5 else "",
            commune.postcode,
            commune.name.upper(),
            "FRANCE",
            rng.choice(["PM", "PF"]),
            website,
            "0" if rng.random() < 0.05 else "1",
            "",
            position,
            maj_time,
        ]
        return row


def fake_rows(
    *, count: int, department: str | None = "91", seed: int = 2026, city: City | None = None, city_count: int = 0
) -> Iterator[list[str]]:
    """``count`` waldec rows (header excluded); ``city_count`` of them in ``city``; about 0.2 % repeat an earlier id."""
    generator = _Generator(seed=seed, department=department, city=city)
    rng = random.Random(seed + 1)
    in_city = set(rng.sample(range(count), min(city_count, count))) if city else set()
    recent: list[list[str]] = []
    for index in range(count):
        if recent and rng.random() < 0.002:
            # A duplicated id: an earlier association appears again, with a later change (the importer rejects it).
            row = list(rng.choice(recent))
            row[38] = "2026-02-01 10:00:00"
            yield row
            continue
        row = generator.row(in_city=index in in_city)
        if len(recent) < 50:
            recent.append(row)
        elif rng.random() < 0.01:
            recent[rng.randrange(50)] = row
        yield row


def write_waldec(path: Path | str, *, encoding: str = "utf-8", **options) -> Path:
    """Write a waldec file; ``options`` are those of ``fake_rows``. Empty fields are quoted in some rows, as in
    real files; characters the encoding lacks are replaced (ISO-8859-15 has no curly quotes)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    seed = options.get("seed", 2026)
    rng = random.Random(seed + 2)
    with path.open("w", encoding=encoding, errors="replace", newline="") as handle:
        handle.write(";".join(WALDEC_HEADER) + "\n")
        minimal = csv.writer(handle, delimiter=";", quotechar='"', quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        for row in fake_rows(**options):
            if rng.random() < 0.3:
                # Real files quote empty fields as "" in some rows; csv.writer never does that by itself.
                handle.write(";".join(_quote_all(value) for value in row) + "\n")
            else:
                minimal.writerow(row)
    return path


def _quote_all(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'
