import re
import zlib

import pytest
from django.core import mail

from tissu.lib.colours import contrast_ratio
from tissu.lib.email import send_templated
from tissu.lib.html import render_rich_text, sanitize_html


def test_contrast_of_black_on_white_is_21():
    assert round(contrast_ratio("#000000", "#ffffff"), 1) == 21.0


def test_contrast_is_symmetric_and_matches_wcag_examples():
    assert contrast_ratio("#ffffff", "#767676") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#767676", "#ffffff") == contrast_ratio("#ffffff", "#767676")


def test_contrast_refuses_a_non_hex_colour():
    with pytest.raises(ValueError):
        contrast_ratio("red", "#ffffff")


def test_sanitising_removes_scripts_handlers_and_javascript_links():
    html = sanitize_html('<p onclick="x()">Hi<script>alert(1)</script><a href="javascript:alert(1)">a</a></p>')
    assert "script" not in html
    assert "onclick" not in html
    assert "javascript:" not in html


def test_links_get_safe_rel_attributes():
    assert 'rel="noopener noreferrer nofollow"' in sanitize_html('<a href="https://example.org">x</a>')


def test_markdown_headings_start_at_h2():
    html = render_rich_text("# Titre\n\nTexte **gras**")
    assert "<h2>Titre</h2>" in html
    assert "<h1>" not in html
    assert "<strong>gras</strong>" in html


@pytest.mark.django_db
def test_emails_leave_only_after_commit_with_text_and_html(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_templated(template="accounts/emails/account_deleted", to="someone@example.org", context={}, language="en")
        assert mail.outbox == []
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["someone@example.org"]
    assert message.subject == "Your account was deleted"
    assert "personal data erased" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "<html" in html


@pytest.mark.django_db
def test_a_rolled_back_action_sends_nothing(django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                send_templated(template="accounts/emails/account_deleted", to="x@example.org", context={})
                raise RuntimeError("rollback")
        except RuntimeError:
            pass
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_pdf_is_a_tagged_pdf_ua_document_with_the_text_in_it(tmp_path):
    from tissu.lib.pdf import render_pdf

    pdf = render_pdf(template="pdf/test_document.html", context={"title": "Convention de prêt", "amount": "1 200 €"})
    assert pdf.startswith(b"%PDF-")
    inflated = b"".join(_inflate(stream) for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S))
    assert b"pdfuaid" in inflated + pdf  # PDF/UA identification in the XMP metadata
    assert b"/StructTreeRoot" in inflated + pdf  # tagged: a structure tree screen readers can follow


def _inflate(stream: bytes) -> bytes:
    try:
        return zlib.decompress(stream)
    except zlib.error:
        return stream


@pytest.mark.django_db
def test_a_pdf_never_fetches_an_external_resource():
    from tissu.lib.pdf import _no_network

    with pytest.raises(ValueError):
        _no_network("https://tracker.example/pixel.png")
