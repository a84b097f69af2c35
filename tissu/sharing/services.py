"""Every write of the sharing module: items offered for loan, and the life of a loan.

requested → accepted → checked out → returned; requested → refused; requested or accepted → cancelled.
Overdue is not a status: a checked-out loan past its last day (models.overdue_condition). The deposit is
recorded beside the status (received, then given back once the equipment is back).
Accepted and checked-out loans hold their units: every service that makes a loan hold units locks the
item row first (select_for_update), then counts, so two parallel requests for the last units cannot both
succeed (tissu/sharing/tests/test_loans_concurrency.py proves it on PostgreSQL).
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tissu.audit.services import audit_log
from tissu.directory.models import Association
from tissu.sharing import emails, permissions, selectors
from tissu.sharing.models import OPEN, BorrowerPolicy, Item, Loan, LoanStatus, PickupSlot, overdue_condition

ITEM_FIELDS = [
    "name", "category", "description", "photo", "photo_alt", "quantity", "deposit", "conditions", "pickup_place",
    "max_loan_days", "notice_days", "approval_required", "borrower_policy", "is_active",
]  # fmt: skip


def _check_item(item: Item, allowed_borrowers) -> None:
    errors = {}
    if item.photo and not item.photo_alt.strip():
        errors["photo_alt"] = _("Describe the photo for people who cannot see it.")
    if item.borrower_policy == BorrowerPolicy.LIST and not allowed_borrowers:
        errors["allowed_borrowers"] = _("Choose at least one association, or let every association borrow.")
    if item.max_loan_days < 1:
        errors["max_loan_days"] = _("A loan lasts at least one day.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def item_create(*, actor, owner: Association | None, values: dict, allowed_borrowers=()) -> Item:
    if not permissions.can_lend_as(actor, owner):
        raise PermissionDenied
    item = Item(owner=owner, created_by=actor, **{field: values[field] for field in ITEM_FIELDS if field in values})
    if not item.photo:
        item.photo = ""
    item.full_clean()
    _check_item(item, allowed_borrowers)
    item.save()
    item.allowed_borrowers.set(allowed_borrowers)
    audit_log(actor=actor, action="sharing.item.created", target=item, data={"owner": owner.pk if owner else None})
    return item


@transaction.atomic
def item_update(*, actor, item: Item, values: dict, allowed_borrowers=()) -> Item:
    current = Item.objects.select_for_update().get(pk=item.pk)
    if not permissions.can_manage_item(actor, current):
        raise PermissionDenied
    changed = []
    for field in ITEM_FIELDS:
        if field not in values:
            continue
        value = values[field]
        if field == "photo":
            # A form gives an upload (new file), False (cleared) or the current file (unchanged).
            if isinstance(value, UploadedFile):
                current.photo = value
                changed.append(field)
            elif value in (False, None, "") and current.photo:
                current.photo = ""
                changed.append(field)
            continue
        if getattr(current, field) != value:
            setattr(current, field, value)
            changed.append(field)
    current.full_clean()
    _check_item(current, allowed_borrowers)
    if changed:
        current.save(update_fields=[*changed, "updated_at"])
    if {a.pk for a in allowed_borrowers} != set(current.allowed_borrowers.values_list("pk", flat=True)):
        current.allowed_borrowers.set(allowed_borrowers)
        changed.append("allowed_borrowers")
    if changed:
        audit_log(actor=actor, action="sharing.item.updated", target=current, data={"fields": sorted(changed)})
    return current


def _check_request(
    *, item: Item, borrower: Association, quantity: int, start: datetime.date, end: datetime.date
) -> None:
    today = timezone.localdate()
    if end < start:
        raise ValidationError({"end_date": _("The loan cannot end before it starts.")})
    if quantity < 1:
        raise ValidationError({"quantity": _("Ask for at least one unit.")})
    if quantity > item.quantity:
        raise ValidationError({"quantity": _("Only %(stock)s units of this item exist.") % {"stock": item.quantity}})
    if start < today + datetime.timedelta(days=item.notice_days):
        raise ValidationError(
            {"start_date": _("This item must be asked for at least %(days)s days ahead.") % {"days": item.notice_days}}
        )
    if (end - start).days + 1 > item.max_loan_days:
        raise ValidationError(
            {"end_date": _("This item is lent for %(days)s days at most.") % {"days": item.max_loan_days}}
        )
    if not permissions.may_borrow(borrower, item):
        raise ValidationError(_("%(name)s may not borrow this item.") % {"name": borrower.name})


def _slot_load(slot: PickupSlot, day: datetime.date, *, exclude: Loan | None = None) -> int:
    """Handovers already planned in this slot on this day: pickups and returns of open loans."""
    loans = Loan.objects.filter(status__in=OPEN).filter(
        Q(pickup_slot=slot, start_date=day) | Q(return_slot=slot, end_date=day)
    )
    if exclude is not None and exclude.pk:
        loans = loans.exclude(pk=exclude.pk)
    return sum(
        (pickup == slot.pk and start == day) + (back == slot.pk and end == day)
        for pickup, start, back, end in loans.values_list("pickup_slot", "start_date", "return_slot", "end_date")
    )


def _check_slots(item: Item, loan: Loan) -> None:
    """An item with pickup slots is picked up in a slot of the first day and returned in one of the last;
    each slot takes a limited number of handovers a day. Called under the item's lock."""
    slots = {slot.pk: slot for slot in item.pickup_slots.all()}
    if not slots:
        loan.pickup_slot = loan.return_slot = None
        return
    days = ", ".join(str(slot) for slot in slots.values())
    for field, day, label in (
        ("pickup_slot", loan.start_date, _("pickup")),
        ("return_slot", loan.end_date, _("return")),
    ):
        slot = getattr(loan, field)
        if slot is None or slot.pk not in slots:
            raise ValidationError({field: _("Choose a slot for the %(what)s.") % {"what": label}})
        if slot.weekday != day.weekday():
            raise ValidationError(
                {field: _("The %(what)s slot is on %(slot)s: choose a date on that day (slots: %(days)s).")
                 % {"what": label, "slot": slot, "days": days}}
            )  # fmt: skip
    for field, day in (("pickup_slot", loan.start_date), ("return_slot", loan.end_date)):
        slot = getattr(loan, field)
        needed = 2 if loan.pickup_slot == loan.return_slot and loan.start_date == loan.end_date else 1
        if _slot_load(slot, day, exclude=loan) + needed > slot.capacity:
            raise ValidationError(
                {field: _("The slot %(slot)s of %(date)s is full: choose another slot or another day.")
                 % {"slot": slot, "date": date_format(day, "DATE_FORMAT")}}
            )  # fmt: skip


def _check_free(item: Item, loan: Loan) -> None:
    free = selectors.available_quantity(item, loan.start_date, loan.end_date, exclude=loan)
    if loan.quantity > free:
        raise ValidationError(
            _("Only %(free)s units are free on every day of these dates: the others are already lent.") % {"free": free}
        )


@transaction.atomic
def loan_request(
    *,
    actor,
    item: Item,
    borrower: Association,
    quantity: int,
    start_date: datetime.date,
    end_date: datetime.date,
    message: str = "",
    pickup_slot: PickupSlot | None = None,
    return_slot: PickupSlot | None = None,
) -> Loan:
    """Ask to borrow; accepted at once (units held) when the item needs no approval."""
    if not permissions.can_edit_borrower(actor, borrower):
        raise PermissionDenied
    # The lock serialises every request and acceptance for this item: counting then saving is safe.
    item = Item.objects.select_for_update(of=("self",)).select_related("owner").get(pk=item.pk)
    _check_request(item=item, borrower=borrower, quantity=quantity, start=start_date, end=end_date)
    loan = Loan(
        item=item,
        borrower=borrower,
        requested_by=actor,
        quantity=quantity,
        start_date=start_date,
        end_date=end_date,
        message=message,
        pickup_slot=pickup_slot,
        return_slot=return_slot,
    )
    _check_slots(item, loan)
    _check_free(item, loan)
    if not item.approval_required:
        loan.status = LoanStatus.ACCEPTED
        loan.decided_at = timezone.now()
    loan.full_clean()
    loan.save()
    audit_log(
        actor=actor,
        action="sharing.loan.requested",
        target=loan,
        data={"item": item.pk, "borrower": borrower.pk, "quantity": quantity, "status": loan.status},
    )
    emails.send_loan_requested(loan=loan)
    return loan


def _locked(loan: Loan) -> Loan:
    return (
        Loan.objects.select_for_update(of=("self",)).select_related("item", "item__owner", "borrower").get(pk=loan.pk)
    )


def _wrong_state(loan: Loan) -> ValidationError:
    return ValidationError(
        _("This loan is %(status)s: this cannot be done any more.") % {"status": loan.get_status_display()}
    )


def _move(loan: Loan, *, actor, status: str, fields: dict, action: str) -> Loan:
    for field, value in fields.items():
        setattr(loan, field, value)
    loan.status = status
    loan.full_clean()
    loan.save(update_fields=["status", *fields, "updated_at"])
    audit_log(actor=actor, action=action, target=loan, data={"item": loan.item_id, "borrower": loan.borrower_id})
    return loan


@transaction.atomic
def loan_accept(*, actor, loan: Loan, answer: str = "") -> Loan:
    Item.objects.select_for_update().filter(pk=loan.item_id).first()  # serialise with parallel requests
    current = _locked(loan)
    if not permissions.is_lender(actor, current):
        raise PermissionDenied
    if current.status != LoanStatus.REQUESTED:
        raise _wrong_state(current)
    _check_free(current.item, current)
    if current.pickup_slot_id or current.return_slot_id:
        _check_slots(current.item, current)
    _move(
        current,
        actor=actor,
        status=LoanStatus.ACCEPTED,
        fields={"answer": answer, "decided_at": timezone.now()},
        action="sharing.loan.accepted",
    )
    emails.send_loan_decided(loan=current)
    return current


@transaction.atomic
def loan_refuse(*, actor, loan: Loan, answer: str) -> Loan:
    current = _locked(loan)
    if not permissions.is_lender(actor, current):
        raise PermissionDenied
    if current.status != LoanStatus.REQUESTED:
        raise _wrong_state(current)
    if not answer.strip():
        raise ValidationError({"answer": _("Tell the association why you refuse.")})
    _move(
        current,
        actor=actor,
        status=LoanStatus.REFUSED,
        fields={"answer": answer, "decided_at": timezone.now()},
        action="sharing.loan.refused",
    )
    emails.send_loan_decided(loan=current)
    return current


def _condition(*, note: str, photo, photo_alt: str, prefix: str) -> dict:
    """The condition fields of a check-out or a return; a photo needs its text alternative."""
    fields = {f"{prefix}_note": note.strip()}
    if photo:
        if not photo_alt.strip():
            raise ValidationError({"photo_alt": _("Describe the photo for people who cannot see it.")})
        fields[f"{prefix}_photo"] = photo
        fields[f"{prefix}_photo_alt"] = photo_alt.strip()
    return fields


@transaction.atomic
def loan_check_out(*, actor, loan: Loan, note: str = "", photo=None, photo_alt: str = "") -> Loan:
    """The owner's side hands the equipment over, noting (and optionally photographing) its condition."""
    current = _locked(loan)
    if not permissions.is_lender(actor, current):
        raise PermissionDenied
    if current.status == LoanStatus.CHECKED_OUT:
        raise ValidationError(_("This equipment was already handed over."))
    if current.status == LoanStatus.RETURNED:
        raise ValidationError(_("This equipment was already handed over and has come back."))
    if current.status != LoanStatus.ACCEPTED:
        raise _wrong_state(current)
    fields = _condition(note=note, photo=photo, photo_alt=photo_alt, prefix="checkout")
    fields = {**fields, "checked_out_at": timezone.now(), "checked_out_by": actor}
    return _move(current, actor=actor, status=LoanStatus.CHECKED_OUT, fields=fields, action="sharing.loan.checked_out")


@transaction.atomic
def loan_return(*, actor, loan: Loan, note: str = "", photo=None, photo_alt: str = "") -> Loan:
    """The owner's side takes the equipment back, noting (and optionally photographing) its condition."""
    current = _locked(loan)
    if not permissions.is_lender(actor, current):
        raise PermissionDenied
    if current.status == LoanStatus.RETURNED:
        raise ValidationError(_("This equipment has already come back."))
    if current.status != LoanStatus.CHECKED_OUT:
        raise ValidationError(_("This equipment was never handed over: it cannot come back."))
    fields = _condition(note=note, photo=photo, photo_alt=photo_alt, prefix="return")
    fields = {**fields, "returned_at": timezone.now(), "returned_by": actor}
    return _move(current, actor=actor, status=LoanStatus.RETURNED, fields=fields, action="sharing.loan.returned")


