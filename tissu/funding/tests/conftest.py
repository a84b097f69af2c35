import shutil

import pytest
from django.conf import settings


@pytest.fixture(autouse=True)
def english_pages(client):
    """Assertions read English messages: pages are asked for in English (French is the default)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture(autouse=True)
def private_files(tmp_path):
    """Uploaded documents go to a temporary private folder."""
    original = settings.PRIVATE_MEDIA_ROOT
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    yield settings.PRIVATE_MEDIA_ROOT
    settings.PRIVATE_MEDIA_ROOT = original
    shutil.rmtree(tmp_path / "private", ignore_errors=True)
