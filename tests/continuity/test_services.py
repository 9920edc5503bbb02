"""Self-paying members: the hand-over choice, payments, the monthly run, lapses, reactivation."""

from __future__ import annotations

import datetime as dt

import pytest

from jaring.accounts.models import AuditEvent, Role
from jaring.accounts.scope import SYSTEM
from jaring.continuity import services
from jaring.continuity.models import CoverStatus, MonthStatus, SelfPayment, SelfPayMonth
from jaring.core.errors import DomainError
from tests.continuity.setup import (
    DISCOUNTED,
    FULL,
    FUNDED_END,
    SELF_START,
    funded_member,
    pay,
    self_payer,
)
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _code(exc) -> tuple[str, str | None]:
    p = exc.value.problems[0]
    return p.code.value, p.field


def test_choosing_self_paid_opens_a_cover_the_day_after_funded_cover_ends():
    admin = make_user(Role.ADMIN)
    cover = self_payer(admin)
    assert cover.start_date == SELF_START
    assert cover.income_base == 1_000_000
    assert cover.status == CoverStatus.ACTIVE
    assert AuditEvent.objects.filter(action="selfpay.opened", target_id=str(cover.pk)).exists()


def test_a_second_choice_for_the_same_membership_is_refused():
    admin = make_user(Role.ADMIN)
    m = funded_member(admin)
    self_payer(admin, m)
    with pytest.raises(DomainError) as exc:
        services.record_choice(
            actor=admin,
            membership_id=m.pk,
            data=services.ChoiceInput("stop"),
            today=dt.date(2026, 6, 1),
        )
    assert _code(exc) == ("handover_choice_recorded", "membership")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (services.ChoiceInput("maybe"), ("handover_choice_unknown", "choice")),
        (
            services.ChoiceInput("self_paid", income=1_000_000),
            ("selfpay_channel_unknown", "channel"),
        ),
        (
            services.ChoiceInput("self_paid", income=1_000_000, channel="gold"),
            ("selfpay_channel_unknown", "channel"),
        ),
        (services.ChoiceInput("self_paid", channel="bank"), ("selfpay_income_required", "income")),
        (
            services.ChoiceInput("self_paid", income=5_000_000, channel="bank"),
            ("income_undefined", "income"),
        ),
    ],
)
def test_bad_choices_are_refused_with_field_and_nothing_is_written(data, expected):
    admin = make_user(Role.ADMIN)
    m = funded_member(admin)
    with pytest.raises(DomainError) as exc:
        services.record_choice(
            actor=admin, membership_id=m.pk, data=data, today=dt.date(2026, 6, 1)
        )
    assert _code(exc) == expected


def test_an_officer_of_another_city_does_not_find_the_membership():
    admin = make_user(Role.ADMIN)
    m = funded_member(admin)
    other = make_user(Role.PROGRAMME_OFFICER, "61.71")
    with pytest.raises(DomainError) as exc:
        services.record_choice(actor=other, membership_id=m.pk, data=services.ChoiceInput("stop"))
    assert exc.value.status == 404


def test_the_hand_over_closes_when_the_first_month_could_no_longer_be_paid():
    admin = make_user(Role.ADMIN)
    m = funded_member(admin)
    with pytest.raises(DomainError) as exc:
        services.record_choice(
            actor=admin,
            membership_id=m.pk,
            data=services.ChoiceInput("stop"),
            today=dt.date(2026, 9, 15),
        )
    assert _code(exc) == ("handover_closed", "membership")


def test_first_month_paid_by_its_due_date_continues_cover_without_a_gap():
    admin = make_user(Role.ADMIN)
    cover = self_payer(admin)
    pay(cover, 1, DISCOUNTED, "TRF-1", dt.date(2026, 6, 15))
    cover.refresh_from_db()
    assert cover.covered_from == SELF_START == FUNDED_END + dt.timedelta(days=1)
    assert cover.covered_through == dt.date(2026, 7, 14)


def test_first_month_paid_late_leaves_a_gap_until_the_payment():
    admin = make_user(Role.ADMIN)
    cover = self_payer(admin)
    pay(cover, 1, DISCOUNTED, "TRF-1", dt.date(2026, 6, 20))
    cover.refresh_from_db()
    assert cover.covered_from == dt.date(2026, 6, 20)


def test_paying_months_ahead_prices_each_month_by_its_own_rules():
    """June–December 2026 are discounted (Rp8,400), January 2027 is not (Rp16,800)."""
    admin = make_user(Role.ADMIN)
    cover = self_payer(admin)
    payment = pay(cover, 8, 7 * DISCOUNTED + FULL, "TRF-8", dt.date(2026, 6, 10))
    amounts = list(
        SelfPayMonth.objects.filter(payment=payment)
        .order_by("period")
        .values_list("amount", flat=True)
    )
    assert amounts == [DISCOUNTED] * 7 + [FULL]
    cover.refresh_from_db()
    assert cover.covered_through == dt.date(2027, 2, 14)


def test_jht_is_not_discounted():
    admin = make_user(Role.ADMIN)
    cover = self_payer(admin, jht=True)
    pay(cover, 1, DISCOUNTED + 20_000, "TRF-JHT", dt.date(2026, 6, 10))


@pytest.mark.parametrize(
    ("months", "amount", "reference", "expected"),
    [
        (1, 16_800, "TRF-X", ("selfpay_amount_mismatch", "amount")),
        (0, 0, "TRF-X", ("selfpay_months_out_of_range", "months")),
        (40, 40 * 16_800, "TRF-X", ("selfpay_months_out_of_range", "months")),
        (1, DISCOUNTED, " ", ("selfpay_reference_required", "reference")),
    ],
)
def test_bad_payments_are_refused_and_nothing_is_paid(months, amount, reference, expected):
    admin = make_user(Role.ADMIN)
    cover = self_payer(admin)
    with pytest.raises(DomainError) as exc:
        pay(cover, months, amount, reference, dt.date(2026, 6, 10))
    assert _code(exc) == expected
    assert not SelfPayment.objects.exists()
    cover.refresh_from_db()
    assert cover.covered_through is None


def test_the_same_reference_twice_pays_nothing_twice():
    admin = make_user(Role.ADMIN)
    cover = self_payer(admin)
    pay(cover, 1, DISCOUNTED, "TRF-1", dt.date(2026, 6, 10))
    with pytest.raises(DomainError) as exc:
        pay(cover, 1, DISCOUNTED, "TRF-1", dt.date(2026, 6, 11))
    assert _code(exc) == ("selfpay_reference_taken", "reference")
    assert SelfPayment.objects.count() == 1
    assert SelfPayMonth.objects.filter(status=MonthStatus.PAID).count() == 1


def test_a_payment_date_in_the_future_is_refused():
    admin = make_user(Role.ADMIN)
    cover = self_payer(admin)
    with pytest.raises(DomainError) as exc:
        services.record_payment(
            actor=admin,
            cover_id=cover.pk,
            data=services.PaymentInput(1, DISCOUNTED, "bank", "T", dt.date(2026, 6, 20)),
            today=dt.date(2026, 6, 10),
        )
    assert _code(exc) == ("date_future", "paid_on")


def test_the_monthly_run_bills_once_and_skips_months_paid_ahead():
    admin = make_user(Role.ADMIN)
    ahead = self_payer(admin)
    owing = self_payer(admin)
    pay(ahead, 2, 2 * DISCOUNTED, "TRF-A", dt.date(2026, 6, 10))
    july = dt.date(2026, 7, 1)
    result = services.run_month(actor=SYSTEM, month=july, as_of=july)
    assert result.billed == 1
    again = services.run_month(actor=SYSTEM, month=july, as_of=july)
    assert again.billed == 0
    row = SelfPayMonth.objects.get(cover=owing, period=2026 * 12 + 6)
    assert row.amount == DISCOUNTED
    assert row.due_date == dt.date(2026, 7, 15)


