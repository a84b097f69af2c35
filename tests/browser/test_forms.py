"""Forms in the browser: the real sign-in form, error summaries and their links, and life without JavaScript."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from conftest import PASSWORD
from tests.browser.support import browser_db

pytestmark = [pytest.mark.browser, browser_db]


def french(message: str) -> str:
    """What a French visitor reads: the pages are asked for in French (the context's locale)."""
    with translation.override("fr"):
        return gettext(message)


def sign_in(page, email: str, password: str):
    page.goto(reverse("accounts:login"))
    page.get_by_label(french("Email address")).fill(email)
    page.get_by_label(french("Password")).fill(password)
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name=french("Sign in")).click()


def test_sign_in_through_the_form_and_sign_out(personas, new_context):
    page = new_context().new_page()
    sign_in(page, personas["volunteer"].email, PASSWORD)
    assert page.url.endswith(reverse("accounts:dashboard"))
    nav = page.get_by_role("navigation", name=french("Main menu"))
    assert nav.get_by_role("link", name=french("My account")).get_attribute("aria-current") == "page"

    nav.get_by_role("button", name=french("Sign out")).click()
    page.wait_for_url(f"**{reverse('city:home')}")
    assert nav.get_by_role("link", name=french("Sign in")).is_visible()


def test_sign_in_works_without_javascript(personas, new_context):
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, personas["volunteer"].email, PASSWORD)
    assert page.url.endswith(reverse("accounts:dashboard"))


def linked_errors(page) -> list[dict]:
    """For each link of the error summary: its target field and what the field's description says."""
    return page.evaluate(
        """() => [...document.querySelectorAll("#error-summary a")].map((link) => {
            const field = document.getElementById(link.hash.slice(1));
            const described = (field && field.getAttribute("aria-describedby") || "").split(/\\s+/).filter(Boolean);
            return {
                href: link.getAttribute("href"),
                field: field && field.id,
                invalid: field && field.getAttribute("aria-invalid"),
                errors: described.map((id) => document.getElementById(id))
                    .filter((element) => element && element.classList.contains("error-text"))
                    .map((element) => element.textContent.trim()),
            };
        })"""
    )


def test_a_form_with_errors_focuses_its_summary_and_ties_errors_to_fields(new_context, axe):
    page = new_context().new_page()
    page.goto(reverse("accounts:sign-up"))
    with page.expect_navigation() as navigation:
        page.locator("main form").get_by_role("button", name=french("Create my account")).click()
    assert navigation.value.status == 400

    summary = page.locator("#error-summary")
    assert summary.get_attribute("role") == "alert"
    page.wait_for_function("document.activeElement && document.activeElement.id === 'error-summary'")

    errors = linked_errors(page)
    assert {error["field"] for error in errors} == {"id_full_name", "id_email", "id_password", "id_accept_terms"}
    for error in errors:
        assert error["field"], f"summary link {error['href']} points to no field"
        assert error["invalid"] == "true", f"{error['field']} lacks aria-invalid"
        assert error["errors"], f"{error['field']}: aria-describedby does not name its error message"

    summary.locator("a[href='#id_email']").click()
    assert page.evaluate("document.activeElement.id") == "id_email", "a summary link takes focus to its field"
    axe.assert_clean(page, "sign-up form with errors")


def test_a_failed_sign_in_focuses_the_error_summary(personas, new_context, axe):
    page = new_context().new_page()
    sign_in(page, personas["volunteer"].email, "not-the-password")
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    page.wait_for_function("document.activeElement && document.activeElement.id === 'error-summary'")
    axe.assert_clean(page, "sign-in form with an error")


def test_error_summaries_work_without_javascript(new_context):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(reverse("accounts:sign-up"))
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name=french("Create my account")).click()
    errors = linked_errors(page)
    assert len(errors) == 4
    assert all(error["field"] and error["errors"] for error in errors)
