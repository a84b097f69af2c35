import pytest


@pytest.fixture(autouse=True)
def english_pages(client):
    """Assertions read English messages: pages are asked for in English (French is the default)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
