"""An association's public profile: everything public, JSON-LD, private contacts and provenance for the right people."""

import json
import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import ASSOCIATION_A_SLUG, make_user
from tissu.directory import profile_sections
from tissu.directory.models import Association, Audience, Neighbourhood, PriorityArea

pytestmark = pytest.mark.django_db


@pytest.fixture
def full(make_association):
    """An association with every public field filled."""
    association = make_association(
        "Union sportive de Bellerive",
        rna_id="W912000099",
        siret="73282932000074",
        short_name="USB",
        object="Pratique du football et du futsal pour tous les âges.",
        theme_1="011075",
        theme_2="006030",
        creation_date=date(1982, 5, 3),
        declaration_date=date(2020, 1, 15),
        office_street_number="12",
        office_street_type="RUE",
        office_street_name="Victor Hugo",
        office_postcode="91999",
        website="www.usb.example",
        social_links=["https://social.example/usb"],
        public_email="contact@usb.example",
        public_phone="01 23 45 67 89",
        presentation="## Our club\n\nWe **love** football.<script>alert(1)</script>",
        opening_hours="Monday 18:00–20:00",
        premises_accessibility="accessible",
        languages="français, portugais",
        federation="Fédération française de football",
        is_employer=True,
        employee_fte=Decimal("1.50"),
        member_count=240,
        volunteer_count=35,
        verified_at=timezone.now(),
        neighbourhood=Neighbourhood.objects.create(name="Le Plateau", slug="plateau"),
        qpv=PriorityArea.objects.create(code="QN09101M", name="Les Tilleuls"),
        latitude=Decimal("48.650000"),
        longitude=Decimal("2.330000"),
        mgmt_declarant="Mme Dupont",
        mgmt_street="3 allée des Roses",
        mgmt_postcode="91999",
        mgmt_city="Bellerive-sur-Orge",
    )
    association.audiences.add(Audience.objects.create(name="Jeunes", slug="jeunes"))
    return association


def url(association) -> str:
    return reverse("directory:association-detail", args=[association.slug])


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def jsonld(response) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
    return json.loads(match.group(1))


def test_it_shows_everything_public(client, full):
    response = client.get(url(full))
    assert response.status_code == 200
    text = text_of(response)
    for expected in (
        "Union sportive de Bellerive", "USB", "Pratique du football et du futsal", "Football",
        "sports, activités de plein air", "Chant choral, musique", "12 rue Victor Hugo, 91999 Bellerive-sur-Orge",
        "Le Plateau", "Les Tilleuls (QN09101M)", "www.usb.example", "https://social.example/usb",
        "contact@usb.example", "01 23 45 67 89", "Monday 18:00–20:00", "Jeunes", "français, portugais",
        "Accessible to wheelchair users", "Fédération française de football", "240", "35",
        "1.50 full-time equivalent", "W912000099", "73282932000074", "Active", "Verified by the city on",
    ):  # fmt: skip
        assert expected in text, expected
    html = response.content.decode()
    assert '<a href="http://www.usb.example" rel="noopener nofollow">' in html
    assert "<h2>Our club</h2>" in html and "<strong>love</strong>" in html  # rendered Markdown
    assert "<script>alert(1)</script>" not in html  # sanitised


def test_a_dissolved_association_shows_its_dissolution(client, make_association):
    association = make_association("Ancien club", rna_position="D", dissolution_date=date(2019, 6, 30))
    text = text_of(client.get(url(association)))
    assert "Dissolved – dissolved on June 30, 2019" in text


def test_it_describes_the_association_in_schema_org_json_ld(client, full):
    data = jsonld(client.get(url(full)))
    assert data["@context"] == "https://schema.org" and data["@type"] == "Organization"
    assert data["name"] == "Union sportive de Bellerive"
    assert data["alternateName"] == "USB"
    assert data["url"] == f"http://testserver{url(full)}"
    assert data["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "12 rue Victor Hugo",
        "postalCode": "91999",
        "addressLocality": "Bellerive-sur-Orge",
        "addressCountry": "FR",
    }
    assert data["foundingDate"] == "1982-05-03"
    assert {"@type": "PropertyValue", "propertyID": "RNA", "value": "W912000099"} in data["identifier"]
    assert data["sameAs"] == ["http://www.usb.example", "https://social.example/usb"]
    assert data["email"] == "contact@usb.example"
    assert data["location"]["geo"] == {"@type": "GeoCoordinates", "latitude": 48.65, "longitude": 2.33}
    assert "Mme Dupont" not in json.dumps(data)  # the management address is not public


def test_json_ld_cannot_be_broken_out_of(client, make_association):
    association = make_association("</script><script>alert(1)</script>")
    html = client.get(url(association)).content.decode()
    assert "<script>alert(1)" not in html
    assert jsonld(client.get(url(association)))["name"] == "</script><script>alert(1)</script>"


def test_only_json_ld_is_inline_script(client, full):
    html = client.get(url(full)).content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline == [' type="application/ld+json"']


@pytest.mark.parametrize(
    ("persona", "sees_private"),
    [
        ("anonymous", False),
        ("volunteer", False),
        ("manager_b", False),
        ("committee", False),
        ("manager_a", True),
        ("staff", True),
        ("superuser", True),
    ],
)
def test_officers_and_management_address_only_for_members_and_staff(client_for, personas, persona, sees_private):
    association = Association.objects.get(slug=ASSOCIATION_A_SLUG)
    association.mgmt_declarant = "Mme Dupont"
    association.mgmt_street = "3 allée des Roses"
    association.save(update_fields=["mgmt_declarant", "mgmt_street"])
    text = text_of(client_for(personas[persona]).get(url(association)))
    assert ("Mme Dupont" in text) is sees_private
    assert ("3 allée des Roses" in text) is sees_private
    assert ("Alice Manager – president (representative)" in text) is sees_private


