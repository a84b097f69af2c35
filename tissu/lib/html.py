"""Rich text: Markdown written by people, turned into sanitised HTML (nh3) for display."""

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "s", "a", "ul", "ol", "li",
    "h2", "h3", "h4", "blockquote", "code", "pre", "hr", "table", "thead",
    "tbody", "tr", "th", "td", "abbr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}, "th": {"scope"}}


def sanitize_html(html: str) -> str:
    """Keep only a safe subset of HTML; links get rel=noopener noreferrer nofollow."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer nofollow",
    )


def render_rich_text(source: str) -> SafeString:
    """Markdown (raw HTML inside it is sanitised too) → safe HTML. Headings start at h2: pages own their h1."""
    if not source:
        return mark_safe("")
    html = markdown.markdown(source, extensions=["sane_lists", "tables"], output_format="html")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return mark_safe(sanitize_html(html))  # noqa: S308 - sanitised just above
