"""Helpers of the browser tests: which pages to visit, lived-in data, axe-core and readable reports."""

import hashlib
import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.test_authorization_matrix import all_rows

AXE_SOURCE = Path(__file__).resolve().parent.parent / "vendor" / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA, plus axe's best practices (landmarks, one h1, heading order, regions…).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

# Transactional: the live server answers from another thread and must see the rows the test commits.
# serialized_rollback: the flush after each test erases what migrations created (the city's role
# groups…); Django reloads it before each test.
browser_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def browsable_urls(personas: dict, persona: str) -> list[tuple[str, str]]:
    """(URL name, path) of every browsable page that answers 200 to this persona, per the matrix.

    Rows build the objects they need with setup(personas): call this after the personas exist.
    """
    urls = []
    for url_name, row in sorted(all_rows().items()):
        if not row.browse or row.method != "get" or row.expected[persona] != 200:
            continue
        params = row.setup(personas) if row.setup else {}
        urls.append((url_name, reverse(url_name, args=params.get("args", []), kwargs=params.get("kwargs", {}))))
    return urls


def add_lived_in_data(personas: dict) -> None:
    """Enough rows for lists to show tables, badges and their pagination, not just "nothing yet"."""
    from tissu.accounts.models import User
    from tissu.audit.services import audit_log

    User.objects.bulk_create(
        User(email=f"person{number}@example.org", full_name=f"Person {number}", password="!") for number in range(55)
    )
    for number in range(55):
        audit_log(
            actor=personas["staff"],
            action="accounts.user.roles_changed",
            target=personas["volunteer"],
            data={"added": ["committee_member"], "removed": [], "note": "x" * (number % 3) * 60},
        )


# Rules whose outcome depends on the viewport: the 320 px walk runs only these.
AXE_LAYOUT_RULES = ["scrollable-region-focusable", "color-contrast", "meta-viewport"]

AXE_RUN = """async (runOnly) => {
    const results = await axe.run(document, {runOnly, resultTypes: ["violations"]});
    return results.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
    }));
}"""


def axe_violations(page, axe_source: str, rules: list[str] | None = None) -> list[dict]:
    """Run axe-core (every AXE_TAGS rule, or just these rules) on the page as it stands.

    The source is evaluated, not added as a script tag: evaluate() is not subject to the page's CSP.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source)
    run_only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": AXE_TAGS}
    return page.evaluate(AXE_RUN, run_only)


# Per-request values that make identical pages look different.
VOLATILE = re.compile(rb'(name="csrfmiddlewaretoken" value=|nonce=)"[^"]*"')


class Axe:
    """axe-core with a memory: a page whose DOM is byte for byte one already audited (at the same
    width, with the same rules) gets the same verdict without a second run. Most personas see the
    same public pages; the walk still visits every page as every persona, it just audits once."""

    def __init__(self, source: str):
        self.source = source
        self.verdicts: dict[tuple, list[dict]] = {}

    def violations(self, page, rules: list[str] | None = None) -> list[dict]:
        dom = VOLATILE.sub(rb"\1", page.content().encode())
        key = (hashlib.sha256(dom).hexdigest(), page.viewport_size["width"], tuple(rules or ()))
        if key not in self.verdicts:
            self.verdicts[key] = axe_violations(page, self.source, rules)
        return self.verdicts[key]

    def assert_clean(self, page, where: str = "") -> None:
        violations = self.violations(page)
        assert not violations, "axe-core violations:\n" + format_violations(where or page.url, violations)


def format_violations(where: str, violations: list[dict]) -> str:
    lines = [f"{where}:"]
    for violation in violations:
        lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:10]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"      {node['target']} — {summary[:300]}")
        if len(violation["nodes"]) > 10:
            lines.append(f"      … and {len(violation['nodes']) - 10} more elements")
    return "\n".join(lines)
