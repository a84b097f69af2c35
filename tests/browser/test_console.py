"""Pages load in a normal context (the site's CSP enforced) without console errors, CSP violations or broken assets."""

import pytest
from django.urls import reverse

from tests.browser.support import add_lived_in_data, browsable_urls, browser_db

pytestmark = [pytest.mark.browser, browser_db]

# Runs before the page's own scripts; injected by the browser, so the page's CSP does not apply to it.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
        + ` (${event.sourceFile || "?"}:${event.lineNumber})`);
});
"""


class Problems:
    """What the browser reports as wrong while a tab goes from page to page, each with the page's URL."""

    def __init__(self, page):
        self.page = page
        self.seen = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.seen.append(f"{page.url}: uncaught {error}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _console(self, message):
        if message.type == "error":  # CSP refusals are reported as console errors too
            self.seen.append(f"{self.page.url}: console {message.type}: {message.text}")

    def _failed(self, request):
        # Leaving a page aborts what it still loads (the favicon, often): only other failures count.
        if request.failure != "net::ERR_ABORTED":
            self.seen.append(f"{self.page.url}: {request.url} failed ({request.failure})")

    def _response(self, response):
        if response.status >= 400:
            self.seen.append(f"{self.page.url}: {response.url} answered {response.status}")

    def collect_csp(self):
        for violation in self.page.evaluate("window.__cspViolations || []"):
            self.seen.append(f"{self.page.url}: CSP {violation}")


@pytest.mark.parametrize("persona", ["anonymous", "superuser"])
def test_pages_load_without_console_errors_or_csp_violations(persona, personas, new_context):
    """anonymous sees the visitors' pages, superuser every signed-in one."""
    add_lived_in_data(personas)
    context = new_context(personas[persona])
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    problems = Problems(page)
    for url_name, path in browsable_urls(personas, persona):
        response = page.goto(path, wait_until="load")
        assert response.status == 200, f"{url_name} answered {response.status}"
        assert page.evaluate("typeof window.htmx") == "object", f"{url_name}: htmx did not load"
        problems.collect_csp()
    assert not problems.seen, "\n".join(problems.seen)


def test_htmx_filter_swaps_the_audit_results_under_the_csp(personas, new_context):
    add_lived_in_data(personas)
    context = new_context(personas["staff"])
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    problems = Problems(page)
    page.goto(reverse("audit:entry-list"))
    assert page.locator("#audit-results tbody tr").count() == 50
    with page.expect_response(lambda response: "action=" in response.url) as partial:
        page.locator("#id_action").fill("nothing.matches")
        page.locator("#id_action").dispatch_event("change")
    assert partial.value.request.headers.get("hx-request") == "true"
    page.locator("#audit-results tbody tr").first.wait_for()
    assert page.locator("#audit-results tbody tr").count() == 1
    assert page.locator("h1").count() == 1, "the partial must replace the results only"
    assert "action=nothing.matches" in page.url, "hx-push-url keeps the filter in the address"
    problems.collect_csp()
    assert not problems.seen, "\n".join(problems.seen)


def test_the_csp_blocks_inline_scripts_and_the_recorder_sees_it(personas, new_context):
    """Guards the test above: a silent recorder must mean a clean page, not a deaf listener."""
    context = new_context()
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    problems = Problems(page)
    page.goto(reverse("city:home"))
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.__inlineRan = true;";
            document.body.append(script);
        }"""
    )
    page.wait_for_function("window.__cspViolations.length > 0")
    problems.collect_csp()
    assert page.evaluate("window.__inlineRan") is None
    assert any("script-src" in problem for problem in problems.seen), problems.seen
    assert any("console error" in problem for problem in problems.seen), problems.seen
