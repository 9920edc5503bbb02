"""Recording what the funder paid, and carrying overpayments forward as credit.

A payment (one SP2D) is spread over the chosen open bills of one programme, oldest month first;
within a bill it pays the lines in line order (see `BillLine`). A payment larger than the open
bills is refused, unless the officer confirms that the excess is credit: it is then carried
forward and applied to the programme's next bills as they are made. All or nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from jaring.accounts import audit
from jaring.accounts.scope import Actor, as_user
from jaring.contributions.access import programmes_managed
from jaring.contributions.errors import ContributionError
from jaring.contributions.models import (
    Allocation,
    AllocationSource,
    Bill,
    BillStatus,
    Payment,
)
from jaring.contributions.permissions import CONTRIBUTIONS
from jaring.core import events
from jaring.core.errors import Conflict, CoreError, NotFound, Problem, ValidationFailed
from jaring.programs.models import Programme
from jaring.programs.selectors import regencies_of_programmes
from jaring.rules.tables import month_text, rupiah


def credit_balances(programme_ids: Iterable[int]) -> dict[int, int]:
    """Each programme's unused credit, in two grouped queries however many programmes."""
    ids = set(programme_ids)
    given = dict(
        Payment.objects.filter(programme_id__in=ids)
        .order_by()
        .values("programme_id")
        .annotate(s=Sum("to_credit"))
        .values_list("programme_id", "s")
    )
    used = dict(
        Allocation.objects.filter(bill__programme_id__in=ids, source=AllocationSource.CREDIT)
        .order_by()
        .values("bill__programme_id")
        .annotate(s=Sum("amount"))
        .values_list("bill__programme_id", "s")
    )
    return {pk: (given.get(pk) or 0) - (used.get(pk) or 0) for pk in ids}


def credit_balance(programme: Programme) -> int:
    return credit_balances([programme.pk])[programme.pk]


def status_of(bill: Bill) -> str:
    if bill.paid >= bill.total:
        return BillStatus.PAID
    return BillStatus.PARTLY_PAID if bill.paid else BillStatus.OPEN


def _allocate(bill: Bill, amount: int, source: str, payment: Payment | None) -> Allocation:
    bill.paid += amount
    events.memberships_changed.send(
        sender="contributions", regencies=regencies_of_programmes([bill.programme_id])
    )
    bill.status = status_of(bill)
    bill.save(update_fields=["paid", "status", "updated_at"])
    return Allocation.objects.create(bill=bill, payment=payment, source=source, amount=amount)


def _open_bills(programme: Programme):
    return (
        Bill.objects.select_for_update()
        .filter(programme=programme)
        .exclude(status=BillStatus.PAID)
        .order_by("month")
    )


def apply_credit(*, programme: Programme, actor: Actor) -> int:
    """Applies the programme's credit to its open bills, oldest first; returns the amount."""
    balance = credit_balance(programme)
    applied = 0
    changes: list[audit.Change] = []
    for bill in _open_bills(programme):
        if balance <= 0:
            break
        amount = min(balance, bill.open_amount)
        if amount <= 0:
            continue
        _allocate(bill, amount, AllocationSource.CREDIT, None)
        changes.append(
            audit.Change(bill.pk, programme.region_id, None, {"amount": amount, "paid": bill.paid})
        )
        balance -= amount
        applied += amount
    audit.record_many(actor=actor, action="bill.credit_applied", model=Bill, changes=changes)
    return applied


def _problem(code: str, message_id: str, message_en: str, field: str, **params) -> Problem:
    return Problem(code, message_id, message_en, field=field, params=params)


def _check_input(paid_on: dt.date, amount: int, reference: str) -> None:
    problems = []
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        problems.append(
            _problem(
                ContributionError.AMOUNT_NOT_POSITIVE,
                "Jumlah pembayaran harus bilangan bulat rupiah lebih dari 0.",
                "The amount must be a whole number of rupiah greater than 0.",
                "amount",
            )
        )
    if not reference.strip():
        problems.append(
            _problem(
                ContributionError.REFERENCE_REQUIRED,
                "Nomor referensi (mis. nomor SP2D) wajib diisi.",
                "The reference (e.g. the SP2D number) is required.",
                "reference",
            )
        )
    if paid_on > timezone.localdate():
        problems.append(
            _problem(
                CoreError.DATE_FUTURE,
                "Tanggal bayar tidak boleh di masa depan.",
                "The payment date cannot be in the future.",
                "paid_on",
            )
        )
    if problems:
        raise ValidationFailed(*problems)


