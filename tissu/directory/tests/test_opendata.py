"""Open data: the CSV and JSON files of the public directory and the page with their column dictionary."""

import csv
import datetime
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from conftest import make_user
from tissu.directory import opendata
from tissu.directory.models import Audience, Membership, MembershipRole, Neighbourhood, PriorityArea

pytestmark = pytest.mark.django_db

CSV_URL = "/associations/donnees/associations.csv"
JSON_URL = "/associations/donnees/associations.json"
PAGE_URL = "/associations/donnees/"
DOCS = Path(settings.BASE_DIR) / "docs" / "opendata.md"


def read_csv(client, url=CSV_URL, /, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(body, newline=""), delimiter=";"))


def read_json(client, url=JSON_URL, /, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return json.loads(b"".join(response.streaming_content))


def names(rows):
    return [row["name"] for row in rows]


def test_the_urls_are_the_french_paths():
    assert reverse("directory:opendata") == PAGE_URL
    assert reverse("directory:opendata-csv") == CSV_URL
    assert reverse("directory:opendata-json") == JSON_URL


def test_it_exports_active_and_dissolved_associations_and_nothing_else(client, make_association):
    make_association("Club actif", rna_id="W912000011")
    make_association(
        "Amicale dissoute", rna_id="W912000012", rna_position="D", dissolution_date=datetime.date(2020, 1, 5)
    )
    make_association("Fiche supprimée", rna_id="W912000013", rna_position="S")
    make_association("Ancienne fiche reprise", rna_id="W912000014", rna_position="R")
    make_association("Publication refusée", rna_id="W912000015", publish_on_web=False)

    expected = ["Amicale dissoute", "Club actif"]
    assert names(read_csv(client)) == expected
    assert names(read_json(client)) == expected


def test_the_csv_is_semicolon_separated_utf8_without_bom_with_a_header(client, make_association):
    make_association("Les Ébénistes", rna_id="W912000021")
    response = client.get(CSV_URL)
    body = b"".join(response.streaming_content)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert not body.startswith(b"\xef\xbb\xbf")
    header, first = body.decode("utf-8").split("\r\n")[:2]
    assert header == ";".join(opendata.COLUMN_NAMES)
    assert first.startswith("W912000021;")
    assert "Les Ébénistes" in first


def test_the_csv_parses_back_with_awkward_text(client, make_association):
    awkward = 'Promouvoir le "vivre ensemble"; ateliers\net sorties'
    make_association("Quartiers ; Liens", rna_id="W912000031", object=awkward, short_name="Q;L")

    [row] = read_csv(client)

    assert list(row) == opendata.COLUMN_NAMES
    assert row["name"] == "Quartiers ; Liens"
    assert row["object"] == awkward
    assert row["short_name"] == "Q;L"


def test_rows_carry_the_city_fields_labels_and_the_profile_address(client, make_association):
    neighbourhood = Neighbourhood.objects.create(name="Les Prés", slug="les-pres")
    qpv = PriorityArea.objects.create(code="QN09199A", name="Les Prés-Nord")
    association = make_association(
        "Club de judo",
        rna_id="W912000041",
        theme_1="011140",
        theme_2="006040",
        nature="D",
        grouping="S",
        creation_date=datetime.date(1987, 9, 14),
        neighbourhood=neighbourhood,
        qpv=qpv,
        is_employer=True,
        accepts_volunteers=True,
        verified_at=timezone.now(),
        public_email="contact@judo.example",
        public_phone="+33 1 23 45 67 89",
        rna_updated_at=datetime.datetime(2024, 5, 12, 8, 31, 7, tzinfo=datetime.UTC),
    )
    association.audiences.add(
        Audience.objects.create(name="Jeunes", slug="jeunes"), Audience.objects.create(name="Familles", slug="familles")
    )

    [row] = read_csv(client)
    [item] = read_json(client)

    assert row["theme_1_code"] == "011140"
    assert row["theme_1_label"] == "judo"
    assert row["family_1_code"] == "011000"
    assert row["family_1_label"] == "sports, activités de plein air"
    assert row["family_2_code"] == association.family_2 != ""
    assert row["creation_date"] == "1987-09-14"
    assert row["dissolution_date"] == ""
    assert row["nature_code"] == "D"
    assert row["neighbourhood"] == "Les Prés"
    assert row["qpv_code"] == "QN09199A"
    assert row["publics_served"] == "Familles|Jeunes"
    assert (row["is_employer"], row["accepts_volunteers"], row["verified_by_city"]) == ("true", "true", "true")
    assert row["public_phone"] == "+33 1 23 45 67 89"  # a phone number is no formula: left alone
    assert row["rna_updated_at"] == "2024-05-12T10:31:07+02:00"  # the city's time, with its offset
    assert row["rna_position_code"] == "A"
    assert row["tissu_url"] == f"{settings.SITE_URL}/associations/club-de-judo-w912000041/"

    assert item["publics_served"] == ["Familles", "Jeunes"]
    assert item["is_employer"] is True
    assert item["dissolution_date"] is None
    assert item["creation_date"] == "1987-09-14"
    assert item["tissu_url"] == row["tissu_url"]


def test_it_never_exports_officers_personal_contacts_or_the_management_address(client, make_association):
    association = make_association(
        "Comité des fêtes",
        rna_id="W912000051",
        mgmt_declarant="Madame Jeanne Secrète",
        mgmt_street="3 impasse Privée",
        mgmt_postcode="91991",
        mgmt_city="Ailleurs-sur-Orge",
        director_title="PM",
        presentation="Notre présidente.",
    )
    officer = make_user("jeanne.secrete@example.org", "Jeanne Secrète")
    Membership.objects.create(user=officer, association=association, role=MembershipRole.PRESIDENT)

    csv_body = b"".join(client.get(CSV_URL).streaming_content).decode()
    json_body = b"".join(client.get(JSON_URL).streaming_content).decode()

    for body in (csv_body, json_body):
        assert "Comité des fêtes" in body
        for private in ("Secrète", "jeanne.secrete", "impasse Privée", "91991", "Ailleurs-sur-Orge"):
            assert private not in body


def test_a_value_a_spreadsheet_would_run_is_defused_in_the_csv_only(client, make_association):
    formula = '=HYPERLINK("http://evil.example","clic")'
    make_association(formula, rna_id="W912000061", public_phone="-2+3+cmd|' /C calc'!A0")

    [row] = read_csv(client)
    [item] = read_json(client)

    assert row["name"] == "'" + formula
    assert row["public_phone"] == "'-2+3+cmd|' /C calc'!A0"
    assert item["name"] == formula


def test_the_json_is_one_array_of_objects_with_the_csv_keys(client, make_association):
    make_association("Un", rna_id="W912000071")
    make_association("Deux", rna_id="W912000072")
    response = client.get(JSON_URL)

    data = json.loads(b"".join(response.streaming_content))

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert [list(item) for item in data] == [opendata.COLUMN_NAMES] * 2


def test_an_empty_directory_gives_a_header_and_an_empty_array(client):
    assert read_csv(client) == []
    assert read_json(client) == []


def test_exports_are_streamed_as_downloads(client, make_association):
    make_association("Un", rna_id="W912000081")
    today = timezone.localdate().isoformat()

    csv_response = client.get(CSV_URL)
    json_response = client.get(JSON_URL)

    assert csv_response.streaming and json_response.streaming
    assert csv_response["Content-Disposition"] == f'attachment; filename="associations-{today}.csv"'
    assert json_response["Content-Disposition"] == f'inline; filename="associations-{today}.json"'
    assert csv_response["Access-Control-Allow-Origin"] == "*"


def test_streaming_reads_the_rows_chunk_by_chunk(client, make_association, monkeypatch):
    """Across several chunks (each with its own prefetch of the publics served) nothing is lost or mixed up."""
    monkeypatch.setattr(opendata, "CHUNK_SIZE", 3)
    monkeypatch.setattr(opendata, "ROWS_PER_PIECE", 2)
    youth = Audience.objects.create(name="Jeunes", slug="jeunes")
    for number in range(8):
        association = make_association(f"Association {number}", rna_id=f"W91200009{number}")
        if number % 2:
            association.audiences.add(youth)

    rows = read_csv(client)
    response = client.get(JSON_URL)
    pieces = list(response.streaming_content)

    assert names(rows) == [f"Association {number}" for number in range(8)]
    assert [row["publics_served"] for row in rows] == ["", "Jeunes"] * 4
    assert len(pieces) > 2
    assert len(json.loads(b"".join(pieces))) == 8


@pytest.mark.parametrize("url", [CSV_URL, JSON_URL])
def test_exports_take_the_search_pages_filters(client, make_association, url):
    """The search page's query string works as it is on the download links."""
    centre = Neighbourhood.objects.create(name="Centre", slug="centre")
    qpv = PriorityArea.objects.create(code="QN09199A", name="Les Prés-Nord")
    youth = Audience.objects.create(name="Jeunes", slug="jeunes")
    make_association(
        "Club sportif",
        rna_id="W912000101",
        theme_1="011140",
        neighbourhood=centre,
        accepts_volunteers=True,
        verified_at=timezone.now(),
    )
    make_association("Chorale", rna_id="W912000102", theme_1="004010", object="chant choral", qpv=qpv, is_employer=True)
    make_association("Ancien club", rna_id="W912000103", theme_1="011140", rna_position="D").audiences.add(youth)
    make_association("Fiche reprise", rna_id="W912000104", theme_1="011140", rna_position="R")
    read = read_csv if url == CSV_URL else read_json

    assert names(read(client, url)) == ["Ancien club", "Chorale", "Club sportif"]
    assert names(read(client, url, q="sportives")) == ["Club sportif"]
    assert names(read(client, url, q="chorales")) == ["Chorale"]
    assert names(read(client, url, family="011000")) == ["Ancien club", "Club sportif"]
    assert names(read(client, url, family=["011000", "004000"], status="active")) == ["Chorale", "Club sportif"]
    assert names(read(client, url, neighbourhood="centre")) == ["Club sportif"]
    assert names(read(client, url, qpv="qn09199a")) == ["Chorale"]
    assert names(read(client, url, audience="jeunes")) == ["Ancien club"]
    assert names(read(client, url, status="dissolved")) == ["Ancien club"]  # never the taken-over record
    assert names(read(client, url, status=["active", "verified"])) == ["Club sportif"]
    assert names(read(client, url, volunteers="on")) == ["Club sportif"]
    assert names(read(client, url, employer="on")) == ["Chorale"]
    assert names(read(client, url, q="W912000102")) == ["Chorale"]


@pytest.mark.parametrize("url", [CSV_URL, JSON_URL])
def test_exports_take_the_open_data_filters_too(client, make_association, url):
    make_association("Vérifiée", rna_id="W912000111", verified_at=timezone.now(), office_postcode="91990")
    make_association("À vérifier", rna_id="W912000112", office_insee_code="91998", accepts_volunteers=True)
    read = read_csv if url == CSV_URL else read_json

    assert names(read(client, url, verified="true")) == ["Vérifiée"]
    assert names(read(client, url, verified="false")) == ["À vérifier"]
    assert names(read(client, url, accepts_volunteers="false")) == ["Vérifiée"]
    assert names(read(client, url, postcode="91990")) == ["Vérifiée"]
    assert names(read(client, url, insee="91998")) == ["À vérifier"]
    assert names(read(client, url, updated_since="2000-01-01")) == ["À vérifier", "Vérifiée"]
    assert names(read(client, url, updated_since="2999-01-01")) == []


def test_malformed_filters_are_ignored_on_the_files(client, make_association):
    make_association("Un", rna_id="W912000121")

    rows = read_csv(client, status="nonsense", family="sport", qpv="nowhere", updated_since="yesterday", verified="?")

    assert names(rows) == ["Un"]


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(captured)


def _populate(make_association, count, start=0):
    youth = Audience.objects.get_or_create(name="Jeunes", slug="jeunes")[0]
    centre = Neighbourhood.objects.get_or_create(name="Centre", slug="centre")[0]
    for number in range(start, start + count):
        association = make_association(
            f"Association {number:03d}", rna_id=f"W912{number:06d}", theme_1="011140", neighbourhood=centre
        )
        association.audiences.add(youth)


@pytest.mark.parametrize("url", [CSV_URL, JSON_URL, PAGE_URL])
def test_the_query_count_does_not_grow_with_the_directory(client, make_association, url):
    client.get(PAGE_URL)  # the city settings, cached from then on
    _populate(make_association, 10)
    with_10 = _queries(client, url)
    _populate(make_association, 90, start=10)

    assert _queries(client, url) == with_10
    if url != PAGE_URL:
        assert len(read_csv(client) if url == CSV_URL else read_json(client)) == 100


def test_the_page_presents_the_datasets_the_licence_and_the_api(client, make_association):
    make_association("Un", rna_id="W912000111")
    response = client.get(PAGE_URL)
    html = response.content.decode()

    assert response.status_code == 200
    assert html.count("<h1>") == 1
    assert f'href="{CSV_URL}"' in html
    assert f'href="{JSON_URL}"' in html
    assert "Licence Ouverte" in html
    assert 'href="/api/docs"' in html
    assert 'href="/api/openapi.json"' in html
    assert "1 association at the moment" in html


def test_the_page_carries_the_search_filters_to_the_files(client, make_association):
    make_association("Club sportif", rna_id="W912000121", theme_1="011140", accepts_volunteers=True)
    make_association("Chorale", rna_id="W912000122", theme_1="004010", accepts_volunteers=True)

    query = {"q": "club", "family": ["011000", "004000"], "status": "active", "volunteers": "on", "page": "2"}
    html = client.get(PAGE_URL, query).content.decode()

    carried = "q=club&amp;family=011000&amp;family=004000&amp;status=active&amp;accepts_volunteers=true"
    assert f'href="{CSV_URL}?{carried}"' in html
    assert f'href="{JSON_URL}?{carried}"' in html
    assert "1 association." in html


def test_the_column_dictionary_on_the_page_covers_every_exported_column(client):
    html = client.get(PAGE_URL).content.decode()

    for column in opendata.COLUMNS:
        assert f'id="column-{column.name}"' in html
        assert str(column.description).replace("'", "&#x27;") in html
    assert f"{len(opendata.COLUMNS)} columns" in html


def _documented_columns(text: str, language: str) -> list[list[str]]:
    """The rows of a column table of docs/opendata.md: [name, title, type, description, example]."""
    table = text.split(f"<!-- columns:{language} -->", 1)[1].split("<!-- /columns -->", 1)[0]
    rows = [line.strip().strip("|").split(" | ") for line in table.splitlines() if line.startswith("| `")]
    return [[cell.strip().strip("`") for cell in row] for row in rows]


def test_the_documentation_describes_every_exported_column_in_french_and_english():
    text = DOCS.read_text(encoding="utf-8")
    french, english = _documented_columns(text, "fr"), _documented_columns(text, "en")

    assert [row[0] for row in french] == opendata.COLUMN_NAMES
    assert [row[0] for row in english] == opendata.COLUMN_NAMES
    with translation.override("en"):
        for (name, title, kind, description, example), column in zip(english, opendata.COLUMNS, strict=True):
            assert (title, kind, description) == (str(column.label), column.type, str(column.description)), name
            assert example.replace("\\|", "|") == column.example, name


def test_only_reading_methods_are_allowed(client):
    assert client.post(CSV_URL).status_code == 405
    assert client.post(PAGE_URL).status_code == 405
