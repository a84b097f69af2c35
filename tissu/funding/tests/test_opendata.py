import csv
import io
import json
from decimal import Decimal

import frictionless
import pytest
from django.conf import settings
from django.urls import reverse

from tissu.city.models import CitySettings
from tissu.directory.models import Association
from tissu.funding import opendata, services
from tissu.funding.models import Status
from tissu.funding.tests.factories import make_application, make_decided

pytestmark = pytest.mark.django_db

SCHEMA = settings.BASE_DIR / "tissu" / "funding" / "tests" / "scdl_subventions_schema_v2.1.1.json"


@pytest.fixture
def city():
    city, _ = CitySettings.objects.update_or_create(
        pk=1, defaults={"name": "Bellerive-sur-Orge", "siret": "21910999800001"}
    )
    return city


@pytest.fixture
def grants(personas, city, staff, association_a, association_b):
    Association.objects.filter(pk=association_a.pk).update(siret="73282932000074", rna_id="W912000001")
    # A real RNA id outside the schema's pattern (site code with a letter) and no SIRET.
    Association.objects.filter(pk=association_b.pk).update(siret="", rna_id="W9T1002867")
    first = make_decided(association=association_a, amount=Decimal("1500"), project_title='Fête, "quartier" et musique')
    services.payment_record(actor=staff, application=first, amount=Decimal("500"), paid_on=first.deliberation_date)
    services.payment_record(
        actor=staff, application=first, amount=Decimal("1000"), paid_on=first.deliberation_date.replace(day=28)
    )
    make_decided(association=association_b, amount=Decimal("800"), project_title='=HYPERLINK("http://x")')
    make_application(status=Status.UNDER_REVIEW)  # not decided: not published
    return first


def export(client, **params) -> bytes:
    response = client.get(reverse("funding:grant-csv"), params)
    assert response.status_code == 200
    assert response.streaming
    return b"".join(response.streaming_content)


def test_the_export_passes_frictionless_validation_against_the_official_schema(client, grants, tmp_path):
    path = tmp_path / "subventions.csv"
    path.write_bytes(export(client))
    schema = frictionless.Schema.from_descriptor(json.loads(SCHEMA.read_text(encoding="utf-8")))
    # A relative path under basepath: frictionless refuses absolute paths as "not safe".
    report = frictionless.validate("subventions.csv", basepath=str(tmp_path), schema=schema)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert len(rows) == 2
    assert list(rows[0]) == opendata.HEADER


def test_it_keeps_a_valid_siret_and_rna_and_drops_an_rna_outside_the_pattern(client, grants):
    rows = {row["nomBeneficiaire"]: row for row in csv.DictReader(io.StringIO(export(client).decode()))}
    a, b = rows["Association A"], rows["Association B"]
    assert (a["idBeneficiaire"], a["rnaBeneficiaire"]) == ("73282932000074", "W912000001")
    assert (b["idBeneficiaire"], b["rnaBeneficiaire"]) == ("", "")
    assert b["objet"].startswith("'=HYPERLINK")  # never run as a spreadsheet formula
    assert a["conditionsVersement"] == "unique"
    assert "/" in a["datesPeriodeVersement"]
    assert a["montant"] == "1500.00"
    # 1 500 € of a project whose charges are 4 000 €.
    assert a["pourcentageSubvention"] == "0.375"


def test_the_office_sees_the_grants_without_a_usable_identifier(client_for, staff, grants):
    page = client_for(staff).get(reverse("funding:staff-opendata")).content.decode()
    assert "Association B" in page and "W9T1002867" in page


def test_the_public_page_lists_decided_grants_only(client, grants):
    page = client.get(reverse("funding:grant-list")).content.decode()
    assert "Association A" in page and "Association B" in page
    assert "2 grants" in page


def test_the_api_serves_the_same_values(client, grants):
    response = client.get("/api/grants", {"limit": 1})
    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 2 and len(body["results"]) == 1 and body["next"]
    assert set(body["results"][0]) == set(opendata.HEADER)


def test_the_percentage_stays_within_the_schema_bounds():
    assert opendata.percentage(Decimal("10"), Decimal("100000")) == "0.01"
    assert opendata.percentage(Decimal("5000"), Decimal("1000")) == "1"
    assert opendata.percentage(Decimal("500"), None) == "1"


def test_the_validation_would_catch_a_raw_rna_id(client, grants, tmp_path):
    """The check above can fail: the same file with the raw RNA id of association B is refused."""
    text = export(client).decode().replace("Association B,,,", "Association B,,W9T1002867,")
    (tmp_path / "raw.csv").write_text(text, encoding="utf-8")
    schema = frictionless.Schema.from_descriptor(json.loads(SCHEMA.read_text(encoding="utf-8")))
    report = frictionless.validate("raw.csv", basepath=str(tmp_path), schema=schema)
    assert not report.valid
    assert "constraint-error" in {error[2] for error in report.flatten(["rowNumber", "fieldName", "type"])}


def test_the_public_grants_page_has_a_constant_number_of_queries(client, grants):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("funding:grant-list")
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for _ in range(5):
        make_decided(association="association-b")
    with CaptureQueriesContext(connection) as second:
        response = client.get(url)
    assert len(first.captured_queries) == len(second.captured_queries)
    assert "7 grants" in response.content.decode()


def test_an_associations_profile_lists_its_grants(client, grants, association_a):
    page = client.get(reverse("directory:association-detail", args=[association_a.slug])).content.decode()
    assert "Grants from the city" in page
    assert "Fête, &quot;quartier&quot; et musique" in page
