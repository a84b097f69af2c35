"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live_server.

One Chromium for all the browser tests, one context per persona. Without Chromium the tests skip on a
developer's machine and fail in CI (CI=true), so a broken CI image cannot pass by skipping.
"""

import base64
import os
import shutil
import threading

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from tests.browser.support import AXE_SOURCE, Axe

# No network on test machines: without the background-networking flags Chromium floods refused connections.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The city's visitors are French first; the language switcher test moves to English and back.
BROWSER_LOCALE = "fr-FR"
# Map tiles come from another origin (settings.TILE_URL): tests have no network, so every tile is a
# transparent pixel. Any other outside request fails, and the console test reports it.
BLANK_TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def chromium_path() -> str | None:
    """Debian's Chromium, or the browser CHROMIUM_PATH names (another distribution, a local build)."""
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _unavailable(request, reason: str):
    if in_ci():
        pytest.fail(f"the browser tests cannot run in CI: {reason}", pytrace=False)
    # Said once, out loud (a skipped test's reason only shows with -rs), past pytest's output capture.
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(f"\nSkipping the browser tests: {reason}")
    pytest.skip(reason)


# Package scope, not session: while Playwright runs, its event loop is "running" in this thread, and
# every later test of the session would inherit that and DJANGO_ALLOW_ASYNC_UNSAFE (the deployment
# check in tests/test_settings.py failed on it). All browser tests live in this package and run one
# after the other, so this is still one Chromium per test session.
@pytest.fixture(scope="package")
def browser(request):
    executable = chromium_path()
    if executable is None:
        _unavailable(request, "Chromium is not installed (apt-get install chromium, or set CHROMIUM_PATH)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable(request, "Playwright is not installed (make install-dev)")
    # The test database first, then the server, which then shares its in-memory SQLite connection
    # (created before the database, it would open connections of its own). And the server starts
    # before Chromium so that it stops after: Chromium's last requests (a favicon…) must not reach a
    # server whose connection is no longer shared with its threads.
    request.getfixturevalue("django_db_setup")
    request.getfixturevalue("live_server")
    # Playwright's sync API keeps an asyncio loop running in this thread, and Django then refuses ORM
    # calls "from an async context". The tests only make plain synchronous calls, so lift the guard
    # while Chromium runs (the fix Playwright documents for Django).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    wrappers = {alias: connections[alias] for alias in connections}
    try:
        with sync_playwright() as playwright:
            # With that loop running, Django's per-thread database connections become per-context and
            # the tests would get fresh wrappers: hand them the existing ones, so the tests, the live
            # server's shared in-memory SQLite connection and serialized_rollback's copy stay one.
            for alias, wrapper in wrappers.items():
                connections[alias] = wrapper
            chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
        _wait_for_the_server_threads()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _wait_for_the_server_threads() -> None:
    for thread in threading.enumerate():
        if "process_request_thread" in thread.name and thread is not threading.current_thread():
            thread.join(timeout=5)


@pytest.fixture(scope="session")
def axe() -> Axe:
    """axe.violations(page) / axe.assert_clean(page): axe-core on the page, each distinct DOM once."""
    return Axe(AXE_SOURCE.read_text(encoding="utf-8"))


@pytest.fixture
def new_context(browser, live_server):
    """new_context(user=None, **options) → a fresh browser context, signed in as user when given.

    Django makes the session (force_login) and the browser gets its cookie: much faster than typing
    the sign-in form for every persona (test_forms.py types it for real).
    """
    contexts = []

    def make(user=None, **options):
        options.setdefault("locale", BROWSER_LOCALE)
        options.setdefault("base_url", live_server.url)
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        if settings.TILE_URL.startswith("http"):
            tile_origin = "/".join(settings.TILE_URL.split("/")[:3])
            context.route(f"{tile_origin}/**", lambda route: route.fulfill(body=BLANK_TILE, content_type="image/png"))
        if user is not None:
            client = Client()
            client.force_login(user)
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
