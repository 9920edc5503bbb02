"""BPU contributions, with figures taken from the regulation text (RULES.md), not from the code."""

import datetime as dt

import pytest

from jaring.rules.contributions import contribution, contribution_months
from jaring.rules.errors import RuleError

MAY_2026 = dt.date(2026, 5, 1)
FEB_2026 = dt.date(2026, 2, 1)
JAN_2025 = dt.date(2025, 1, 1)


def test_jkk_jkm_at_the_minimum_base_is_16800():
    c = contribution(income=1_000_000, month=JAN_2025, funder="apbd")
    # JKK 1 % of Rp1,000,000 and JKM flat Rp6,800 (PP 44/2015 as amended).
    assert (c.base, c.jkk, c.jkm, c.jht, c.total) == (1_000_000, 10_000, 6_800, 0, 16_800)
    assert c.discounts == ()


def test_with_jht_it_is_36800():
    c = contribution(
        income=1_000_000, month=JAN_2025, funder="self", benefits={"JKK", "JKM", "JHT"}
    )
    assert (c.jht, c.total) == (20_000, 36_800)


def test_an_income_below_the_minimum_uses_the_minimum_base():
    assert contribution(income=250_000, month=JAN_2025, funder="self").base == 1_000_000
    assert contribution(income=1_099_999, month=JAN_2025, funder="self").base == 1_000_000


def test_pp50_2025_halves_self_paid_jkk_jkm_for_other_sectors_from_april_2026():
    c = contribution(income=1_000_000, month=MAY_2026, funder="self", sector="other")
    assert (c.jkk, c.jkm, c.total) == (5_000, 3_400, 8_400)
    assert [d.id for d in c.discounts] == ["PP50-2025"]
    assert c.discounts[0].amount == 8_400
    assert "PP50-2025" in c.rule_version


def test_pp50_2025_does_not_cover_workers_funded_by_apbd_or_apbn():
    for funder in ("apbd", "apbn"):
        c = contribution(income=1_000_000, month=MAY_2026, funder=funder, sector="other")
        assert c.total == 16_800
        assert c.discounts == ()


def test_pp50_2025_does_not_discount_jht():
    c = contribution(
        income=1_000_000, month=MAY_2026, funder="self", benefits=("JKK", "JKM", "JHT")
    )
    assert (c.jht, c.total) == (20_000, 8_400 + 20_000)


def test_pp50_2025_transport_starts_in_january_2026_others_in_april():
    transport = contribution(income=1_000_000, month=FEB_2026, funder="self", sector="transport")
    other = contribution(income=1_000_000, month=FEB_2026, funder="self", sector="other")
    assert transport.total == 8_400
    assert other.total == 16_800


@pytest.mark.parametrize(
    ("sector", "month", "total"),
    [
        ("transport", dt.date(2025, 12, 1), 16_800),
        ("transport", dt.date(2026, 1, 1), 8_400),
        ("transport", dt.date(2027, 3, 1), 8_400),
        ("transport", dt.date(2027, 4, 1), 16_800),
        ("other", dt.date(2026, 3, 1), 16_800),
        ("other", dt.date(2026, 4, 1), 8_400),
        ("other", dt.date(2026, 12, 1), 8_400),
        ("other", dt.date(2027, 1, 1), 16_800),
    ],
)
def test_pp50_2025_period_edges(sector, month, total):
    assert contribution(income=1_000_000, month=month, funder="self", sector=sector).total == total


def test_pp49_2020_cuts_jkk_and_jkm_by_99_percent_and_says_it_is_unconfirmed():
    c = contribution(income=1_000_000, month=dt.date(2020, 9, 1), funder="apbd")
    # 1 % of 10,000 and of 6,800 remain.
    assert (c.jkk, c.jkm) == (100, 68)
    assert c.discounts[0].status == "NC"
    # RULES.md confirms the 99 % cut "for a period in 2020", not its months.
    assert "[NC] The months are not in RULES.md" in c.discounts[0].note
    assert "end month" in c.discounts[0].note


def test_contribution_months_are_whole_months_counted_from_the_start_day():
    # RULES.md: contributions are monthly, never prorated. 12 months from 10 Feb 2026 (to
    # 9 Feb 2027) owe 12 contributions, February 2026 to January 2027.
    feb_2026 = 2026 * 12 + 1
    assert contribution_months(dt.date(2026, 2, 10), dt.date(2027, 2, 9)) == range(
        feb_2026, feb_2026 + 12
    )
    # A cover that ends early owes every contribution month it began: from 20 May, ended
    # 5 July → May and June (June's month runs to 19 July); ended 20 July → July too.
    may = 2026 * 12 + 4
    assert contribution_months(dt.date(2026, 5, 20), dt.date(2026, 7, 5)) == range(may, may + 2)
    assert contribution_months(dt.date(2026, 5, 20), dt.date(2026, 7, 20)) == range(may, may + 3)
    # A few days of cover still owe one whole month; a start on the 31st begins on the last
    # day of shorter months.
    assert len(contribution_months(dt.date(2026, 5, 20), dt.date(2026, 5, 21))) == 1
    assert len(contribution_months(dt.date(2026, 1, 31), dt.date(2026, 2, 27))) == 1
    assert len(contribution_months(dt.date(2026, 1, 31), dt.date(2026, 2, 28))) == 2
    assert contribution_months(dt.date(2026, 5, 20), dt.date(2026, 5, 19)) == range(0)


def test_the_base_can_be_given_directly_when_the_table_defines_it():
    assert contribution(base=1_000_000, month=JAN_2025, funder="apbd").total == 16_800


def test_an_income_the_table_does_not_define_is_refused_naming_the_income():
    with pytest.raises(RuleError) as caught:
        contribution(income=2_500_000, month=JAN_2025, funder="self")
    err = caught.value
    assert err.code == "income_undefined"
    assert err.field == "income"
    assert "Rp2.500.000" in err.message_id
    assert "Rp2.500.000" in err.message_en
    assert "incomplete" in err.message_en


def test_a_base_the_table_does_not_define_is_refused():
    with pytest.raises(RuleError) as caught:
        contribution(base=1_500_000, month=JAN_2025, funder="apbd")
    assert caught.value.code == "base_undefined"
    assert "Rp1.000.000" in caught.value.message_en  # the bases it does know


def test_no_table_before_bpu_rates_took_effect():
    with pytest.raises(RuleError) as caught:
        contribution(income=1_000_000, month=dt.date(2014, 1, 1), funder="self")
    assert caught.value.code == "rule_no_version"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"income": 1_000_000, "funder": "bank"}, "funder"),
        ({"income": 1_000_000, "funder": "self", "sector": "mining"}, "sector"),
        ({"income": 1_000_000, "funder": "self", "benefits": ["JKP"]}, "benefits"),
        ({"income": 1_000_000, "funder": "self", "benefits": []}, "benefits"),
        ({"income": 0, "funder": "self"}, "income"),
        ({"funder": "self"}, "income"),
        ({"income": 1_000_000, "base": 1_000_000, "funder": "self"}, "income"),
    ],
)
def test_bad_arguments_are_refused_naming_the_argument(kwargs, field):
    with pytest.raises(RuleError) as caught:
        contribution(month=JAN_2025, **kwargs)
    assert caught.value.field == field
