"""The REST API's directory endpoints: public associations, filters, pagination, nomenclature, OpenAPI."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from tissu.directory import opendata
from tissu.directory.models import Association, Audience, Neighbourhood, PriorityArea, Theme

pytestmark = pytest.mark.django_db

LIST_URL = "/api/associations"


def get(client, url, **params):
    response = client.get(url, params)
    assert response["Content-Type"].startswith("application/json")
    return response


def names(client, **params):
    response = get(client, LIST_URL, **params)
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["results"]]


def test_the_urls_live_under_api():
    assert reverse("api:api-root") == "/api/"
    assert reverse("api:openapi-json") == "/api/openapi.json"
    assert reverse("api:openapi-view") == "/api/docs"
    assert reverse("api:association-list") == LIST_URL
    assert reverse("api:association-detail", args=["W912000001"]) == "/api/associations/W912000001"
    assert reverse("api:theme-list") == "/api/themes"
    assert reverse("api:neighbourhood-list") == "/api/neighbourhoods"


def test_the_list_has_public_associations_only_by_name_with_the_open_data_fields(client, make_association):
    make_association("Zèbres solidaires", rna_id="W912000201")
    make_association("Amicale dissoute", rna_id="W912000202", rna_position="D")
    make_association("Fiche supprimée", rna_id="W912000203", rna_position="S")
    make_association("Ancienne fiche reprise", rna_id="W912000204", rna_position="R")
    make_association("Publication refusée", rna_id="W912000205", publish_on_web=False)

    response = get(client, LIST_URL)
    data = response.json()

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert data["count"] == 2
    assert [item["name"] for item in data["results"]] == ["Amicale dissoute", "Zèbres solidaires"]
    assert list(data["results"][0]) == opendata.COLUMN_NAMES
    assert "Zèbres" in response.content.decode()  # UTF-8, not \u escapes
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_api_shows_nothing_more_to_staff_or_members(client_for, staff, manager_a, association_a):
    Association.objects.filter(pk=association_a.pk).update(publish_on_web=False)

    for user in (None, staff, manager_a):
        client = client_for(user)
        assert get(client, f"{LIST_URL}/{association_a.rna_id}").status_code == 404
        assert association_a.name not in names(client)


class TestPagination:
    @pytest.fixture(autouse=True)
    def _five(self, make_association):
        for number in range(5):
            make_association(f"Association {number}", rna_id=f"W91200030{number}")

    def test_it_pages_with_limit_and_offset_and_links_the_neighbours(self, client):
        data = get(client, LIST_URL, limit=2, offset=2).json()

        assert (data["count"], data["limit"], data["offset"]) == (5, 2, 2)
        assert [item["name"] for item in data["results"]] == ["Association 2", "Association 3"]
        assert data["next"] == "http://testserver/api/associations?limit=2&offset=4"
        assert data["previous"] == "http://testserver/api/associations?limit=2&offset=0"

    def test_the_first_and_last_pages_have_no_link_outwards(self, client):
        first = get(client, LIST_URL, limit=3).json()
        last = get(client, LIST_URL, limit=3, offset=3).json()

        assert first["previous"] is None and first["next"].endswith("offset=3")
        assert last["next"] is None and [item["name"] for item in last["results"]] == ["Association 3", "Association 4"]

    def test_links_keep_the_filters(self, client):
        data = get(client, LIST_URL, status="active", limit=1).json()

        assert data["next"] == "http://testserver/api/associations?status=active&limit=1&offset=1"

    def test_the_default_page_size_is_20_and_the_maximum_100(self, client):
        assert get(client, LIST_URL).json()["limit"] == 20
        assert get(client, LIST_URL, limit=100).status_code == 200

    @pytest.mark.parametrize("params", [{"limit": 101}, {"limit": 0}, {"limit": "many"}, {"offset": -1}])
    def test_out_of_bounds_paging_is_refused(self, client, params):
        response = get(client, LIST_URL, **params)

        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"][-1] in params

    def test_an_offset_past_the_end_gives_an_empty_page(self, client):
        data = get(client, LIST_URL, offset=50).json()

        assert data["count"] == 5 and data["results"] == [] and data["next"] is None


def test_the_filters(client, make_association):
    centre = Neighbourhood.objects.create(name="Centre", slug="centre")
    qpv = PriorityArea.objects.create(code="QN09199A", name="Les Prés-Nord")
    make_association(
        "Club sportif",
        rna_id="W912000401",
        theme_1="011140",
        neighbourhood=centre,
        verified_at=timezone.now(),
        accepts_volunteers=True,
    )
    make_association(
        "Chorale",
        rna_id="W912000402",
        theme_1="004010",
        object="chant choral",
        qpv=qpv,
        office_postcode="91990",
        office_insee_code="91998",
    )
    make_association("Ancien club", rna_id="W912000403", theme_1="011140", rna_position="D", is_employer=True)
    make_association("Fiche reprise", rna_id="W912000404", theme_1="011140", rna_position="R")
    Association.objects.get(name="Chorale").audiences.add(Audience.objects.create(name="Jeunes", slug="jeunes"))

    assert names(client) == ["Ancien club", "Chorale", "Club sportif"]
    assert names(client, q="sportives") == ["Club sportif"]
    assert names(client, q="w912000402") == ["Chorale"]
    assert names(client, family="011000") == ["Ancien club", "Club sportif"]
    assert names(client, neighbourhood="centre") == ["Club sportif"]
    assert names(client, qpv="QN09199A") == ["Chorale"]
    assert names(client, postcode="91990") == ["Chorale"]
    assert names(client, insee="91998") == ["Chorale"]
    assert names(client, status="dissolved") == ["Ancien club"]
    assert names(client, verified="true") == ["Club sportif"]
    assert names(client, verified="false") == ["Ancien club", "Chorale"]
    assert names(client, accepts_volunteers="true") == ["Club sportif"]
    assert names(client, accepts_volunteers="false") == ["Ancien club", "Chorale"]
    assert names(client, audience="jeunes") == ["Chorale"]
    assert names(client, employer="true") == ["Ancien club"]
    assert names(client, employer="false") == ["Chorale", "Club sportif"]
    assert names(client, family="011000", status="active") == ["Club sportif"]


def test_bad_filter_values_are_refused_with_the_reason(client):
    for params in ({"status": "removed"}, {"family": "sport"}, {"verified": "maybe"}, {"updated_since": "yesterday"}):
        response = get(client, LIST_URL, **params)

        assert response.status_code == 422, params
        assert response.json()["detail"][0]["loc"] == ["query", next(iter(params))]


def test_updated_since_counts_changes_in_tissu_and_in_the_register(client, make_association):
    long_ago = timezone.now() - datetime.timedelta(days=400)
    for number, name in enumerate(["Ancienne", "Changée au RNA", "Changée dans Tissu"]):
        make_association(name, rna_id=f"W91200050{number}")
    # updated_at is automatic on save(): set the past in bulk, as an import would.
    Association.objects.update(updated_at=long_ago, rna_updated_at=long_ago)
    Association.objects.filter(name="Changée au RNA").update(rna_updated_at=timezone.now())
    Association.objects.filter(name="Changée dans Tissu").update(updated_at=timezone.now())
    since = (timezone.now() - datetime.timedelta(days=30)).date().isoformat()

    assert names(client, updated_since=since) == ["Changée au RNA", "Changée dans Tissu"]
    assert names(client, updated_since=f"{since}T00:00:00+02:00") == ["Changée au RNA", "Changée dans Tissu"]


def test_one_association_by_rna_number_or_slug(client, make_association):
    association = make_association("Club de judo", rna_id="W912000601", theme_1="011140")
    association.audiences.add(Audience.objects.create(name="Jeunes", slug="jeunes"))

    by_rna = get(client, f"{LIST_URL}/W912000601").json()
    lower_case = get(client, f"{LIST_URL}/w912000601").json()
    by_slug = get(client, f"{LIST_URL}/{association.slug}").json()

    assert by_rna == lower_case == by_slug
    assert by_rna["name"] == "Club de judo"
    assert by_rna["theme_1_label"] == "judo"
    assert by_rna["publics_served"] == ["Jeunes"]


@pytest.mark.parametrize(
    "fields",
    [{"rna_position": "S"}, {"rna_position": "R"}, {"publish_on_web": False}],
    ids=["removed", "taken-over", "unpublishable"],
)
def test_a_non_public_association_is_not_found(client, make_association, fields):
    association = make_association("Cachée", rna_id="W912000701", **fields)

    for key in (association.rna_id, association.slug):
        response = get(client, f"{LIST_URL}/{key}")
        assert response.status_code == 404
        assert response.json() == {"detail": "No public association has this RNA number or address."}


def test_an_unknown_association_is_not_found(client):
    assert get(client, f"{LIST_URL}/W999999999").status_code == 404
    assert get(client, f"{LIST_URL}/nobody-here").status_code == 404


def test_the_themes_come_by_family(client):
    families = get(client, "/api/themes").json()

    assert len(families) == 29
    assert sum(len(family["themes"]) for family in families) == Theme.objects.count() - 29
    sport = next(family for family in families if family["code"] == "011000")
    assert sport["label"] == "sports, activités de plein air"
    assert {"code": "011140", "label": "judo"} in sport["themes"]


def test_the_neighbourhoods_count_their_public_associations(client, make_association):
    centre = Neighbourhood.objects.create(name="Centre", slug="centre")
    Neighbourhood.objects.create(name="Les Prés", slug="les-pres")
    make_association("Visible", rna_id="W912000801", neighbourhood=centre)
    make_association("Dissoute", rna_id="W912000802", neighbourhood=centre, rna_position="D")
    make_association("Supprimée", rna_id="W912000803", neighbourhood=centre, rna_position="S")

    assert get(client, "/api/neighbourhoods").json() == [
        {"slug": "centre", "name": "Centre", "association_count": 2},
        {"slug": "les-pres", "name": "Les Prés", "association_count": 0},
    ]


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"limit": 100})
    assert response.status_code == 200
    return len(captured)


def test_the_list_runs_the_same_queries_for_10_or_100_associations(client, make_association):
    youth = Audience.objects.create(name="Jeunes", slug="jeunes")
    centre = Neighbourhood.objects.create(name="Centre", slug="centre")

    def populate(numbers):
        for number in numbers:
            association = make_association(
                f"Association {number:03d}", rna_id=f"W913{number:06d}", neighbourhood=centre
            )
            association.audiences.add(youth)

    populate(range(10))
    with_10 = _count_queries(client, LIST_URL)
    populate(range(10, 100))

    assert _count_queries(client, LIST_URL) == with_10
    assert len(get(client, LIST_URL, limit=100).json()["results"]) == 100
    assert _count_queries(client, "/api/neighbourhoods") == 1
    assert _count_queries(client, "/api/themes") == 1


class TestOpenAPI:
    @pytest.fixture
    def schema(self, client):
        response = get(client, "/api/openapi.json")
        assert response.status_code == 200
        return response.json()

    def test_it_is_openapi_3_and_lists_every_path(self, schema):
        assert schema["openapi"].startswith("3.")
        assert schema["info"] == {**schema["info"], "title": "Tissu API", "version": "1"}
        assert set(schema["paths"]) >= {  # other modules add their own paths
            "/api/associations",
            "/api/associations/{key}",
            "/api/themes",
            "/api/neighbourhoods",
            "/api/grants",  # tissu/api/funding.py, tested in tissu/funding/tests/test_opendata.py
        }
        for path in schema["paths"].values():
            assert set(path) == {"get"}, "the API is read-only"

    def test_the_association_schema_is_the_column_dictionary(self, schema):
        properties = schema["components"]["schemas"]["Association"]["properties"]

        assert list(properties) == opendata.COLUMN_NAMES
        with translation.override("en"):  # the API describes itself in English, whatever the default language
            for column in opendata.COLUMNS:
                assert properties[column.name]["description"] == str(column.description)

    def test_every_parameter_and_field_is_described(self, schema):
        for path in schema["paths"].values():
            operation = path["get"]
            assert operation["description"] and operation["summary"]
            for parameter in operation.get("parameters", []):
                assert parameter.get("description"), parameter["name"]
        for name, component in schema["components"]["schemas"].items():
            for field, spec in component["properties"].items():
                assert spec.get("description") or "$ref" in str(spec), f"{name}.{field}"

    def test_the_page_size_bounds_are_in_the_schema(self, schema):
        parameters = {p["name"]: p for p in schema["paths"]["/api/associations"]["get"]["parameters"]}

        assert parameters["limit"]["schema"]["maximum"] == 100
        assert parameters["limit"]["schema"]["minimum"] == 1
        assert parameters["offset"]["schema"]["minimum"] == 0


def test_the_documentation_page_uses_the_vendored_swagger_ui_under_the_csp(client):
    response = client.get("/api/docs")
    html = response.content.decode()

    assert response.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "/static/ninja/swagger-ui.css" in html
    assert "cdn" not in html.lower() and "unpkg" not in html
    # The only inline <script> is a JSON data block, which the CSP does not block (no 'unsafe-inline' needed).
    assert html.count("<script") == 3
    assert '<script type="application/json" id="swagger-settings">' in html
    assert '"validatorUrl": null' in html
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_root_indexes_the_api(client):
    data = get(client, "/api/").json()

    assert data["openapi"] == "http://testserver/api/openapi.json"
    assert data["docs"] == "http://testserver/api/docs"
    assert data["endpoints"]["associations"] == "http://testserver/api/associations"
    assert data["endpoints"]["open_data_csv"] == "http://testserver/associations/donnees/associations.csv"


def test_the_api_is_read_only(client):
    assert client.post(LIST_URL).status_code == 405
    assert client.delete(f"{LIST_URL}/W912000001").status_code == 405
