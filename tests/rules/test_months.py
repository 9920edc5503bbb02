"""The one `add_months`: months (first days) stay first days; a cover's day is kept, clamped."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from jaring.rules.months import add_months, cover_end

D = dt.date


def test_a_month_plus_months_is_the_first_of_a_month_across_years_and_backwards():
    # What billing, coverage history and the budget rely on (they pass first days).
    assert add_months(D(2025, 12, 1), 1) == D(2026, 1, 1)
    assert add_months(D(2026, 1, 1), -1) == D(2025, 12, 1)
    assert add_months(D(2026, 11, 1), -47) == D(2022, 12, 1)
    assert add_months(D(2026, 5, 1), 600) == D(2076, 5, 1)


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2200, 12, 1)), st.integers(-600, 600))
def test_a_first_day_always_lands_on_a_first_day(day, n):
    month = day.replace(day=1)
    later = add_months(month, n)
    assert later.day == 1
    assert (later.year * 12 + later.month) - (month.year * 12 + month.month) == n


def test_a_cover_keeps_its_day_and_a_short_month_clamps_it():
    # What enrolment relies on: cover from any day for whole months.
    assert add_months(D(2026, 1, 15), 5) == D(2026, 6, 15)
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2028, 1, 31), 1) == D(2028, 2, 29)
    assert add_months(D(2026, 3, 31), -1) == D(2026, 2, 28)


def test_cover_end_is_the_day_before_the_same_day_months_later():
    assert cover_end(D(2026, 1, 15), 5) == D(2026, 6, 14)
    assert cover_end(D(2026, 1, 1), 12) == D(2026, 12, 31)
    assert cover_end(D(2026, 1, 31), 1) == D(2026, 2, 27)
