import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_pages(client):
    """Assertions read English messages: pages are asked for in English, and services called directly
    speak English too (French is the default)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield
