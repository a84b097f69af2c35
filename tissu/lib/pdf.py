"""The one way Tissu makes PDF documents (loan agreements, grant files and letters, election minutes).

A PDF is an HTML template rendered by WeasyPrint, so documents share the site's templates,
translations and escaping. They are produced as tagged PDF/UA-1 files: headings, lists and
tables stay navigable with a screen reader, as public-sector accessibility rules expect of
downloadable documents. Templates extend ``pdf/base.html``; fonts are the system's (DejaVu on
Debian), and nothing is fetched from the network.
"""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify

from tissu.city.selectors import city_settings_get


def _no_network(url: str) -> dict:
    # A document never pulls anything from outside: only files under the static or media folders.
    raise ValueError(f"PDF rendering does not fetch external resources: {url}")


def render_pdf(*, template: str, context: dict, language: str | None = None) -> bytes:
    """Render ``template`` with ``context`` to the bytes of a tagged PDF/UA-1 document."""
    import weasyprint  # imported lazily: it loads Pango, which only the PDF views need

    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        full_context = {
            "city": city_settings_get(),
            "site_url": settings.SITE_URL,
            "LANGUAGE_CODE": translation.get_language(),
            **context,
        }
        html = render_to_string(template, full_context)
    document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_no_network)
    return document.write_pdf(pdf_variant="pdf/ua-1")


def pdf_response(*, template: str, context: dict, filename: str, inline: bool = False) -> HttpResponse:
    """An HTTP response carrying the PDF, downloaded as ``filename`` (slugified, ``.pdf`` added)."""
    response = HttpResponse(render_pdf(template=template, context=context), content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{slugify(filename) or "document"}.pdf"'
    return response