def _check_day(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("Record it once it happened, not in advance.")})


@transaction.atomic
def loan_deposit_receive(*, actor, loan: Loan, amount: Decimal, received_on: datetime.date) -> Loan:
    """The owner's side records the deposit the borrower handed over (before or at check-out)."""
    current = _locked(loan)
    if not permissions.is_lender(actor, current):
        raise PermissionDenied
    if not current.item.deposit:
        raise ValidationError(_("This item asks for no deposit."))
    if current.deposit_received_on is not None:
        raise ValidationError(_("The deposit of this loan was already received."))
    if current.status not in (LoanStatus.ACCEPTED, LoanStatus.CHECKED_OUT):
        raise _wrong_state(current)
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("Enter the amount received, in euros.")})
    _check_day(received_on, "received_on")
    current.deposit_amount = amount
    current.deposit_received_on = received_on
    current.deposit_received_by = actor
    current.full_clean()
    current.save(update_fields=["deposit_amount", "deposit_received_on", "deposit_received_by", "updated_at"])
    audit_log(actor=actor, action="sharing.loan.deposit_received", target=current, data={"amount": str(amount)})
    return current


@transaction.atomic
def loan_deposit_return(*, actor, loan: Loan, amount: Decimal, returned_on: datetime.date, note: str = "") -> Loan:
    """The owner's side gives the deposit back, in full or in part (then saying why part is kept)."""
    current = _locked(loan)
    if not permissions.is_lender(actor, current):
        raise PermissionDenied
    if current.deposit_received_on is None:
        raise ValidationError(_("No deposit was received for this loan: there is nothing to give back."))
    if current.deposit_returned_on is not None:
        raise ValidationError(_("The deposit of this loan was already given back."))
    if current.status == LoanStatus.CHECKED_OUT:
        raise ValidationError(_("The equipment is still out: give the deposit back once it has come back."))
    if amount is None or amount < 0:
        raise ValidationError({"amount": _("Enter the amount given back, in euros (0 if all is kept).")})
    if amount > current.deposit_amount:
        raise ValidationError({"amount": _("Only %(amount)s € were received.") % {"amount": current.deposit_amount}})
    if amount < current.deposit_amount and not note.strip():
        raise ValidationError({"note": _("Say why part of the deposit is kept.")})
    _check_day(returned_on, "returned_on")
    if returned_on < current.deposit_received_on:
        raise ValidationError({"returned_on": _("The deposit cannot come back before it was received.")})
    current.deposit_returned_amount = amount
    current.deposit_returned_on = returned_on
    current.deposit_returned_by = actor
    current.deposit_note = note.strip()
    current.full_clean()
    current.save(
        update_fields=[
            "deposit_returned_amount", "deposit_returned_on", "deposit_returned_by", "deposit_note", "updated_at"
        ]
    )  # fmt: skip
    audit_log(
        actor=actor,
        action="sharing.loan.deposit_returned",
        target=current,
        data={"amount": str(amount), "kept": str(current.deposit_amount - amount)},
    )
    return current


@transaction.atomic
def loan_cancel(*, actor, loan: Loan) -> Loan:
    """The borrower withdraws (or the owner calls off) a loan not yet handed over."""
    current = _locked(loan)
    if not (permissions.is_borrower(actor, current) or permissions.is_lender(actor, current)):
        raise PermissionDenied
    if current.status not in (LoanStatus.REQUESTED, LoanStatus.ACCEPTED):
        raise _wrong_state(current)
    _move(
        current,
        actor=actor,
        status=LoanStatus.CANCELLED,
        fields={"cancelled_at": timezone.now()},
        action="sharing.loan.cancelled",
    )
    emails.send_loan_cancelled(loan=current, by_borrower=permissions.is_borrower(actor, current))
    return current


