"""The shared layout: language, landmarks, security headers, error pages."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_are_in_french_by_default(client):
    page = client.get(reverse("city:home")).content.decode()
    assert '<html lang="fr">' in page


def test_the_language_switcher_turns_the_site_to_english_and_back(client):
    response = client.post(reverse("set-language"), {"language": "en", "next": reverse("city:privacy")})
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("city:privacy")
    assert '<html lang="en">' in client.get(reverse("city:home")).content.decode()
    client.post(reverse("set-language"), {"language": "fr", "next": "/"})
    assert '<html lang="fr">' in client.get(reverse("city:home")).content.decode()


def test_the_switcher_names_the_other_language_in_that_language(client):
    page = client.get(reverse("city:home")).content.decode()
    assert 'lang="en" aria-label="Switch to English"' in page


def test_every_page_has_one_h1_landmarks_and_a_skip_link(client):
    page = client.get(reverse("city:home")).content.decode()
    assert page.count("<h1") == 1
    assert '<main id="main"' in page
    assert '<header class="site-header" role="banner">' in page
    assert 'role="contentinfo"' in page
    assert page.index('href="#main"') < page.index("<nav")


def test_the_current_page_is_marked_in_the_navigation(client):
    page = client.get(reverse("city:home")).content.decode()
    assert re.search(r'href="/"\s+aria-current="page"', page)


def test_security_headers_are_sent(client):
    response = client.get(reverse("city:home"))
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_carry_no_inline_script(client):
    page = client.get(reverse("city:home")).content.decode()
    for tag in re.findall(r"<script[^>]*>", page):
        assert "src=" in tag


def test_an_unknown_address_gets_the_404_page(client):
    response = client.get("/cette-page-n-existe-pas/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_head_requests_are_answered(client):
    assert client.head(reverse("city:home")).status_code == 200


def test_the_footer_links_the_accessibility_statement_with_its_status(client):
    page = client.get(reverse("city:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Accessibility: partially compliant" in page
