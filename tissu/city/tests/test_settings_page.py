import pytest
from django.urls import reverse

from tissu.audit.models import AuditEntry
from tissu.city.models import CitySettings
from tissu.city.selectors import city_settings_get

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Bellerive-sur-Orge",
    "insee_codes": "91999, 2a004",
    "siret": "219 109 998 00001",
    "logo_alt": "",
    "primary_colour": "#1d4f91",
    "primary_text_colour": "#ffffff",
    "office_name": "Service vie associative",
    "office_address": "",
    "office_email": "va@example.org",
    "office_phone": "",
    "office_hours": "",
    "legal_notice": "",
    "privacy_policy": "",
    "accessibility_status": "partial",
    "accessibility_rate": "",
    "accessibility_audit_date": "",
    "accessibility_auditor": "",
    "accessibility_non_compliant": "",
    "accessibility_exemptions": "",
    "accessibility_statement_date": "",
    "accessibility_contact": "",
}


@pytest.fixture
def staff_client(client_for, staff):
    return client_for(staff)


def test_it_saves_the_settings_and_logs_it(staff_client, staff):
    response = staff_client.post(reverse("city:settings"), VALID)
    assert response.status_code == 302
    row = CitySettings.objects.get()
    assert row.insee_codes == "91999, 2A004"
    assert row.siret == "21910999800001"
    entry = AuditEntry.objects.get(action="city.settings.updated")
    assert entry.actor == staff
    assert "insee_codes" in entry.data["fields"]


def test_every_page_shows_the_new_name_at_once(staff_client, client):
    staff_client.post(reverse("city:settings"), {**VALID, "name": "Villebrune"})
    client.logout()
    assert "Villebrune" in client.get(reverse("city:home")).content.decode()
    assert city_settings_get().name == "Villebrune"


def test_it_rejects_a_colour_pair_below_aa_contrast(staff_client):
    response = staff_client.post(reverse("city:settings"), {**VALID, "primary_colour": "#777777"})
    assert response.status_code == 400
    assert "4.5:1" in response.content.decode()
    assert not CitySettings.objects.exists()


def test_it_accepts_a_dark_text_on_a_light_colour(staff_client):
    response = staff_client.post(
        reverse("city:settings"), {**VALID, "primary_colour": "#ffd966", "primary_text_colour": "#1e1e1e"}
    )
    assert response.status_code == 302


@pytest.mark.parametrize("codes", ["9199", "ABCDE", "91999,75A01"])
def test_it_rejects_a_wrong_insee_code(staff_client, codes):
    response = staff_client.post(reverse("city:settings"), {**VALID, "insee_codes": codes})
    assert response.status_code == 400
    assert "INSEE" in response.content.decode()


def test_it_rejects_an_invalid_siret(staff_client):
    response = staff_client.post(reverse("city:settings"), {**VALID, "siret": "21910999800002"})
    assert response.status_code == 400
    assert not CitySettings.objects.exists()


def test_it_changes_nothing_when_one_field_is_wrong(staff_client):
    staff_client.post(reverse("city:settings"), VALID)
    staff_client.post(reverse("city:settings"), {**VALID, "name": "Autre nom", "siret": "123"})
    assert CitySettings.objects.get().name == "Bellerive-sur-Orge"


def test_the_theme_stylesheet_carries_the_city_colours(staff_client, client):
    staff_client.post(reverse("city:settings"), {**VALID, "primary_colour": "#0b5d1e"})
    css = client.get(reverse("city:theme-css")).content.decode()
    assert "--primary: #0b5d1e" in css


def test_the_accessibility_statement_follows_the_rgaa_model(client):
    page = client.get(reverse("city:accessibility"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for heading in ["Compliance status", "Test results", "Non-accessible content", "Feedback and contact", "Remedies"]:
        assert f"<h2>{heading}</h2>" in page
    assert "partially compliant" in page
    assert "RGAA" in page
    assert "Défenseur des droits" in page


def test_legal_pages_render_markdown_safely(staff_client, client):
    staff_client.post(
        reverse("city:settings"),
        {**VALID, "legal_notice": "**Éditeur** : la ville\n\n<script>alert(1)</script><a href='javascript:x'>lien</a>"},
    )
    page = client.get(reverse("city:legal-notice")).content.decode()
    assert "<strong>Éditeur</strong>" in page
    assert "<script>alert(1)" not in page
    assert "javascript:" not in page
