"""One function per message of the funding module (templates in funding/emails/). Each takes primary keys:
they run after the commit of the service that decided to send them."""

from django.conf import settings
from django.urls import reverse

from tissu.directory.emails import association_managers, office_recipients
from tissu.lib.email import send_templated


def _to_managers(association, template: str, context: dict) -> None:
    for manager in association_managers(association):
        send_templated(
            template=template, to=manager.email, context={**context, "user": manager}, language=manager.language
        )


def send_application_update(*, application_pk: int, status: str, note: str = "") -> None:
    """Each step of an application, to the association's managers (and the office when it is received)."""
    from tissu.funding.models import GrantApplication, Status

    application = GrantApplication.objects.select_related("association", "call__scheme").get(pk=application_pk)
    url = settings.SITE_URL + reverse("funding:application-detail", args=[application.pk])
    context = {"application": application, "status": status, "note": note, "url": url}
    _to_managers(application.association, "funding/emails/application_update", context)
    if status == Status.RECEIVED:
        recipients = office_recipients()
        if recipients:
            staff_url = settings.SITE_URL + reverse("funding:staff-application", args=[application.pk])
            send_templated(
                template="funding/emails/application_received_office", to=recipients,
                context={**context, "url": staff_url},
            )  # fmt: skip


def send_application_reminder(*, application_pk: int, kind: str) -> None:
    from tissu.funding.models import GrantApplication

    application = GrantApplication.objects.select_related("association").get(pk=application_pk)
    url = settings.SITE_URL + reverse("funding:application-detail", args=[application.pk])
    _to_managers(
        application.association,
        "funding/emails/application_reminder",
        {"application": application, "kind": kind, "url": url},
    )


def send_document_expiring(*, document_pk: int) -> None:
    from tissu.funding.models import Document

    document = Document.objects.select_related("association").get(pk=document_pk)
    url = settings.SITE_URL + reverse("funding:vault", args=[document.association.slug])
    _to_managers(document.association, "funding/emails/document_expiring", {"document": document, "url": url})


def send_agreement_renewal(*, agreement_pk: int) -> None:
    from tissu.funding.models import MultiYearAgreement

    agreement = MultiYearAgreement.objects.select_related("association").get(pk=agreement_pk)
    url = settings.SITE_URL + reverse("funding:agreement-detail", args=[agreement.pk])
    context = {"agreement": agreement, "url": url}
    _to_managers(agreement.association, "funding/emails/agreement_renewal", context)
    recipients = office_recipients()
    if recipients:
        send_templated(template="funding/emails/agreement_renewal", to=recipients, context=context)
