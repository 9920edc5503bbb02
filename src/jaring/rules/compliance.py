"""Employer compliance as pure functions: UMK, size class, PU contributions owed, the fine, and
deadlines in working days.

The figures live in `rules/data/compliance.toml` (dated versions, each row with its source and
NC where unconfirmed); `default_compliance_tables()` reads it, `build_compliance_tables(...)`
takes the same mappings from elsewhere. Working days use the holiday calendar of the main rule
tables (`due_dates.calendar`), so a year without a calendar is refused, never guessed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from importlib import resources
from itertools import pairwise

from jaring.rules.due_dates import DayOff, calendar
from jaring.rules.errors import RuleCode, RuleError, TableError
from jaring.rules.messages import Reason
from jaring.rules.rates import REASONS as TABLE_REASONS
from jaring.rules.rates import Cited, RuleTables, default_tables, parse_toml
from jaring.rules.tables import (
    Fields,
    Meta,
    Versions,
    percent_of,
    percent_text,
    read_versions,
    rupiah,
)

SIZE_CLASSES = ("micro", "small", "medium", "large")
# The order a size is decided in when several figures are known (PP 7/2021 first, then BPS).
CRITERIA = ("capital", "turnover", "workers")
PROGRAMMES = ("JKK", "JKM", "JHT", "JP")
RISK_CLASSES = (1, 2, 3, 4, 5)
DATA_FILE = "compliance.toml"

REASONS = {
    "umk_unknown": Reason(
        RuleCode.UMK_UNKNOWN,
        "UMK wilayah {region} tahun {year} belum ada di tabel aturan ({known}).",
        "The minimum wage (UMK) of region {region} for {year} is not in the rule tables ({known}).",
    ),
    "no_criterion": Reason(
        RuleCode.SIZE_NO_CRITERION,
        "Skala usaha tidak bisa ditentukan: isi modal usaha, hasil penjualan tahunan, atau "
        "jumlah tenaga kerja.",
        "The business size cannot be decided: give the capital, the yearly turnover or the "
        "number of workers.",
    ),
    "risk_class": Reason(
        RuleCode.RISK_CLASS_UNKNOWN,
        "Kelompok risiko JKK {value} tidak ada di tabel {version} (1–5).",
        "JKK risk class {value} is not in table {version} (1–5).",
    ),
    "thresholds": Reason(
        RuleCode.TABLE_THRESHOLDS_ORDER,
        "{where}: batas atas kriteria '{criterion}' harus naik dari mikro ke menengah.",
        "{where}: the upper bounds of criterion '{criterion}' must rise from micro to medium.",
    ),
}


def _choice(f: Fields, key: str, value: object, allowed: tuple) -> object:
    if value not in allowed:
        raise TableError(
            TABLE_REASONS["choice"],
            where=f.where,
            key=key,
            value=value,
            allowed=", ".join(str(a) for a in allowed),
        )
    return value


def amount_value(amount: Fraction) -> int | float:
    """A rupiah figure for JSON: a whole number when it is one."""
    return amount.numerator if amount.denominator == 1 else float(amount)


def amount_text(amount: Fraction) -> str:
    """Rp3.780.012,66: a rupiah figure with its cents when it has any."""
    whole = math.floor(amount)
    cents = round((amount - whole) * 100)
    return rupiah(whole) + (f",{cents:02d}" if cents else "")


# --- UMK -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UmkRow:
    region: str
    amount: Fraction
    cited: Cited


@dataclass(frozen=True, slots=True)
class UmkYear:
    meta: Meta
    rows: Mapping[str, UmkRow]

    @classmethod
    def build(cls, meta: Meta, f: Fields) -> UmkYear:
        rows = {}
        for r in f.rows("rows"):
            # Rupiah with cents ("3780012.66") is read like a percentage: exact, never a float.
            row = UmkRow(r.text("region"), r.percent("amount"), Cited.read(r, meta.source))
            if row.region in rows:
                raise TableError(
                    TABLE_REASONS["rows_overlap"],
                    where=f.where,
                    first=row.region,
                    second=row.region,
                    what=row.region,
                )
            rows[row.region] = row
            r.done()
        return cls(meta, rows)


@dataclass(frozen=True, slots=True)
class WageCheck:
    region: str
    year: int
    wage: int
    umk: Fraction
    version: Meta
    cited: Cited

    @property
    def below_umk(self) -> bool:
        return self.wage < self.umk

    @property
    def shortfall(self) -> Fraction:
        return max(self.umk - self.wage, Fraction(0))

    def as_dict(self) -> dict[str, object]:
        return {
            "region": self.region,
            "year": self.year,
            "wage": self.wage,
            "umk": amount_value(self.umk),
            "below_umk": self.below_umk,
            "shortfall": amount_value(self.shortfall),
            "rule_version": self.version.id,
            "source": self.cited.source,
            "status": self.cited.status,
            "note": self.cited.note,
        }


# --- Size classes ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Threshold:
    criterion: str
    size_class: str
    up_to: int
    cited: Cited


@dataclass(frozen=True, slots=True)
class SizeTable:
    meta: Meta
    thresholds: tuple[Threshold, ...]

    @classmethod
    def build(cls, meta: Meta, f: Fields) -> SizeTable:
        rows = []
        for r in f.rows("rows"):
            rows.append(
                Threshold(
                    _choice(r, "criterion", r.text("criterion"), CRITERIA),
                    _choice(r, "class", r.text("class"), SIZE_CLASSES[:-1]),
                    r.integer("up_to"),
                    Cited.read(r, meta.source),
                )
            )
            r.done()
        for criterion in CRITERIA:
            bounds = [t for t in rows if t.criterion == criterion]
            order = [SIZE_CLASSES.index(t.size_class) for t in bounds]
            if order != sorted(order) or any(a.up_to >= b.up_to for a, b in pairwise(bounds)):
                raise TableError(REASONS["thresholds"], where=f.where, criterion=criterion)
        return cls(meta, tuple(rows))


@dataclass(frozen=True, slots=True)
class SizeClass:
    size_class: str
    criterion: str
    value: int
    threshold: Threshold | None  # None: above every bound (large)
    version: Meta

    def as_dict(self) -> dict[str, object]:
        t = self.threshold
        return {
            "size_class": self.size_class,
            "criterion": self.criterion,
            "value": self.value,
            "up_to": t.up_to if t else None,
            "source": t.cited.source if t else self.version.source,
            "status": t.cited.status if t else self.version.status,
            "rule_version": self.version.id,
        }


# --- PU rates --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PuRates:
    meta: Meta
    jkk: Mapping[int, tuple[Fraction, Cited]]
    jkm: Fraction
    jht_employer: Fraction
    jht_worker: Fraction
    jp_employer: Fraction
    jp_worker: Fraction
    mandatory: Mapping[str, tuple[str, ...]]

    @classmethod
    def build(cls, meta: Meta, f: Fields) -> PuRates:
        jkk = {}
        for r in f.rows("jkk"):
            risk = _choice(r, "risk_class", r.integer("risk_class"), RISK_CLASSES)
            jkk[risk] = (r.percent("percent"), Cited.read(r, meta.source))
            r.done()
        mandatory = {}
        for r in f.rows("mandatory"):
            size = _choice(r, "class", r.text("class"), SIZE_CLASSES)
            mandatory[size] = tuple(
                _choice(r, "programmes", p, PROGRAMMES) for p in r.strings("programmes")
            )
            r.done()
        return cls(
            meta,
            jkk,
            jkm=f.percent("jkm"),
            jht_employer=f.percent("jht_employer"),
            jht_worker=f.percent("jht_worker"),
            jp_employer=f.percent("jp_employer"),
            jp_worker=f.percent("jp_worker"),
            mandatory=mandatory,
        )


@dataclass(frozen=True, slots=True)
class Ceiling:
    meta: Meta
    amount: int

    @classmethod
    def build(cls, meta: Meta, f: Fields) -> Ceiling:
        return cls(meta, f.integer("amount"))


@dataclass(frozen=True, slots=True)
class Owed:
    """Contributions that should have been paid for `workers` at `wage` for `months`."""

    wage: int
    workers: int
    months: int
    risk_class: int
    per_worker: Mapping[str, int]  # programme → employer + worker share, one month
    formulas: Mapping[str, str]
    rates_version: Meta
    ceiling_version: Meta | None

    @property
    def monthly(self) -> int:
        return sum(self.per_worker.values()) * self.workers

    @property
    def total(self) -> int:
        return self.monthly * self.months

    def as_dict(self) -> dict[str, object]:
        return {
            "wage": self.wage,
            "workers": self.workers,
            "months": self.months,
            "risk_class": self.risk_class,
            "per_worker": dict(self.per_worker),
            "formulas": dict(self.formulas),
            "monthly": self.monthly,
            "owed": self.total,
            "rates_version": self.rates_version.id,
            "rates_status": self.rates_version.status,
            "jp_ceiling_version": self.ceiling_version.id if self.ceiling_version else None,
        }


# --- Sanctions -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sanctions:
    meta: Meta
    warnings: int
    warning_working_days: int
    fine_percent_per_month: Fraction
    fine_due_days: int
    late_payment_percent_per_month: Fraction
    cuti_bersama_is_day_off: bool

    @classmethod
    def build(cls, meta: Meta, f: Fields) -> Sanctions:
        return cls(
            meta,
            warnings=f.integer("warnings"),
            warning_working_days=f.integer("warning_working_days"),
            fine_percent_per_month=f.percent("fine_percent_per_month"),
            fine_due_days=f.integer("fine_due_days"),
            late_payment_percent_per_month=f.percent("late_payment_percent_per_month"),
            cuti_bersama_is_day_off=f.flag("cuti_bersama_is_day_off"),
        )


@dataclass(frozen=True, slots=True)
class Fine:
    owed: int
    months: int
    percent: Fraction
    version: Meta

    @property
    def per_month(self) -> int:
        return percent_of(self.owed, self.percent)

    @property
    def fine(self) -> int:
        return self.per_month * self.months

    @property
    def formula(self) -> str:
        return f"{percent_text(self.percent)} % × {rupiah(self.owed)} × {self.months}"

    def as_dict(self) -> dict[str, object]:
        return {
            "fine": self.fine,
            "owed": self.owed,
            "months": self.months,
            "percent_per_month": percent_text(self.percent),
            "per_month": self.per_month,
            "formula": self.formula,
            "rule_version": self.version.id,
            "source": self.version.source,
            "status": self.version.status,
            "note": self.version.note,
        }


@dataclass(frozen=True, slots=True)
class Deadline:
    start: dt.date
    working_days: int
    date: dt.date
    skipped: tuple[DayOff, ...]
    calendar_sources: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "start": self.start.isoformat(),
            "working_days": self.working_days,
            "deadline": self.date.isoformat(),
            "skipped_holidays": [
                {"date": d.date.isoformat(), "name": d.name} for d in self.skipped
            ],
            "calendar_sources": list(self.calendar_sources),
        }


# --- The tables together ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ComplianceTables:
    umk: Versions[UmkYear]
    size_classes: Versions[SizeTable]
    pu_rates: Versions[PuRates]
    jp_wage_ceiling: Versions[Ceiling]
    sanctions: Versions[Sanctions]

    def wage_check(self, region: str, year: int, wage: int) -> WageCheck:
        day = dt.date(year, 1, 1)
        version = next((v for v in self.umk if v.meta.covers(day)), None)
        row = version.rows.get(region) if version else None
        if row is None:
            known = "; ".join(
                f"{v.meta.effective_from.year}: {', '.join(v.rows)}" for v in self.umk
            )
            raise RuleError(
                REASONS["umk_unknown"], field="region", region=region, year=year, known=known
            )
        return WageCheck(region, year, wage, row.amount, version.meta, row.cited)

    def size_class(
        self,
        *,
        capital: int | None = None,
        turnover: int | None = None,
        workers: int | None = None,
        day: dt.date,
    ) -> SizeClass:
        """The class by the first criterion known, in the order of CRITERIA."""
        table = self.size_classes.in_force(day)
        known = {"capital": capital, "turnover": turnover, "workers": workers}
        for criterion in CRITERIA:
            value = known[criterion]
            if value is None:
                continue
            for t in table.thresholds:
                if t.criterion == criterion and value <= t.up_to:
                    return SizeClass(t.size_class, criterion, value, t, table.meta)
            return SizeClass("large", criterion, value, None, table.meta)
        raise RuleError(REASONS["no_criterion"], field="size")

    def mandatory_programmes(self, size_class: str, day: dt.date) -> tuple[str, ...]:
        return self.pu_rates.in_force(day).mandatory.get(size_class, PROGRAMMES)

    def owed(
        self,
        *,
        wage: int,
        workers: int,
        months: int,
        risk_class: int,
        programmes: tuple[str, ...] = PROGRAMMES,
        day: dt.date,
    ) -> Owed:
        rates = self.pu_rates.in_force(day)
        if risk_class not in rates.jkk:
            raise RuleError(
                REASONS["risk_class"], field="risk_class", value=risk_class, version=rates.meta.id
            )
        percents = {
            "JKK": rates.jkk[risk_class][0],
            "JKM": rates.jkm,
            "JHT": rates.jht_employer + rates.jht_worker,
            "JP": rates.jp_employer + rates.jp_worker,
        }
        ceiling = self.jp_wage_ceiling.in_force(day) if "JP" in programmes else None
        per_worker, formulas = {}, {}
        for programme in programmes:
            base = min(wage, ceiling.amount) if programme == "JP" else wage
            per_worker[programme] = percent_of(base, percents[programme])
            formulas[programme] = f"{percent_text(percents[programme])} % × {rupiah(base)}"
        return Owed(
            wage,
            workers,
            months,
            risk_class,
            per_worker,
            formulas,
            rates.meta,
            ceiling.meta if ceiling else None,
        )

    def fine(self, *, owed: int, months: int, day: dt.date) -> Fine:
        """PP 86/2013: 0.1 % per month of the contributions that should have been paid."""
        rule = self.sanctions.in_force(day)
        return Fine(owed, months, rule.fine_percent_per_month, rule.meta)

    def add_working_days(
        self, start: dt.date, days: int, *, tables: RuleTables | None = None
    ) -> Deadline:
        """The `days`-th working day after `start` (a letter's date), skipping weekends and the
        holidays of the rule tables' calendar."""
        tables = tables or default_tables()
        rule = self.sanctions.in_force(start)
        calendars = {}
        skipped: list[DayOff] = []
        day, left = start, days
        while left:
            day += dt.timedelta(days=1)
            if day.year not in calendars:
                calendars[day.year] = calendar(day.year, tables)
            off = calendars[day.year].days_off.get(day)
            if off and off.type == "cuti_bersama" and not rule.cuti_bersama_is_day_off:
                off = None
            if off and day.weekday() < 5:
                skipped.append(off)
            if day.weekday() < 5 and off is None:
                left -= 1
        return Deadline(
            start, days, day, tuple(skipped), tuple(c.source for c in calendars.values())
        )


_VERSIONED = {
    "umk": UmkYear.build,
    "size_classes": SizeTable.build,
    "pu_rates": PuRates.build,
    "jp_wage_ceiling": Ceiling.build,
    "sanctions": Sanctions.build,
}


def build_compliance_tables(*documents: Mapping[str, object]) -> ComplianceTables:
    merged: dict[str, list[object]] = {}
    for document in documents:
        for name, versions in document.items():
            if name not in _VERSIONED:
                raise TableError(
                    TABLE_REASONS["unknown_table"], table=name, known=", ".join(_VERSIONED)
                )
            if not isinstance(versions, list):
                raise Fields._type_error(name, name, "list")
            merged.setdefault(name, []).extend(versions)
    for name in _VERSIONED:
        if name not in merged:
            raise TableError(TABLE_REASONS["missing_table"], table=name)
    return ComplianceTables(
        **{name: read_versions(name, merged[name], build) for name, build in _VERSIONED.items()}
    )


def shipped_document() -> dict[str, object]:
    text = resources.files("jaring.rules").joinpath("data", DATA_FILE).read_text("utf-8")
    return parse_toml(text)


@cache
def default_compliance_tables() -> ComplianceTables:
    return build_compliance_tables(shipped_document())
