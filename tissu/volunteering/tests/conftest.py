import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english(client):
    """Assertions read English: pages are asked for in English, and services speak it (French is the default).
    Emails keep the recipient's language (French for the personas)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield
