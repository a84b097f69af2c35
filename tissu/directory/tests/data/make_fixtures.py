"""Writes the small RNA fixture files of the import tests: .venv/bin/python tissu/directory/tests/data/make_fixtures.py

The two *_etalab_rna_as_api.csv files are copies of real rows (see /work/shared/data/standards).
"""

import csv
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[4]))
from tissu.directory.rna_fake import WALDEC_HEADER

HERE = Path(__file__).resolve().parent
HEADER = WALDEC_HEADER


def row(rna_id, name, **values):
    base = dict.fromkeys(HEADER, "")
    base.update(
        id=rna_id, gestion="919P", date_creat="2010-05-04", date_decla="2020-01-15", date_publi="2010-05-20",
        date_disso="0001-01-01", nature="D", groupement="S", titre=name, objet="Animer la vie du quartier",
        objet_social1="030012", objet_social2="000000", adrs_numvoie="12", adrs_typevoie="RUE",
        adrs_libvoie="des Tisserands", adrs_distrib="_", adrs_codeinsee="91999", adrs_codepostal="91990",
        adrs_libcommune="Bellerive-sur-Orge", adrg_libvoie="12  RUE DES TISSERANDS", adrg_codepostal="91990",
        adrg_achemine="BELLERIVE-SUR-ORGE", adrg_pays="FRANCE", dir_civilite="PF", publiweb="1", position="A",
        maj_time="2020-01-15 10:20:30",
    )  # fmt: skip
    base.update(values)
    return [base[column] for column in HEADER]


def write(name: str, rows: list[list[str]], encoding: str) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    (HERE / name).write_bytes(buffer.getvalue().encode(encoding))


ACCENTED = [
    row("W919990101", "Comité des fêtes de Bellerive", objet="Fêtes, bals et brocantes à l'été ; goûters"),
    row(
        "W919990102",
        "Chœur et orchestre de l'Orge",
        objet="Pratique du chant choral et de la musique",
        objet_social1="006030",
    ),
    row("W919990103", "Jardins familiaux", objet="Gérer des jardins partagés", objet_social1="007070"),
]
LATIN1 = [row_ for row_ in ACCENTED if "œ" not in row_[11]]

MESSY_LINES = [
    # line 2: a good line with every quirk: ';' and doubled quotes in the object, padded number, '_', microseconds
    row(
        "W919990001",
        "  Les  Amis du Lavoir ",
        objet='Sauver le "vieux" lavoir ; organiser la fête',
        adrs_numvoie="   7 ",
        adrs_complement="_",
        maj_time="2024-03-01 08:00:00.123456",
        siret="732 829 320 00074",
    ),
    # line 3: an invalid SIRET (warning, the line is imported without it)
    row("W919990002", "Club de judo", siret="73282932000075", objet_social1="011140"),
    # line 4: an unknown theme code (warning, kept)
    row("W919990003", "Atelier inconnu", objet_social1="099999", objet_social2="006030"),
    # line 5: an invalid RNA number (rejected)
    row("W91999003", "Numéro trop court"),
    # line 6: no name (rejected)
    row("W919990005", ""),
    # line 7: malformed (too few fields, rejected)
    ["W919990006", "", "", "truncated line"],
    # line 8: the id of line 2 again (rejected as duplicate)
    row("W919990001", "Les Amis du Lavoir (doublon)"),
    # lines 9-10: an object spanning two physical lines
    row("W919990007", "Théâtre du Pont", objet="Créer des spectacles\net les jouer"),
    # line 11: after the multi-line record, line numbers still match the file
    row("W919990008", "Bibliothèque de rue", date_decla="2024-13-45"),
    # line 12: outside the city (skipped)
    row("W912280001", "Club d'Évry", adrs_codeinsee="91228", adrs_codepostal="91000", adrs_libcommune="Évry"),
    # line 13: dissolved
    row("W919990009", "Ancienne harmonie", position="D", date_disso="2022-06-30"),
    # line 14: unknown nature, malformed website (warnings)
    row("W919990010", "Radio Bellerive", nature="Z", siteweb="pas une adresse"),
]


SCDL_LINES = (
    "nomAttribuant,idAttribuant,dateConvention,referenceDecision,nomBeneficiaire,idBeneficiaire,rnaBeneficiaire,"
    "objet,montant,nature,conditionsVersement,datesPeriodeVersement,idRAE,notificationUE,pourcentageSubvention,"
    "dispositifAide\n"
    "ANTIBES,21060004500392,2013-10-04,CONV N° 2994-13,ANTIBES RALLYE ASSOCIATION,,W322216459,Fonctionnement,"
    "33000,aide en numéraire,unique,2017-03-09/2017-07-31,,non,0.1,\n"
)


def write_messy() -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(MESSY_LINES)
    buffer.write("\n")  # a blank line at the end, as some extracts have
    (HERE / "waldec_messy.csv").write_text(buffer.getvalue(), encoding="utf-8")


if __name__ == "__main__":
    write("waldec_iso8859_1.csv", LATIN1, "iso-8859-1")
    write("waldec_iso8859_15.csv", ACCENTED, "iso-8859-15")
    write("waldec_utf8_bom.csv", ACCENTED, "utf-8-sig")
    write_messy()
    # Another format: the first lines of the SCDL "subventions" example (comma-separated, no id/titre columns).
    (HERE / "not_rna.csv").write_text(SCDL_LINES, encoding="utf-8")
