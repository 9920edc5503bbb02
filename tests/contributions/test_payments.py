"""Payments: partial, spread over bills, overpayment as credit, refusals with nothing recorded."""

from __future__ import annotations

import datetime as dt

import pytest

from jaring.accounts.audit import history
from jaring.accounts.models import Role
from jaring.accounts.scope import SYSTEM
from jaring.contributions import payment_services, services
from jaring.contributions.models import Allocation, Bill, Payment
from jaring.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tests.contributions.setup import MONTHLY, member, programme
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_bills(admin):
    """February and March 2026 bills of two members: Rp33,600 each."""
    p = programme(admin)
    member(admin, p, dt.date(2026, 2, 1))
    member(admin, p, dt.date(2026, 2, 1), "palm_oil_worker")
    for m in (2, 3):
        services.run_month(actor=SYSTEM, month=dt.date(2026, m, 1), as_of=dt.date(2026, m, 1))
    feb, mar = Bill.objects.filter(programme=p).order_by("month")
    assert (feb.total, mar.total) == (2 * MONTHLY, 2 * MONTHLY)
    return p, feb, mar


def pay(actor, p, amount, ref="SP2D-1", **kw):
    return payment_services.record_payment(
        actor=actor, programme=p, paid_on=dt.date(2026, 3, 20), amount=amount, reference=ref, **kw
    )


def test_a_payment_fills_the_oldest_bill_first_and_is_audited(admin, two_bills):
    p, feb, mar = two_bills
    payment = pay(admin, p, 2 * MONTHLY + 10_000, "SP2D-900/2026", note="APBD Maret")
    feb.refresh_from_db()
    mar.refresh_from_db()
    assert (feb.paid, feb.status) == (2 * MONTHLY, "paid")
    assert (mar.paid, mar.status) == (10_000, "partly_paid")
    assert sorted(payment.allocations.values_list("bill_id", "amount")) == [
        (feb.pk, 2 * MONTHLY),
        (mar.pk, 10_000),
    ]
    [event] = history(payment)
    assert event.action == "payment.recorded" and event.actor == admin
    assert event.after["bills"] == {"2026-02": 2 * MONTHLY, "2026-03": 10_000}


def test_a_payment_can_target_one_bill(admin, two_bills):
    p, feb, mar = two_bills
    pay(admin, p, MONTHLY, bills=[mar.pk])
    feb.refresh_from_db()
    mar.refresh_from_db()
    assert (feb.paid, mar.paid) == (0, MONTHLY)


def test_more_than_the_open_bills_is_refused_unless_recorded_as_credit(admin, two_bills):
    p, _feb, _mar = two_bills
    with pytest.raises(Conflict) as exc:
        pay(admin, p, 4 * MONTHLY + 1)
    [problem] = exc.value.problems
    assert problem.code == "payment_exceeds_open"
    assert problem.params == {"open": 4 * MONTHLY, "excess": 1}
    assert not Payment.objects.exists() and not Allocation.objects.exists()
    assert Bill.objects.filter(paid__gt=0).count() == 0

    payment = pay(admin, p, 4 * MONTHLY + 20_000, excess_to_credit=True)
    assert payment.to_credit == 20_000
    assert payment_services.credit_balance(p) == 20_000
    # The credit is carried forward: April's bill is made with it already applied.
    services.run_month(actor=SYSTEM, month=dt.date(2026, 4, 1), as_of=dt.date(2026, 4, 1))
    april = Bill.objects.get(programme=p, month=dt.date(2026, 4, 1))
    assert (april.total, april.paid, april.status) == (2 * MONTHLY, 20_000, "partly_paid")
    assert payment_services.credit_balance(p) == 0
    assert april.allocations.get().source == "credit"


def test_refusals_leave_nothing_recorded(admin, two_bills):
    p, feb, _mar = two_bills
    pay(admin, p, MONTHLY, "SP2D-7")
    with pytest.raises(Conflict) as exc:
        pay(admin, p, MONTHLY, "SP2D-7")
    assert exc.value.problems[0].code == "reference_taken"
    with pytest.raises(ValidationFailed) as exc:
        payment_services.record_payment(
            actor=admin,
            programme=p,
            paid_on=dt.date(2099, 1, 1),
            amount=0,
            reference=" ",
        )
    assert {q.field for q in exc.value.problems} == {"amount", "reference", "paid_on"}
    with pytest.raises(ValidationFailed) as exc:
        pay(admin, p, 100, "SP2D-8", bills=[feb.pk, 999_999])
    assert exc.value.problems[0].code == "bill_unknown"
    pay(admin, p, 2 * MONTHLY - MONTHLY, "SP2D-9", bills=[feb.pk])
    with pytest.raises(Conflict) as exc:
        pay(admin, p, 100, "SP2D-10", bills=[feb.pk])
    assert exc.value.problems[0].code == "bill_already_paid"
    assert list(Payment.objects.values_list("reference", flat=True).order_by("id")) == [
        "SP2D-7",
        "SP2D-9",
    ]


def test_who_may_record(admin, two_bills):
    p, _, _ = two_bills
    with pytest.raises(PermissionDenied):
        pay(make_user(Role.VIEWER, "61.72"), p, 100)
    with pytest.raises(NotFound):
        pay(make_user(Role.PROGRAMME_OFFICER, "61.71"), p, 100)
    assert pay(make_user(Role.BPJS_OFFICER, "61.72"), p, 100).amount == 100
