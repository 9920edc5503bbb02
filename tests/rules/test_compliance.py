"""Employer compliance rules: UMK, size classes, PU contributions owed, the fine, working days."""

import datetime as dt
from fractions import Fraction

import pytest

from jaring.rules.compliance import (
    amount_text,
    build_compliance_tables,
    default_compliance_tables,
    shipped_document,
)
from jaring.rules.errors import RuleError, TableError

T = default_compliance_tables()
DAY = dt.date(2026, 6, 1)


@pytest.mark.parametrize(
    ("region", "year", "umk"),
    [
        ("61.71", 2026, 3_205_220),
        ("61.72", 2026, 3_247_387),
        ("64.74", 2026, 3_799_480),
        ("61.71", 2025, 3_024_820),
        ("61.72", 2025, 3_074_566),
    ],
)
def test_umk_of_the_three_cities(region, year, umk):
    assert T.wage_check(region, year, 0).umk == umk


def test_bontang_2025_keeps_its_cents():
    check = T.wage_check("64.74", 2025, 3_780_012)
    assert check.umk == Fraction("3780012.66")
    assert check.below_umk
    assert amount_text(check.umk) == "Rp3.780.012,66"
    assert check.as_dict()["umk"] == 3780012.66


def test_wage_check_at_and_under_umk():
    under = T.wage_check("61.72", 2026, 3_000_000).as_dict()
    assert under["below_umk"] is True and under["shortfall"] == 247_387
    assert T.wage_check("61.72", 2026, 3_247_387).below_umk is False


def test_an_unknown_year_or_city_is_refused_not_guessed():
    with pytest.raises(RuleError) as caught:
        T.wage_check("61.71", 2024, 1)
    assert caught.value.code == "umk_unknown" and caught.value.field == "region"


@pytest.mark.parametrize(
    ("given", "size", "criterion"),
    [
        ({"capital": 1_000_000_000}, "micro", "capital"),
        ({"capital": 1_000_000_001}, "small", "capital"),
        ({"capital": 12_000_000_000}, "large", "capital"),
        ({"turnover": 14_000_000_000}, "small", "turnover"),
        ({"workers": 4}, "micro", "workers"),
        ({"workers": 12}, "small", "workers"),
        ({"workers": 100}, "large", "workers"),
        # Capital decides when several are known (PP 7/2021 before BPS).
        ({"capital": 500_000_000, "workers": 50}, "micro", "capital"),
    ],
)
def test_size_class_by_the_first_known_criterion(given, size, criterion):
    result = T.size_class(day=DAY, **given)
    assert (result.size_class, result.criterion) == (size, criterion)


def test_size_class_needs_a_figure():
    with pytest.raises(RuleError) as caught:
        T.size_class(day=DAY)
    assert caught.value.code == "size_no_criterion"


def test_bps_thresholds_are_marked_unconfirmed():
    assert T.size_class(workers=3, day=DAY).as_dict()["status"] == "NC"


def test_owed_per_programme_with_jp_capped_at_its_ceiling():
    owed = T.owed(wage=20_000_000, workers=2, months=3, risk_class=1, day=DAY)
    assert owed.per_worker == {
        "JKK": 48_000,  # 0.24 %
        "JKM": 60_000,  # 0.30 %
        "JHT": 1_140_000,  # 3.7 % + 2 %
        "JP": 316_422,  # 3 % of the ceiling Rp10,547,400
    }
    assert owed.total == sum(owed.per_worker.values()) * 2 * 3
    assert owed.rates_version.status == "NC"


def test_owed_only_for_the_programmes_given_and_an_unknown_risk_class():
    assert set(
        T.owed(wage=1, workers=1, months=1, risk_class=5, programmes=("JKK",), day=DAY).per_worker
    ) == {"JKK"}
    with pytest.raises(RuleError) as caught:
        T.owed(wage=1, workers=1, months=1, risk_class=6, day=DAY)
    assert caught.value.code == "risk_class_unknown"


def test_mandatory_programmes_by_size():
    assert T.mandatory_programmes("micro", DAY) == ("JKK", "JKM", "JHT")
    assert "JP" in T.mandatory_programmes("medium", DAY)


def test_fine_is_a_tenth_of_a_percent_per_month():
    fine = T.fine(owed=10_000_000, months=3, day=DAY)
    assert (fine.per_month, fine.fine) == (10_000, 30_000)
    assert fine.as_dict()["fine"] == 30_000


def test_ten_working_days_skip_weekends_and_holidays():
    # From Monday 16 March 2026: Nyepi, Idulfitri and its cuti bersama, then Good Friday.
    deadline = T.add_working_days(dt.date(2026, 3, 16), 10)
    assert deadline.date == dt.date(2026, 4, 7)
    assert dt.date(2026, 3, 20) in {d.date for d in deadline.skipped}
    # A plain fortnight: Monday 2 November 2026 → Monday 16 November.
    assert T.add_working_days(dt.date(2026, 11, 2), 10).date == dt.date(2026, 11, 16)


def test_working_days_into_a_year_without_a_calendar_are_refused():
    with pytest.raises(RuleError) as caught:
        T.add_working_days(dt.date(2027, 12, 20), 30)
    assert caught.value.code == "calendar_missing"


def test_size_thresholds_out_of_order_are_refused():
    doc = shipped_document()
    rows = doc["size_classes"][0]["rows"]
    rows[0]["up_to"], rows[1]["up_to"] = rows[1]["up_to"], rows[0]["up_to"]
    with pytest.raises(TableError) as caught:
        build_compliance_tables(doc)
    assert caught.value.code == "table_thresholds_order"


def test_an_unconfirmed_version_needs_its_note():
    doc = shipped_document()
    del doc["pu_rates"][0]["note"]
    with pytest.raises(TableError) as caught:
        build_compliance_tables(doc)
    assert caught.value.code == "table_nc_without_note"
