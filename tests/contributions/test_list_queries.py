"""Bills, payments and arrears, as pages and API lists: no query per row."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from jaring.accounts.scope import SYSTEM
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
    services.run_month(actor=SYSTEM, month=FEBRUARY, programme=p, as_of=FEBRUARY)
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


@pytest.mark.parametrize(
    ("page", "route", "add"),
    [
        ("/contributions/", "/api/contributions/bills", billed),
        ("/contributions/payments/", "/api/contributions/payments", paid),
        (
            "/contributions/arrears/?as_of=2026-03-01",
            "/api/contributions/arrears?as_of=2026-03-01",
            billed,
        ),
    ],
    ids=["bills", "payments", "arrears"],
)
def test_list(admin, api, page, route, add):
    web, caller = client_for(admin), api(admin)
    assert_flat(lambda: web.get(page), lambda: add(admin))
    assert_flat(lambda: caller.get(route), lambda: add(admin), shown=lambda r: len(r.json()))
