"""Every URL pattern × every persona gets the outcome its row declares; a URL without a row fails."""

from importlib import import_module

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import PERSONAS
from tests.matrix import LOGIN, Row

# URLs outside Tissu's apps, each with the reason it needs no row of its own.
NOT_IN_MATRIX = {
    "set-language": "Django's language switch: POST only, tested in tests/test_layout.py",
}
ADMIN_ROW = "admin:index"  # Django's admin: its index stands for all its pages (same permission check).


def all_rows() -> dict[str, Row]:
    rows = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("tissu."):
            continue
        try:
            module = import_module(f"{config.name}.tests.matrix")
        except ModuleNotFoundError:
            continue
        for row in module.ROWS:
            assert row.url_name not in rows, f"two rows for {row.url_name}"
            rows[row.url_name] = row
    rows[ADMIN_ROW] = Row(ADMIN_ROW, {p: (200 if p == "superuser" else 302) for p in PERSONAS}, browse=False)
    return rows


def url_names(resolver=None, namespace="") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            child = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern, child)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


ROWS = all_rows()


def test_every_url_has_a_row():
    missing = sorted(
        name for name in url_names() if name not in ROWS and name not in NOT_IN_MATRIX and not name.startswith("admin:")
    )
    assert not missing, f"URLs without a row in the authorisation matrix: {missing}"


def test_every_row_names_a_real_url_and_every_persona():
    names = url_names()
    for row in ROWS.values():
        assert row.url_name in names, f"row for unknown URL {row.url_name}"
        assert set(row.expected) == set(PERSONAS), (
            f"{row.url_name}: expectations for {set(PERSONAS) - set(row.expected)} missing"
        )


@pytest.mark.parametrize("url_name", sorted(ROWS))
def test_each_persona_gets_the_expected_outcome(url_name, personas, client_for):
    row = ROWS[url_name]
    params = row.setup(personas) if row.setup else {}
    url = reverse(url_name, args=params.get("args", []), kwargs=params.get("kwargs", {}))
    outcomes = {}
    for persona in PERSONAS:
        client = client_for(personas[persona])
        response = getattr(client, row.method)(url, row.data)
        if response.status_code == 302 and "/connexion/" in response.headers["Location"]:
            outcomes[persona] = LOGIN if "/admin/" not in url else 302
        else:
            outcomes[persona] = response.status_code
    assert outcomes == row.expected
