import shutil

import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def english_pages(client):
    """Assertions read English messages: pages are asked for in English (French is the default), and services
    called directly raise their messages in English. Emails keep their recipient's language."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def private_files(tmp_path):
    """Uploaded documents go to a temporary private folder."""
    original = settings.PRIVATE_MEDIA_ROOT
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    yield settings.PRIVATE_MEDIA_ROOT
    settings.PRIVATE_MEDIA_ROOT = original
    shutil.rmtree(tmp_path / "private", ignore_errors=True)
