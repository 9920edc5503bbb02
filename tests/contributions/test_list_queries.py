"""Bills, payments and arrears, as pages and API lists: no query per row."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from jaring.contributions import payment_services, services
from jaring.contributions.models import Bill
from tests.contributions.setup import MONTHLY, member, programme
from tests.querycount import assert_flat
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db

FEBRUARY = dt.date(2026, 2, 1)
_n = itertools.count(1)


def billed(admin) -> Bill:
    """A programme of its own with one member, and its unpaid February bill."""
    p = programme(admin, name=f"Perlindungan {next(_n)}")
    member(admin, p, FEBRUARY)
    services.run_month(month=FEBRUARY, programme=p, as_of=FEBRUARY)
    return Bill.objects.get(programme=p)


def paid(admin) -> None:
    bill = billed(admin)
    payment_services.record_payment(
        actor=admin,
        programme=bill.programme,
        paid_on=dt.date(2026, 2, 16),
        amount=MONTHLY,
        reference=f"SP2D-{bill.pk}",
    )


@pytest.fixture
def caller(api, admin):
    return api(admin)


def test_bills(admin, caller):
    web = client_for(admin)
    assert_flat(lambda: web.get("/contributions/"), lambda: billed(admin))
    assert_flat(
        lambda: caller.get("/api/contributions/bills"),
        lambda: billed(admin),
        shown=lambda r: len(r.json()),
    )


def test_payments(admin, caller):
    web = client_for(admin)
    assert_flat(lambda: web.get("/contributions/payments/"), lambda: paid(admin))
    assert_flat(
        lambda: caller.get("/api/contributions/payments"),
        lambda: paid(admin),
        shown=lambda r: len(r.json()),
    )


def test_arrears(admin, caller):
    web = client_for(admin)
    assert_flat(lambda: web.get("/contributions/arrears/?as_of=2026-03-01"), lambda: billed(admin))
    assert_flat(
        lambda: caller.get("/api/contributions/arrears", as_of="2026-03-01"),
        lambda: billed(admin),
        shown=lambda r: len(r.json()),
    )
