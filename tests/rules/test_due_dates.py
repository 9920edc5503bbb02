"""Due date: the 15th of the contribution month, or the next working day."""

import datetime as dt

import pytest

from jaring.rules.due_dates import due_date
from jaring.rules.errors import RuleError
from jaring.rules.rates import build_tables, parse_toml, shipped_documents


def test_the_15th_when_it_is_a_working_day():
    assert due_date(dt.date(2026, 1, 1)).date == dt.date(2026, 1, 15)  # a Thursday


def test_a_sunday_moves_to_monday():
    assert due_date(dt.date(2026, 3, 1)).date == dt.date(2026, 3, 16)


def test_cuti_bersama_then_a_weekend_moves_to_monday():
    # 15 May 2026 is cuti bersama after Kenaikan Yesus Kristus (SKB 3 Menteri 2026), a Friday.
    due = due_date(dt.date(2026, 5, 1))
    assert due.date == dt.date(2026, 5, 18)
    assert [d.date for d in due.skipped] == [dt.date(2026, 5, 15)]
    assert "SKB" in due.calendar_sources[0]


def test_a_year_without_a_holiday_calendar_is_refused():
    with pytest.raises(RuleError) as caught:
        due_date(dt.date(2025, 6, 1))
    assert caught.value.code == "calendar_missing"
    assert "2025" in caught.value.message_id


def test_a_year_loaded_as_data_is_used_and_replaces_lokal_for_that_year():
    calendar_2026 = parse_toml("""
[[holidays]]
id = "TEST-2026"
effective_from = 2026-01-01
effective_to = 2026-12-31
source = "test calendar"
[[holidays.rows]]
date = 2026-01-15
name = "a made-up holiday"
type = "libur_nasional"
""")
    docs = [{k: v for k, v in d.items() if k != "holidays"} for d in shipped_documents()]
    tables = build_tables(*docs, calendar_2026)
    assert due_date(dt.date(2026, 1, 1), tables=tables).date == dt.date(2026, 1, 16)
    # lokal-id's 15 May cuti bersama is not in this calendar any more.
    assert due_date(dt.date(2026, 5, 1), tables=tables).date == dt.date(2026, 5, 15)
