"""One function per message sent by the sharing module (templates in sharing/emails/)."""

from django.conf import settings
from django.urls import reverse

from tissu.accounts.models import User
from tissu.directory.emails import association_managers, office_recipients
from tissu.lib.email import send_templated


def _loan_url(loan) -> str:
    return settings.SITE_URL + reverse("sharing:loan-detail", args=[loan.pk])


def _send_to_lenders(*, loan, template: str, context: dict) -> None:
    """The owner's side: the office for the city's items, the association's managers otherwise."""
    context = {"loan": loan, "item": loan.item, "url": _loan_url(loan), **context}
    if loan.item.owner_id is None:
        recipients = office_recipients()
        if recipients:
            send_templated(template=template, to=recipients, context=context)
        return
    for manager in association_managers(loan.item.owner):
        send_templated(
            template=template, to=manager.email, context={**context, "user": manager}, language=manager.language
        )


def send_loan_requested(*, loan) -> None:
    _send_to_lenders(loan=loan, template="sharing/emails/loan_requested", context={})


def send_loan_cancelled(*, loan, by_borrower: bool) -> None:
    if by_borrower:
        _send_to_lenders(loan=loan, template="sharing/emails/loan_cancelled", context={})


def send_loan_decided(*, loan) -> None:
    """Accepted or refused: to the person who asked (if their account still exists)."""
    person = loan.requested_by
    if person is None or not person.is_active:
        return
    send_templated(
        template="sharing/emails/loan_decided",
        to=person.email,
        context={"loan": loan, "item": loan.item, "user": person, "url": _loan_url(loan)},
        language=person.language,
    )


def _send_to_borrowers(*, loan, template: str, context: dict) -> None:
    """The borrowing association's managers, each in their language."""
    context = {"loan": loan, "item": loan.item, "url": _loan_url(loan), **context}
    for manager in association_managers(loan.borrower):
        send_templated(
            template=template, to=manager.email, context={**context, "user": manager}, language=manager.language
        )


def send_loan_due_soon(*, loan) -> None:
    """Before the last day: bring the equipment back on time."""
    _send_to_borrowers(loan=loan, template="sharing/emails/loan_due_soon", context={})


def send_loan_overdue(*, loan, days_late: int) -> None:
    """After the last day, to the borrower's managers; the owner's side is told as well."""
    _send_to_borrowers(
        loan=loan, template="sharing/emails/loan_overdue", context={"days_late": days_late, "to_lender": False}
    )
    _send_to_lenders(
        loan=loan, template="sharing/emails/loan_overdue", context={"days_late": days_late, "to_lender": True}
    )


def _contact_url(contact) -> str:
    return settings.SITE_URL + reverse("sharing:help-contact-detail", args=[contact.pk])


def _expert_people(expert) -> list[User]:
    if expert.user_id:
        user = expert.user
        return [user] if user.is_active and user.deleted_at is None else []
    return association_managers(expert.association)


def _send_each(people, *, template: str, context: dict) -> None:
    for person in people:
        send_templated(
            template=template, to=person.email, context={**context, "user": person}, language=person.language
        )


def send_help_proposed(*, contact) -> None:
    """An association asks the expert for help: the expert reads the request and answers on Tissu."""
    context = {"contact": contact, "help_request": contact.request, "url": _contact_url(contact)}
    _send_each(_expert_people(contact.expert), template="sharing/emails/help_proposed", context=context)


def send_help_answered(*, contact) -> None:
    """The expert accepted or declined: to the association's managers."""
    context = {"contact": contact, "help_request": contact.request, "url": _contact_url(contact)}
    _send_each(
        association_managers(contact.request.association), template="sharing/emails/help_answered", context=context
    )


def send_help_message(*, message) -> None:
    """A message in an exchange: to the other side (never to its author)."""
    contact = message.contact
    people = (
        association_managers(contact.request.association) if message.from_expert else _expert_people(contact.expert)
    )
    context = {"contact": contact, "message": message, "help_request": contact.request, "url": _contact_url(contact)}
    _send_each(
        [person for person in people if person.pk != message.author_id],
        template="sharing/emails/help_message",
        context=context,
    )