@transaction.atomic
def record_payment(
    *,
    actor: Actor,
    programme: Programme,
    paid_on: dt.date,
    amount: int,
    reference: str,
    bills: list[int] | None = None,
    note: str = "",
    excess_to_credit: bool = False,
) -> Payment:
    """Records one payment against `bills` (ids; all open bills of the programme when None)."""
    CONTRIBUTIONS.check(actor, "pay")
    _check_input(paid_on, amount, reference)
    if not programmes_managed(actor).filter(pk=programme.pk).exists():
        raise NotFound.of("Program", "Programme")
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    reference = reference.strip()
    if Payment.objects.filter(programme=programme, reference=reference).exists():
        raise Conflict(
            _problem(
                ContributionError.REFERENCE_TAKEN,
                f"Pembayaran dengan referensi {reference} sudah dicatat untuk program ini.",
                f"A payment with reference {reference} is already recorded for this programme.",
                "reference",
            )
        )
    chosen = list(_open_bills(programme))
    if bills is not None:
        wanted = set(bills)
        found = {b.pk for b in Bill.objects.filter(programme=programme, pk__in=wanted)}
        if found != wanted or not wanted:
            raise ValidationFailed(
                _problem(
                    ContributionError.BILL_UNKNOWN,
                    "Tagihan yang dipilih tidak ada di program ini: "
                    f"{', '.join(str(b) for b in sorted(wanted - found)) or '-'}.",
                    "Bills chosen that are not this programme's: "
                    f"{', '.join(str(b) for b in sorted(wanted - found)) or '-'}.",
                    "bills",
                )
            )
        paid = sorted(wanted - {b.pk for b in chosen})
        if paid:
            raise Conflict(
                _problem(
                    ContributionError.BILL_ALREADY_PAID,
                    f"Tagihan {', '.join(map(str, paid))} sudah lunas.",
                    f"Bill(s) {', '.join(map(str, paid))} are already paid.",
                    "bills",
                )
            )
        chosen = [b for b in chosen if b.pk in wanted]
    open_total = sum(b.open_amount for b in chosen)
    if amount > open_total and not excess_to_credit:
        raise Conflict(
            _problem(
                ContributionError.PAYMENT_EXCEEDS_OPEN,
                f"Pembayaran {rupiah(amount)} melebihi sisa tagihan yang dipilih "
                f"{rupiah(open_total)} (lebih {rupiah(amount - open_total)}). Periksa jumlahnya, "
                "atau catat kelebihannya sebagai kredit untuk tagihan berikutnya.",
                f"The payment of {rupiah(amount)} is more than the open amount of the chosen "
                f"bills, {rupiah(open_total)} ({rupiah(amount - open_total)} too much). Check "
                "the amount, or record the excess as credit for the next bills.",
                "amount",
                open=open_total,
                excess=amount - open_total,
            )
        )
    payment = Payment.objects.create(
        programme=programme,
        paid_on=paid_on,
        amount=amount,
        reference=reference,
        note=note.strip(),
        to_credit=max(0, amount - open_total),
        recorded_by=as_user(actor),
    )
    left = amount
    spread = {}
    for bill in chosen:
        part = min(left, bill.open_amount)
        if part <= 0:
            break
        _allocate(bill, part, AllocationSource.PAYMENT, payment)
        spread[month_text(bill.month)] = part
        left -= part
    audit.record(
        actor=actor,
        action="payment.recorded",
        target=payment,
        region_code=programme.region_id,
        before=None,
        after={
            "paid_on": paid_on.isoformat(),
            "amount": amount,
            "reference": reference,
            "bills": spread,
            "to_credit": payment.to_credit,
        },
        reason=payment.note,
    )
    return payment
