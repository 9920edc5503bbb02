"""continuity.bulk.pay_many: many self-payments at once, never a month paid twice."""

from __future__ import annotations

import datetime as dt

import pytest

from jaring.accounts.models import Role
from jaring.accounts.scope import SYSTEM
from jaring.continuity import bulk, services
from jaring.continuity.models import SelfPayment
from jaring.contributions.services import period_of
from tests.continuity.setup import DISCOUNTED, self_payer
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_two_rows_for_one_cover_pay_once_and_a_wrong_amount_is_not_applied():
    admin = make_user(Role.ADMIN)
    cover = self_payer(admin)
    other = self_payer(admin)
    services.run_month(actor=SYSTEM, month=dt.date(2026, 6, 1), as_of=dt.date(2026, 6, 1))
    june = period_of(dt.date(2026, 6, 1))
    row = bulk.BulkPayment(cover.pk, june, june, DISCOUNTED, "JRG1", dt.date(2026, 6, 10))
    refused = bulk.pay_many(
        actor=SYSTEM,
        channel="auto_debit",
        rows=[
            row,
            bulk.BulkPayment(cover.pk, june, june, DISCOUNTED, "JRG2", dt.date(2026, 6, 10)),
            bulk.BulkPayment(other.pk, june, june, 1, "JRG3", dt.date(2026, 6, 10)),
        ],
    )
    assert refused == {1: bulk.ALREADY_PAID, 2: bulk.AMOUNT}
    assert list(SelfPayment.objects.values_list("reference", flat=True)) == ["JRG1"]
    cover.refresh_from_db()
    assert cover.paid_through == june and cover.covered_from == cover.start_date
    assert bulk.pay_many(actor=SYSTEM, channel="auto_debit", rows=[row]) == {0: bulk.ALREADY_PAID}
