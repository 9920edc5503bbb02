"""Month arithmetic for cover and billing: one `add_months` for every caller.

A month is the date of its first day (billing months, coverage months, rate-table months); a
cover runs from any day for a number of months. `add_months` keeps the day of the month and
clamps it to the month's length, so it serves both: the first of a month stays the first, and
31 January + 1 month is the last day of February.
"""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """15 Jan + 5 → 15 Jun; 1 Dec 2025 + 1 → 1 Jan 2026; 31 Jan 2026 + 1 → 28 Feb 2026."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def cover_end(start: dt.date, months: int) -> dt.date:
    """The last covered day: 15 Jan + 5 months → 14 Jun."""
    return add_months(start, months) - dt.timedelta(days=1)


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day `years` earlier (an age limit); 29 February → 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)
