"""The layout every page shares: reflow at 320 px, the language switcher, the skip link, visible focus."""

import pytest
from django.urls import reverse

from tests.browser.support import (
    AXE_LAYOUT_RULES,
    add_lived_in_data,
    browsable_urls,
    browser_db,
    format_violations,
)

pytestmark = [pytest.mark.browser, browser_db]

# WCAG 1.4.10 Reflow: 320 CSS px wide, no scrolling in two directions (data tables scroll in their own box).
NARROW = {"width": 320, "height": 640}
SCROLL_TOLERANCE = 1  # sub-pixel rounding


# What widens the page: elements past the edge that no scroll box holds, or text spilling out of its box.
FIND_OVERFLOW = """(limit) => {
    const inScrollBox = (element) => {
        for (let parent = element.parentElement; parent; parent = parent.parentElement) {
            if (getComputedStyle(parent).overflowX !== "visible") return true;
        }
        return false;
    };
    const name = (element) => element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
        + (typeof element.className === "string" && element.className.trim()
            ? "." + element.className.trim().split(/\\s+/).join(".") : "");
    return [...document.querySelectorAll("body *")]
        .filter((element) => !inScrollBox(element) && (element.getBoundingClientRect().right > limit
            || (getComputedStyle(element).overflowX === "visible" && element.scrollWidth > element.clientWidth + 1)))
        .slice(-5).map(name);
}"""


@pytest.mark.parametrize("persona", ["anonymous", "superuser"])
def test_pages_reflow_at_320_px(persona, personas, new_context, axe):
    """anonymous: every public page; superuser: every signed-in one. axe runs its layout rules again:
    narrow screens have their own failures (a table that scrolls must be reachable by keyboard)."""
    add_lived_in_data(personas)
    page = new_context(personas[persona], viewport=NARROW).new_page()
    problems = []
    for url_name, path in browsable_urls(personas, persona):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > NARROW["width"] + SCROLL_TOLERANCE:
            culprits = page.evaluate(FIND_OVERFLOW, NARROW["width"] + SCROLL_TOLERANCE)
            problems.append(f"{url_name} ({path}): {width} px wide; look at {', '.join(culprits) or '?'}")
        violations = axe.violations(page, AXE_LAYOUT_RULES)
        if violations:
            problems.append(format_violations(f"{url_name} ({path}) at 320 px", violations))
    assert not problems, "pages that do not reflow at 320 px:\n" + "\n".join(problems)


def test_the_language_switcher_goes_to_english_and_back(new_context):
    page = new_context().new_page()
    legal_notice = reverse("city:legal-notice")
    page.goto(legal_notice)
    assert page.evaluate("document.documentElement.lang") == "fr"

    with page.expect_navigation():
        page.locator(".language-switcher button[value=en]").click()
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.url.endswith(legal_notice), "the switch stays on the same page"
    page.reload()
    assert page.evaluate("document.documentElement.lang") == "en", "the choice is remembered"

    with page.expect_navigation():
        page.locator(".language-switcher button[value=fr]").click()
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert page.url.endswith(legal_notice)


def test_the_language_switcher_works_without_javascript(new_context):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(reverse("city:home"))
    with page.expect_navigation():
        page.locator(".language-switcher button[value=en]").click()
    assert page.evaluate("document.documentElement.lang") == "en"


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_main(new_context):
    page = new_context().new_page()
    page.goto(reverse("city:home"))
    first_focusable = page.evaluate(
        """() => [...document.querySelectorAll("a[href], button, input, select, textarea, [tabindex]")]
            .find((element) => element.tabIndex >= 0 && !element.disabled)
            .getAttribute("href")"""
    )
    assert first_focusable == "#main"

    page.keyboard.press("Tab")
    skip_link = page.locator(".skip-links a").first
    assert skip_link.evaluate("(element) => element === document.activeElement")
    box = skip_link.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0 and box["width"] > 0, "the focused skip link must be on screen"

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)"), (
        "after the skip link, Tab goes on inside the content"
    )


FOCUS_STOP = """() => {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    if (element.dataset.focusSeen) return {repeat: true};
    element.dataset.focusSeen = "yes";
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
    const label = element.tagName.toLowerCase() + " " + (element.getAttribute("href") || element.name
        || element.id || element.textContent.trim().slice(0, 30));
    return {label, visible: outline || style.boxShadow !== "none"};
}"""


@pytest.mark.parametrize("url_name", ["city:home", "accounts:login"])
def test_every_focusable_element_shows_its_focus(url_name, new_context):
    """WCAG 2.4.7: Tab through the whole page; each stop draws an outline or a ring (axe cannot see focus)."""
    page = new_context().new_page()
    page.goto(reverse(url_name))
    page.evaluate("document.activeElement && document.activeElement.blur()")
    stops, invisible = [], []
    for _ in range(60):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUS_STOP)
        if stop is None or stop.get("repeat"):
            break
        stops.append(stop["label"])
        if not stop["visible"]:
            invisible.append(stop["label"])
    assert len(stops) > 5, f"Tab visited too few elements: {stops}"
    assert not invisible, f"focus is not visible on: {invisible}"