def test_more_than_three_unpaid_months_lapse_the_cover_and_reactivation_starts_anew():
    admin = make_user(Role.ADMIN)
    cover = self_payer(admin)
    pay(cover, 1, DISCOUNTED, "TRF-JUN", dt.date(2026, 6, 10))
    for month in (7, 8, 9, 10):
        services.run_month(
            actor=SYSTEM, month=dt.date(2026, month, 1), as_of=dt.date(2026, month, 1)
        )
    # July–October unpaid; October's due date (15 Oct) passes: four months past due.
    result = services.run_month(
        actor=SYSTEM, month=dt.date(2026, 11, 1), as_of=dt.date(2026, 10, 16)
    )
    assert result.lapsed == 1 and result.months_lapsed == 4
    cover.refresh_from_db()
    assert cover.status == CoverStatus.LAPSED
    assert cover.end_date == dt.date(2026, 7, 14)
    assert AuditEvent.objects.filter(action="selfpay.lapsed", target_id=str(cover.pk)).exists()
    with pytest.raises(DomainError) as exc:
        pay(cover, 1, DISCOUNTED, "TRF-LATE", dt.date(2026, 10, 20))
    assert _code(exc) == ("selfpay_cover_not_active", "cover")
    new = services.reactivate(actor=admin, cover_id=cover.pk, start_date=dt.date(2026, 11, 2))
    assert new.previous_id == cover.pk and new.status == CoverStatus.ACTIVE
    with pytest.raises(DomainError) as exc:
        services.reactivate(actor=admin, cover_id=new.pk)
    assert _code(exc) == ("selfpay_cover_active", "cover")


def test_three_unpaid_months_are_arrears_not_a_lapse():
    admin = make_user(Role.ADMIN)
    cover = self_payer(admin)
    for month in (6, 7, 8):
        services.run_month(
            actor=SYSTEM, month=dt.date(2026, month, 1), as_of=dt.date(2026, month, 1)
        )
    result = services.run_month(actor=SYSTEM, month=dt.date(2026, 9, 1), as_of=dt.date(2026, 8, 16))
    assert result.lapsed == 0
    pay(cover, 3, 3 * DISCOUNTED, "TRF-ARR", dt.date(2026, 8, 20))
    cover.refresh_from_db()
    # Paid late: the cover starts from the payment (a gap), and runs to the months paid.
    assert cover.covered_from == dt.date(2026, 8, 20)
    assert cover.covered_through == dt.date(2026, 9, 14)


def test_the_worker_records_their_own_choice_with_nik_and_birth_date():
    admin = make_user(Role.ADMIN)
    m = funded_member(admin)
    w = m.worker
    chosen = services.record_own_choice(
        nik=w.nik,
        birth_date=w.birth_date,
        client="127.0.0.9",
        data=services.ChoiceInput("self_paid", income=1_000_000, channel="cash_agent"),
        today=dt.date(2026, 6, 1),
    )
    assert chosen.via == "worker" and chosen.recorded_by is None
    with pytest.raises(DomainError) as exc:
        services.record_own_choice(
            nik=w.nik,
            birth_date=dt.date(1900, 1, 1),
            client="127.0.0.9",
            data=services.ChoiceInput("stop"),
        )
    assert _code(exc) == ("selfpay_not_identified", "nik")


def test_a_viewer_may_not_record_a_payment():
    admin = make_user(Role.ADMIN)
    cover = self_payer(admin)
    with pytest.raises(DomainError) as exc:
        pay(cover, 1, DISCOUNTED, "T", dt.date(2026, 6, 10), actor=make_user(Role.VIEWER, "61.72"))
    assert exc.value.status == 403


def test_a_member_who_stops_keeps_the_months_paid_and_owes_nothing_more():
    admin = make_user(Role.ADMIN)
    cover = self_payer(admin)
    pay(cover, 1, DISCOUNTED, "TRF-JUN", dt.date(2026, 6, 10))
    services.run_month(actor=SYSTEM, month=dt.date(2026, 7, 1), as_of=dt.date(2026, 7, 1))
    stopped = services.stop(actor=admin, cover_id=cover.pk, note="pindah kerja")
    assert stopped.status == CoverStatus.STOPPED
    assert stopped.end_date == dt.date(2026, 7, 14)
    assert not SelfPayMonth.objects.filter(cover=cover, status=MonthStatus.DUE).exists()
    with pytest.raises(DomainError) as exc:
        services.stop(actor=admin, cover_id=cover.pk)
    assert _code(exc) == ("selfpay_cover_not_active", "cover")
