"""The scenarios against the articles: every published figure comes out of Jaring's own
calculations (rate tables, billing, claim entitlements, the money report, UCJ) from the
scenario's inputs. Pontianak loads whole (its 73 claims of 2025 need the real headcount); the
others at a small scale, where the published figures do not depend on it."""

import datetime as dt
from decimal import Decimal

import pytest

from jaring.accounts.scope import SYSTEM
from jaring.claims.models import Claim, ClaimPayment, ScholarshipYear
from jaring.coverage import selectors as coverage
from jaring.demo.scenarios import SCENARIOS, loader
from jaring.enrolment.models import Membership
from jaring.regions.models import Region
from jaring.registry.models import Worker

pytestmark = pytest.mark.django_db
RATE = 16_800  # JKK 1 % of the Rp1,000,000 base + JKM Rp6,800; APBD: no PP 50/2025 discount


def _budget(key: str, programme: int = -1) -> int:
    spec = SCENARIOS[key].programmes[programme]
    return loader.planned_budget(spec, loader.scaled(spec, 1.0))[0]


def _ucj(key: str, month: dt.date) -> Decimal:
    s = SCENARIOS[key]
    return coverage.coverage(SYSTEM, Region.objects.get(code=s.city), month).coverage_pct


def test_the_budgets_are_the_articles_headcounts_and_months_at_the_rates_in_force():
    assert _budget("singkawang-2025") == (7_737 * 5 + 767 * 12) * RATE == 804_535_200
    assert _budget("pontianak-2026") == 5_747 * 12 * RATE == 1_158_595_200
    assert _budget("pontianak-2026", 0) == 1_751 * 12 * RATE == 353_001_600
    assert _budget("bontang-2023") == 34_782 * 3 * RATE == 1_753_012_800


def test_pontianak_2025_money_and_ucj_as_published():
    result = loader.load("pontianak-2026")
    money = result.money[2025]
    # "73 claims paid, Rp3.06 billion; contributions paid about Rp353 million"
    assert (money["claims"], money["benefits_paid"]) == (73, 3_060_000_000)
    assert money["contributions_paid"] == 353_001_600
    assert Claim.objects.filter(paid_on__year=2025).count() == 73
    first, extension = result.programmes
    assert (first.members, first.paid) == (1_751, 353_001_600)
    # "5,747 members at the start" of the 2026 extension, the living 2025 members among them.
    assert extension.members == 5_747
    assert Membership.objects.filter(programme__fiscal_year=2026).values("worker").count() == 5_747
    assert Worker.objects.filter(died_on__year=2025).count() == 72
    assert extension.budget == 1_158_595_200
    for month, pct in {"2023-12": "38.35", "2024-12": "40.86", "2025-12": "40.37"}.items():
        assert _ucj("pontianak-2026", dt.date.fromisoformat(month + "-01")) == Decimal(pct)
    assert result.coverage["target_pct"] == "45.00"


def test_bontang_pays_120_million_to_the_heirs_of_two_members():
    result = loader.load("bontang-2023", scale=0.01)
    money = result.money[2023]
    assert (money["claims"], money["benefits_paid"]) == (2, 120_000_000)
    # Paid in 2023: two JKM lump sums of Rp42 million and three first-year scholarships of
    # 2023/2024 at the university level (Rp12 million each); nothing booked ahead as paid.
    payments = ClaimPayment.objects.order_by("amount", "reference")
    assert [(p.amount, p.scholarship_year_id is not None) for p in payments] == [
        (12_000_000, True), (12_000_000, True), (12_000_000, True),
        (42_000_000, False), (42_000_000, False),
    ]  # fmt: skip
    assert {p.paid_on.year for p in payments} == {2023}
    assert set(
        ScholarshipYear.objects.filter(status="paid").values_list("school_year", flat=True)
    ) == {2023}
    # The later school years are the city's future liability, not paid.
    assert money["benefits_owed_later"] == (102_000_000 + 138_000_000) - 120_000_000
    assert sorted(Claim.objects.values_list("total", flat=True)) == [102_000_000, 138_000_000]
    assert set(Claim.objects.values_list("paid_on", flat=True)) == {dt.date(2023, 10, 12)}
    (programme,) = result.programmes
    assert programme.paid == programme.billed == programme.budget  # 3 months, all paid
    assert _ucj("bontang-2023", dt.date(2023, 12, 1)) == Decimal("95.00")


def test_singkawang_bills_its_budget_and_reaches_27_percent():
    result = loader.load("singkawang-2025", scale=0.02)
    (programme,) = result.programmes
    assert programme.billed == programme.budget == (155 * 5 + 15 * 12) * RATE
    assert result.coverage["coverage_pct"] == "27.00"
