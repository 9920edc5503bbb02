"""Scholarships as BPJS pays them (PP 82/2019, RULES.md): one entitlement per school year while
the child is in school; a child not of school age waits; vocational training counts at the
university level; nothing after the child turns 23. And the shipped disability table."""

import datetime as dt

import pytest

from jaring.rules.benefits import (
    Child,
    calculate,
    check_school_year,
    parse_school_year,
)
from jaring.rules.errors import RuleError
from jaring.rules.rates import default_tables

EVENT = dt.date(2023, 10, 7)  # school year 2023/2024
TABLE = default_tables().scholarship.in_force(EVENT)


def schedule(*children, kind="jkk-death"):
    r = calculate(kind, event_date=EVENT, claimed_on=EVENT, wage=1_000_000, children=list(children))
    return r, [(row["school_year"], row["level"], row["amount"]) for row in r.schedule]


def test_a_child_in_sma_is_entitled_year_by_year_from_the_event_school_year():
    child = Child(birth_date=dt.date(2007, 5, 1), level="sma", grade=2, name="Ani")
    r, rows = schedule(child)
    assert rows[:3] == [
        ("2023/2024", "sma", 3_000_000),
        ("2024/2025", "sma", 3_000_000),
        ("2025/2026", "university", 12_000_000),
    ]
    # University until the year she turns 23 (1 May 2030): 2025/26 … 2029/30, five years.
    assert [y for y, level, _ in rows if level == "university"] == [
        "2025/2026", "2026/2027", "2027/2028", "2028/2029", "2029/2030",
    ]  # fmt: skip
    assert r.as_dict()["schedule"][0] == {
        "school_year": "2023/2024", "child": "Ani", "level": "sma", "amount": 3_000_000,
    }  # fmt: skip


def test_a_child_not_of_school_age_waits_and_is_not_refused():
    toddler = Child(birth_date=dt.date(2021, 9, 1), level=None, name="Budi")  # 2 at the event
    r, rows = schedule(toddler)
    assert r.refusals == ()
    # 4 on 1 July 2026: TK from 2026/2027, two years, then SD.
    assert rows[:3] == [
        ("2026/2027", "tk", 1_500_000),
        ("2027/2028", "tk", 1_500_000),
        ("2028/2029", "sd", 1_500_000),
    ]
    [item] = [i for i in r.items if i.code == "scholarship"]
    assert item.formula.startswith("menunggu usia sekolah, mulai 2026/2027")
    assert item.amount == 87_000_000


def test_vocational_training_is_paid_at_the_university_level():
    trainee = Child(birth_date=dt.date(2004, 1, 1), level="training", name="Citra")  # 19
    _, rows = schedule(trainee)
    assert rows == [
        ("2023/2024", "training", 12_000_000),
        ("2024/2025", "training", 12_000_000),
        ("2025/2026", "training", 12_000_000),
        ("2026/2027", "training", 12_000_000),
    ]  # 23 on 1 January 2027: 2027/2028 is not paid


def test_a_school_year_after_the_child_turned_23_is_refused():
    born = dt.date(2004, 1, 1)
    check_school_year(TABLE, birth_date=born, year=2026, event=EVENT, child="Citra")
    with pytest.raises(RuleError) as caught:
        check_school_year(TABLE, birth_date=born, year=2027, event=EVENT, child="Citra")
    assert (caught.value.code, caught.value.field) == ("school_year_after_age_limit", "school_year")
    assert "2027/2028" in caught.value.message_en and "23" in caught.value.message_id


@pytest.mark.parametrize("text", ["2024", "2024/2026", "24/25", "2024-2025", ""])
def test_a_school_year_is_two_consecutive_years(text):
    with pytest.raises(RuleError) as caught:
        parse_school_year(text)
    assert caught.value.code == "school_year_invalid"
    assert parse_school_year(" 2024/2025 ") == 2024


def test_every_shipped_disability_row_names_its_public_source():
    table = default_tables().disability_percentages.in_force(EVENT)
    assert table.meta.status == "NC" and "[NC]" in table.meta.note
    assert len(table.rows) >= 30
    for row in table.rows.values():
        assert row.cited.source and row.cited.source != table.meta.source, row.code
    assert table.percent_for("mata_kedua").percent == 70
    assert table.percent_for("pendengaran_kedua").percent == 40
    assert table.percent_for("lengan_kiri_bahu").percent == 35
