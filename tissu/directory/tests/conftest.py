import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_pages(client):
    """Assertions read English messages: pages are asked for in English (French is the default), and code run
    outside a request (services, commands) speaks English too, whatever test ran before."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield
