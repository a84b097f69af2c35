"""Shared by the claims, management and staff tests: English pages, uploads in a temporary folder, emails."""

import re

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from tissu.audit.models import AuditEntry

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _png_bytes() -> bytes:
    """A real 1×1 PNG: Pillow must be able to open the logo."""
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (1, 1), "green").save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png_bytes()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded documents and logos land in a temporary folder, never in var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdf(name="statuts.pdf", size=None) -> SimpleUploadedFile:
    content = PDF if size is None else PDF + b"0" * (size - len(PDF))
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png(name="logo.png", size=None) -> SimpleUploadedFile:
    content = PNG if size is None else PNG + b"\0" * (size - len(PNG))
    return SimpleUploadedFile(name, content, content_type="image/png")


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def html_of(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def links_in(message) -> list[str]:
    """The Tissu links of an email (paths), checked to appear in both the text and the HTML parts."""
    pattern = re.escape(settings.SITE_URL) + r"/[^\s\"<]+"
    links = list(dict.fromkeys(re.findall(pattern, message.body)))
    for link in links:
        assert link.replace("&", "&amp;") in html_of(message) or link in html_of(message)
    return [link.removeprefix(settings.SITE_URL) for link in links]


def outbox_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def audit_actions(target=None) -> list[str]:
    entries = AuditEntry.objects.order_by("pk")
    if target is not None:
        entries = entries.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
    return list(entries.values_list("action", flat=True))
