"""Programme cost and budget capacity, from workers × months × the regulation's monthly rate."""

import datetime as dt

import pytest

from jaring.rules.budget import Group, capacity, cost
from jaring.rules.errors import RuleError

JAN_2025 = dt.date(2025, 1, 1)


def test_singkawang_2025_budget():
    # 7,737 vulnerable workers for 5 months and 767 oil-palm workers for 12, JKK + JKM, APBD.
    c = cost([Group(7_737, 5), Group(767, 12)], start=JAN_2025, funder="apbd")
    assert c.total == (7_737 * 5 + 767 * 12) * 16_800
    assert c.monthly_per_worker == 16_800
    assert c.per_benefit() == {
        "JKK": (7_737 * 5 + 767 * 12) * 10_000,
        "JKM": (7_737 * 5 + 767 * 12) * 6_800,
    }
    assert c.as_dict()["member_months"] == 7_737 * 5 + 767 * 12


def test_a_discount_is_counted_only_in_the_months_it_applies():
    # Self-paid, other sector, Jan–Dec 2026: 3 months full, 9 months at PP 50/2025's half rate.
    c = cost([Group(10, 12)], start=dt.date(2026, 1, 1), funder="self")
    assert c.total == 10 * (3 * 16_800 + 9 * 8_400)
    assert c.monthly_per_worker == 16_800
    by_month = c.as_dict()["by_month"]
    assert [m["total"] for m in by_month[2:4]] == [168_000, 84_000]


def test_apbd_funded_programme_in_2026_pays_the_full_rate():
    c = cost([Group(5_747, 12)], start=dt.date(2026, 1, 1), funder="apbd")
    assert c.total == 5_747 * 12 * 16_800


def test_with_jht():
    c = cost([Group(2, 3)], start=JAN_2025, funder="apbd", benefits=("JKK", "JKM", "JHT"))
    assert c.total == 2 * 3 * 36_800
    assert c.per_benefit()["JHT"] == 2 * 3 * 20_000


def test_capacity_is_the_inverse_rounded_down():
    budget = (7_737 * 5) * 16_800
    assert capacity(budget, months=5, start=JAN_2025, funder="apbd").workers == 7_737
    assert capacity(budget - 1, months=5, start=JAN_2025, funder="apbd").workers == 7_736
    one_short = capacity(budget + 84_000 - 1, months=5, start=JAN_2025, funder="apbd")
    assert one_short.workers == 7_737
    assert one_short.as_dict()["remaining"] == 84_000 - 1


def test_a_budget_smaller_than_one_worker_covers_nobody():
    assert capacity(84_000 - 1, months=5, start=JAN_2025, funder="apbd").workers == 0


@pytest.mark.parametrize(
    ("groups", "field"), [([Group(0, 5)], "workers"), ([Group(5, 0)], "months"), ([], "groups")]
)
def test_bad_groups_are_refused(groups, field):
    with pytest.raises(RuleError) as caught:
        cost(groups, start=JAN_2025, funder="apbd")
    assert caught.value.field == field


def test_an_undefined_base_is_refused():
    with pytest.raises(RuleError) as caught:
        cost([Group(10, 5, base=1_500_000)], start=JAN_2025, funder="apbd")
    assert caught.value.code == "base_undefined"
