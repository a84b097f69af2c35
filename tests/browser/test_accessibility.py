"""axe-core (WCAG 2.1 A/AA and best practices) on every page of the matrix, as every persona allowed in."""

import pytest
from django.urls import reverse

from conftest import PERSONAS
from tests.browser.support import add_lived_in_data, browsable_urls, browser_db, format_violations

pytestmark = [pytest.mark.browser, browser_db]


def walk_with_axe(page, urls, axe) -> list[str]:
    reports = []
    for url_name, path in urls:
        response = page.goto(path)
        status = response.status if response else None
        assert status == 200, f"{url_name} ({path}) answered {status}; the matrix says 200"
        assert page.url.endswith(path), f"{url_name} ({path}) went on to {page.url}"
        violations = axe.violations(page)
        if violations:
            reports.append(format_violations(f"{url_name} {page.url}", violations))
    return reports


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_the_persona_may_see_passes_axe(persona, personas, new_context, axe):
    add_lived_in_data(personas)
    urls = browsable_urls(personas, persona)
    assert urls, f"no browsable page answers 200 to {persona}"
    page = new_context(personas[persona]).new_page()
    reports = walk_with_axe(page, urls, axe)
    assert not reports, f"axe-core violations seen by {persona}:\n" + "\n".join(reports)


def test_public_pages_pass_axe_in_english(personas, new_context, axe):
    page = new_context(None, locale="en-GB").new_page()
    reports = walk_with_axe(page, browsable_urls(personas, "anonymous"), axe)
    assert page.evaluate("document.documentElement.lang") == "en"
    assert not reports, "axe-core violations in English:\n" + "\n".join(reports)


def test_error_pages_pass_axe(personas, new_context, axe):
    page = new_context(personas["volunteer"]).new_page()
    assert page.goto("/this-page-does-not-exist/").status == 404
    axe.assert_clean(page, "404 page")
    assert page.goto(reverse("city:backoffice")).status == 403
    axe.assert_clean(page, "403 page")