@transaction.atomic
def slot_add(*, actor, item: Item, weekday: int, start_time, end_time, capacity: int) -> PickupSlot:
    if not permissions.can_manage_item(actor, item):
        raise PermissionDenied
    if end_time <= start_time:
        raise ValidationError({"end_time": _("The slot must end after it starts.")})
    slot = PickupSlot(item=item, weekday=weekday, start_time=start_time, end_time=end_time, capacity=capacity)
    slot.full_clean()
    slot.save()
    audit_log(actor=actor, action="sharing.slot.added", target=item, data={"slot": slot.pk, "slot_label": str(slot)})
    return slot


@transaction.atomic
def slot_remove(*, actor, slot: PickupSlot) -> None:
    """Remove a slot no loan to come uses (those loans would lose their appointment)."""
    item = Item.objects.select_for_update().get(pk=slot.item_id)
    if not permissions.can_manage_item(actor, item):
        raise PermissionDenied
    today = timezone.localdate()
    upcoming = Loan.objects.filter(status__in=OPEN).filter(
        Q(pickup_slot=slot, start_date__gte=today) | Q(return_slot=slot, end_date__gte=today)
    )
    if count := upcoming.count():
        raise ValidationError(
            _("%(count)s loan(s) to come use this slot: cancel or move them first.") % {"count": count}
        )
    audit_log(actor=actor, action="sharing.slot.removed", target=item, data={"slot_label": str(slot)})
    slot.delete()


DUE_REMINDER_DAYS = 2  # the borrower is reminded this many days before the last day
OVERDUE_REMINDER_EVERY = 7  # then, once late, the day after the last day and every week after


def loans_send_reminders(*, now: datetime.datetime | None = None, days_before: int = DUE_REMINDER_DAYS) -> dict:
    """Remind borrowers before the last day of a checked-out loan, and both sides once it is overdue.

    Idempotent: each loan gets one reminder before its last day, and overdue reminders at most once every
    OVERDUE_REMINDER_EVERY days; a run twice a day sends nothing new. Each loan is claimed by a conditional
    UPDATE, so two runs at once do not send twice.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = {"due": 0, "overdue": 0}
    due = Loan.objects.filter(
        status=LoanStatus.CHECKED_OUT,
        end_date__gte=today,
        end_date__lte=today + datetime.timedelta(days=days_before),
        due_reminder_sent_at__isnull=True,
    )
    for loan in due.select_related("item", "item__owner", "borrower").order_by("end_date", "pk"):
        with transaction.atomic():
            claimed = Loan.objects.filter(
                pk=loan.pk, status=LoanStatus.CHECKED_OUT, due_reminder_sent_at__isnull=True
            ).update(due_reminder_sent_at=now)
            if claimed:
                emails.send_loan_due_soon(loan=loan)
                sent["due"] += 1
    last_allowed = now - datetime.timedelta(days=OVERDUE_REMINDER_EVERY)
    not_recent = Q(overdue_reminder_sent_at__isnull=True) | Q(overdue_reminder_sent_at__lte=last_allowed)
    overdue = Loan.objects.filter(overdue_condition(today)).filter(not_recent)
    for loan in overdue.select_related("item", "item__owner", "borrower").order_by("end_date", "pk"):
        with transaction.atomic():
            claimed = (
                Loan.objects.filter(pk=loan.pk, status=LoanStatus.CHECKED_OUT)
                .filter(not_recent)
                .update(overdue_reminder_sent_at=now)
            )
            if claimed:
                emails.send_loan_overdue(loan=loan, days_late=(today - loan.end_date).days)
                sent["overdue"] += 1
    return sent


def loans_erase_for_user(user) -> None:
    """Account deletion: loans and listings stay (they belong to the associations), without the person who
    asked or posted; their reports of listings lose their author."""
    from tissu.sharing.models import Listing, ListingReport

    Loan.objects.filter(requested_by=user).update(requested_by=None, message="")
    for field in ("checked_out_by", "returned_by", "deposit_received_by", "deposit_returned_by"):
        Loan.objects.filter(**{field: user}).update(**{field: None})
    Listing.objects.filter(created_by=user).update(created_by=None)
    ListingReport.objects.filter(reporter=user).update(reporter=None)
