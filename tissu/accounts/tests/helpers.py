"""Reading the emails the accounts app sends, and the messages it shows."""

import re

from django.conf import settings
from django.contrib.messages import get_messages
from django.core import mail


def html_of(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def link_in(message) -> str:
    """The one Tissu link of an email (its path), checked to be the same in the text and the HTML parts."""
    pattern = re.escape(settings.SITE_URL) + r"/[^\s\"<]+"
    [link] = set(re.findall(pattern, message.body))
    assert link in html_of(message)
    return link.removeprefix(settings.SITE_URL)


def outbox_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]