def test_a_plain_member_sees_the_private_contacts_but_cannot_manage(client, association_a):
    from tissu.directory.models import Membership

    member = make_user("member@example.org", "Mia Member")
    Membership.objects.create(user=member, association=association_a, role="member")
    client.force_login(member)
    text = text_of(client.get(url(association_a)))
    assert "Mia Member – member" in text
    assert "Manage this association" not in text and "Claim this association" not in text


@pytest.mark.parametrize(
    ("persona", "manage", "claim"),
    [
        ("anonymous", False, False),
        ("volunteer", False, True),
        ("manager_b", False, True),
        ("manager_a", True, False),
        ("staff", True, True),
    ],
)
def test_manage_and_claim_links(client_for, personas, persona, manage, claim):
    html = client_for(personas[persona]).get(f"/associations/{ASSOCIATION_A_SLUG}/").content.decode()
    assert (f'href="/associations/{ASSOCIATION_A_SLUG}/modifier/"' in html) is manage
    assert (f'href="/associations/{ASSOCIATION_A_SLUG}/revendiquer/"' in html) is claim


def test_the_provenance_table_is_for_staff_only(client_for, personas, association_a):
    association_a.field_sources = {
        "name": {"source": "tissu", "by": personas["manager_a"].pk, "at": "2026-01-05T10:00:00+00:00"}
    }
    association_a.save(update_fields=["field_sources"])
    html = client_for(personas["staff"]).get(url(association_a)).content.decode()
    table = html[html.index('id="provenance-title"') :]
    row = re.search(r"<th scope=\"row\">Name</th>(.*?)</tr>", table, re.S).group(1)
    assert "Edited in Tissu" in row and "Alice Manager" in row
    row = re.search(r"<th scope=\"row\">Object</th>(.*?)</tr>", table, re.S).group(1)
    assert "National register (RNA)" in row
    for persona in ("anonymous", "volunteer", "manager_a"):
        assert 'id="provenance-title"' not in client_for(personas[persona]).get(url(association_a)).content.decode()


def test_removed_or_unpublished_associations_are_not_public(client_for, personas, make_association):
    removed = make_association("Removed club", rna_position="S")
    hidden = make_association("Unpublished club", publish_on_web=False)
    for association in (removed, hidden):
        assert client_for(None).get(url(association)).status_code == 404
        assert client_for(personas["volunteer"]).get(url(association)).status_code == 404
        assert client_for(personas["staff"]).get(url(association)).status_code == 200


def test_an_unknown_association_is_404(client):
    assert client.get("/associations/nobody-here/").status_code == 404


def test_other_modules_add_sections_shown_only_with_content(client, association_a, tmp_path, settings):
    template_dir = tmp_path / "templates"
    (template_dir / "tests").mkdir(parents=True)
    (template_dir / "tests" / "section.html").write_text(
        "<ul>{% for item in items %}<li>{{ item }}</li>{% endfor %}</ul>"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], template_dir]}]
    # Real modules register sections too (volunteering's "missions"): put them back afterwards.
    registered = dict(profile_sections._sections)
    profile_sections.register(
        key="events", title="Upcoming events", template="tests/section.html", items=lambda a, user: ["Spring fair"]
    )
    profile_sections.register(
        key="missions", title="Volunteering missions", template="tests/section.html", items=lambda a, user: []
    )
    try:
        html = client.get(url(association_a)).content.decode()
    finally:
        profile_sections._sections.clear()
        profile_sections._sections.update(registered)
    assert '<h2 id="section-events-title">Upcoming events</h2>' in html
    assert "<li>Spring fair</li>" in html
    assert "Volunteering missions" not in html


def test_the_profile_runs_a_constant_number_of_queries(client, full):
    from tissu.directory.models import Membership

    client.get(url(full))
    with CaptureQueriesContext(connection) as few:
        client.get(url(full))
    for number in range(5):
        full.audiences.add(Audience.objects.create(name=f"Public {number}", slug=f"public-{number}"))
        Membership.objects.create(user=make_user(f"m{number}@example.org"), association=full, role="member")
    with CaptureQueriesContext(connection) as many:
        client.get(url(full))
    assert len(few) == len(many)


def test_it_refuses_writes(client, association_a):
    assert client.post(url(association_a)).status_code == 405


@pytest.mark.parametrize(
    ("name", "short_name", "shown"),
    [
        ("Aide à domicile de Bellerive-sur-Orge", "Aide à domicile de Bellerive-sur ...", ""),
        ("Aide à domicile de Bellerive-sur-Orge", "AIDE A DOMICILE", ""),
        ("Association sportive de Bellerive", "ASB", "ASB"),
        ("ASB", "", ""),
    ],
)
def test_a_short_name_is_shown_only_when_it_is_not_the_name_cut_short(
    client, make_association, name, short_name, shown
):
    association = make_association(name=name, short_name=short_name)
    page = client.get(reverse("directory:association-detail", args=[association.slug])).content.decode()
    assert association.distinct_short_name == shown
    assert (f'<p class="lead">{short_name}</p>' in page) == bool(shown)
