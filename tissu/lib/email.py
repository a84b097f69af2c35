"""The one way Tissu sends email.

Each app's ``emails.py`` has one function per message that calls ``send_templated``
with a template prefix: ``<prefix>_subject.txt``, ``<prefix>.txt`` and ``<prefix>.html``.
Messages are rendered now, in the recipient's language, and sent by a background
task once the current transaction commits, so a rolled-back action sends nothing.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from tissu.city.selectors import city_settings_get


@task(queue_name="email")
def send_email_task(
    *,
    to: list[str],
    subject: str,
    text: str,
    html: str,
    reply_to: list[str] | None = None,
    attachments: list[list[str]] | None = None,
) -> None:
    message = EmailMultiAlternatives(subject=subject, body=text, to=to, reply_to=reply_to or None)
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or ():
        message.attach(filename, content, mimetype)
    message.send()


def send_templated(
    *,
    template: str,
    to: str | list[str],
    context: dict,
    language: str | None = None,
    reply_to: str | None = None,
    attachments: list[tuple[str, str, str]] = (),
) -> None:
    """``attachments``: (filename, text content, MIME type) — text only, since task arguments are JSON."""
    recipients = [to] if isinstance(to, str) else list(to)
    with translation.override(language or settings.LANGUAGE_CODE):
        full_context = {"city": city_settings_get(), "site_url": settings.SITE_URL, **context}
        subject = " ".join(render_to_string(f"{template}_subject.txt", full_context).split())
        text = render_to_string(f"{template}.txt", full_context)
        html = render_to_string(f"{template}.html", full_context)
    kwargs = {
        "to": recipients,
        "subject": subject,
        "text": text,
        "html": html,
        "reply_to": [reply_to] if reply_to else None,
        "attachments": [list(attachment) for attachment in attachments] or None,
    }
    transaction.on_commit(lambda: send_email_task.enqueue(**kwargs))
