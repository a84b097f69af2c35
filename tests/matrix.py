"""The authorisation matrix: one Row per URL name, the expected outcome for every persona.

Each app declares its rows in ``tissu/<app>/tests/matrix.py`` (a ``ROWS`` list). The test in
tests/test_authorization_matrix.py walks every URL pattern: a URL without a row fails the suite.

Outcomes: an HTTP status (200, 403, 404, 405…) or LOGIN (a redirect to the sign-in page).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

LOGIN = "login"
SIGNED_IN = ["volunteer", "manager_a", "manager_b", "committee", "elected", "staff", "superuser"]
OFFICE = ["staff", "superuser"]


def expect(default, **overrides) -> dict[str, Any]:
    """expect(403, staff=200) → every persona 403 except staff."""
    from conftest import PERSONAS

    return {persona: overrides.get(persona, default) for persona in PERSONAS}


PUBLIC = expect(200)
SIGNED_IN_ONLY = expect(200, anonymous=LOGIN)
OFFICE_ONLY = expect(403, anonymous=LOGIN, staff=200, superuser=200)


@dataclass
class Row:
    url_name: str
    expected: dict[str, Any]
    # setup(personas) → {"args": [...], "kwargs": {...}} builds the objects the URL needs.
    setup: Callable[[dict], dict] | None = None
    method: str = "get"
    data: dict = field(default_factory=dict)
    browse: bool = True  # False for non-HTML endpoints the browser/axe walk should skip
    note: str = ""
