"""The regulation tables Jaring calculates with, loaded from TOML text or from mappings.

`default_tables()` reads the files shipped in `rules/data/`. A database layer stores the same
mappings (dates may be ISO strings, so JSON works) and calls `build_tables(...)`; an admin's
imported file goes through `load_tables(text)`. Everything is validated on load: a malformed
row, a figure marked NC without a note, or two versions of a table in force on the same day are
refused with a message saying where.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from importlib import resources
from itertools import pairwise

from jaring.rules.errors import RuleCode, RuleError, TableError
from jaring.rules.messages import Reason
from jaring.rules.tables import (
    Fields,
    Meta,
    Versions,
    month_text,
    percent_of,
    percent_text,
    read_versions,
    rupiah,
    table_error,
)

BENEFITS = ("JKK", "JKM", "JHT")
SECTORS = ("transport", "other")
# Who pays the contribution: the worker, a city/province budget (APBD), the state budget (APBN),
# a village budget (APBDes), a company (CSR) or another source.
# "apbdes": a village budget, excluded from PP 50/2025's discount by default (unconfirmed);
# "apbdes_pp50": a village budget whose programme says the discount applies.
FUNDERS = ("self", "apbd", "apbn", "apbdes", "apbdes_pp50", "csr", "other")
HOLIDAY_TYPES = ("libur_nasional", "cuti_bersama")
DATA_FILES = ("contributions.toml", "benefits.toml", "holidays.toml")

REASONS = {
    "toml": Reason(
        RuleCode.TABLE_SYNTAX,
        "Berkas tabel tidak bisa dibaca: {error}",
        "The table file cannot be read: {error}",
    ),
    "unknown_table": Reason(
        RuleCode.TABLE_UNKNOWN,
        "Tabel '{table}' tidak dikenal. Tabel yang ada: {known}.",
        "Unknown table '{table}'. Known tables: {known}.",
    ),
    "missing_table": Reason(
        RuleCode.TABLE_MISSING,
        "Tabel '{table}' tidak ada di data aturan.",
        "Table '{table}' is missing from the rule data.",
    ),
    "choice": Reason(
        RuleCode.TABLE_CHOICE,
        "{where}: '{value}' bukan pilihan yang sah untuk '{key}' ({allowed}).",
        "{where}: '{value}' is not a valid '{key}' ({allowed}).",
    ),
    "rows_overlap": Reason(
        RuleCode.TABLE_ROWS_OVERLAP,
        "{where}: baris {first} dan {second} sama-sama mencakup {what}.",
        "{where}: rows {first} and {second} both cover {what}.",
    ),
    "row_missing": Reason(
        RuleCode.TABLE_ROW_MISSING,
        "{where}: baris '{key}' wajib ada (dengan isian {fields}).",
        "{where}: row '{key}' is required (with {fields}).",
    ),
    "rate_shape": Reason(
        RuleCode.TABLE_RATE_SHAPE,
        "{where}: isi tepat satu dari 'percent_of_base' atau 'flat'.",
        "{where}: give exactly one of 'percent_of_base' or 'flat'.",
    ),
    "holiday_year": Reason(
        RuleCode.TABLE_HOLIDAY_YEAR,
        "{where}: satu versi kalender libur mencakup tepat satu tahun (1 Januari – 31 Desember), "
        "dan setiap tanggal libur ada di tahun itu.",
        "{where}: a holiday calendar version covers exactly one year (1 January – 31 December), "
        "and every holiday falls in that year.",
    ),
    "discounts_overlap": Reason(
        RuleCode.TABLE_DISCOUNTS_OVERLAP,
        "Potongan iuran '{first}' dan '{second}' sama-sama berlaku untuk {benefit}, sektor "
        "{sector}, bulan {month}.",
        "Contribution discounts '{first}' and '{second}' both apply to {benefit}, sector {sector}, "
        "month {month}.",
    ),
    "income_undefined": Reason(
        RuleCode.INCOME_UNDEFINED,
        "Tabel dasar penghasilan BPU ({version}) tidak menetapkan dasar iuran untuk penghasilan "
        "{income}.",
        "The BPU income base table ({version}) does not define the base for an income of {income}.",
    ),
    "income_undefined_incomplete": Reason(
        RuleCode.INCOME_UNDEFINED,
        "Tabel dasar penghasilan BPU ({version}) belum lengkap dan tidak menetapkan dasar iuran "
        "untuk penghasilan {income}; Jaring tidak menebak. Muat tabel resmi sebagai versi baru.",
        "The BPU income base table ({version}) is incomplete and does not define the base for an "
        "income of {income}; Jaring does not guess. Load the official table as a new version.",
    ),
    "base_undefined": Reason(
        RuleCode.BASE_UNDEFINED,
        "{base} bukan dasar iuran yang ditetapkan tabel dasar penghasilan BPU ({version}); "
        "dasar yang ada: {known}.",
        "{base} is not an income base that the BPU income base table ({version}) defines; "
        "it defines: {known}.",
    ),
    "disability_percent": Reason(
        RuleCode.TABLE_DISABILITY_PERCENT,
        "{where}: persentase cacat harus lebih dari 0 dan paling besar 100.",
        "{where}: a disability percentage must be more than 0 and at most 100.",
    ),
    "disability_code_twice": Reason(
        RuleCode.TABLE_DISABILITY_CODE_TWICE,
        "{where}: kode bagian tubuh '{code}' sudah ada di baris sebelumnya.",
        "{where}: body part code '{code}' is already in an earlier row.",
    ),
    "disability_unknown": Reason(
        RuleCode.DISABILITY_PART_UNKNOWN,
        "Tabel persentase cacat ({version}) tidak memuat '{code}'. Isi persentase dari tabel "
        "resmi secara langsung, atau muat tabel resmi sebagai versi baru.",
        "The disability percentage table ({version}) has no '{code}'. Give the percentage from "
        "the official table directly, or load the official table as a new version.",
    ),
}


def _choice(f: Fields, key: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise TableError(
            REASONS["choice"], where=f.where, key=key, value=value, allowed=", ".join(allowed)
        )
    return value


@dataclass(frozen=True, slots=True)
class Cited:
    """Where one figure comes from."""

    source: str
    status: str
    note: str

    @classmethod
    def read(cls, f: Fields, fallback_source: str) -> Cited:
        status, note = f.status()
        return cls(f.text("source", required=False, default=fallback_source), status, note)


# --- BPU income base -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BaseRow:
    income_from: int
    income_to: int | None  # None: and above
    base: int
    cited: Cited

    def covers(self, income: int) -> bool:
        return self.income_from <= income and (self.income_to is None or income <= self.income_to)


@dataclass(frozen=True, slots=True)
class IncomeBaseTable:
    meta: Meta
    rows: tuple[BaseRow, ...]
    max_jkk: int | None

    def row_for_income(self, income: int) -> BaseRow:
        for row in self.rows:
            if row.covers(income):
                return row
        key = "income_undefined_incomplete" if self.meta.incomplete else "income_undefined"
        raise RuleError(REASONS[key], field="income", income=rupiah(income), version=self.meta.id)

    def row_for_base(self, base: int, *, field: str = "base") -> BaseRow:
        for row in self.rows:
            if row.base == base:
                return row
        raise RuleError(
            REASONS["base_undefined"],
            field=field,
            base=rupiah(base),
            version=self.meta.id,
            known=", ".join(rupiah(b) for b in self.bases),
        )

    @property
    def bases(self) -> tuple[int, ...]:
        return tuple(sorted({row.base for row in self.rows}))

    @classmethod
    def build(cls, meta: Meta, f: Fields) -> IncomeBaseTable:
        rows = []
        for r in f.rows("rows"):
            rows.append(
                BaseRow(
                    income_from=r.integer("income_from"),
                    income_to=r.integer("income_to", required=False),
                    base=r.integer("base"),
                    cited=Cited.read(r, meta.source),
                )
            )
            r.done()
        rows.sort(key=lambda row: row.income_from)
        for i, (a, b) in enumerate(pairwise(rows)):
            if a.income_to is None or b.income_from <= a.income_to:
                raise TableError(
                    REASONS["rows_overlap"],
                    where=f.where,
                    first=i,
                    second=i + 1,
                    what=rupiah(b.income_from),
                )
        return cls(meta, tuple(rows), f.integer("max_jkk", required=False))


# --- BPU rates -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RateRow:
    benefit: str
    percent_of_base: Fraction | None
    flat: int | None
    cited: Cited

    def amount(self, base: int) -> int:
        if self.flat is not None:
            return self.flat
        return percent_of(base, self.percent_of_base)

    def formula(self, base: int) -> str:
        if self.flat is not None:
            return rupiah(self.flat)
        return f"{percent_text(self.percent_of_base)} % × {rupiah(base)}"


@dataclass(frozen=True, slots=True)
class RateTable:
    meta: Meta
    rows: Mapping[str, RateRow]

    @classmethod
    def build(cls, meta: Meta, f: Fields) -> RateTable:
        rows: dict[str, RateRow] = {}
        for r in f.rows("rows"):
            benefit = _choice(r, "benefit", r.text("benefit"), BENEFITS)
            row = RateRow(
                benefit,
                r.percent("percent_of_base", required=False),
                r.integer("flat", required=False),
                Cited.read(r, meta.source),
            )
            if (row.percent_of_base is None) == (row.flat is None):
                raise TableError(REASONS["rate_shape"], where=r.where)
            if benefit in rows:
                raise TableError(
                    REASONS["rows_overlap"], where=f.where, first=benefit, second=benefit, what=""
                )
            rows[benefit] = row
            r.done()
        for benefit in BENEFITS:
            if benefit not in rows:
                raise TableError(
                    REASONS["row_missing"], where=f.where, key=benefit, fields="benefit"
                )
        return cls(meta, rows)


# --- Discounts -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DiscountPeriod:
    sectors: tuple[str, ...]
    months_from: dt.date
    months_to: dt.date

    def covers(self, month: dt.date, sector: str) -> bool:
        return sector in self.sectors and self.months_from <= month <= self.months_to


@dataclass(frozen=True, slots=True)
class Discount:
    id: str
    regulation: str
    percent: Fraction
    benefits: tuple[str, ...]
    excluded_funders: tuple[str, ...]
    periods: tuple[DiscountPeriod, ...]
    status: str
    note: str

    def applies(self, *, benefit: str, month: dt.date, sector: str, funder: str) -> bool:
        return (
            benefit in self.benefits
            and funder not in self.excluded_funders
            and any(p.covers(month, sector) for p in self.periods)
        )

    @classmethod
    def read(cls, f: Fields) -> Discount:
        status, note = f.status()
        periods = []
        for p in f.rows("periods"):
            start, end = p.month("months_from"), p.month("months_to")
            if end < start:
                raise table_error("date_order", where=p.where, start=start, end=end)
            sectors = tuple(_choice(p, "sectors", s, SECTORS) for s in p.strings("sectors"))
            periods.append(DiscountPeriod(sectors, start, end))
            p.done()
        discount = cls(
            id=f.text("id"),
            regulation=f.text("regulation"),
            percent=f.percent("percent"),
            benefits=tuple(_choice(f, "benefits", b, BENEFITS) for b in f.strings("benefits")),
            excluded_funders=tuple(
                _choice(f, "excluded_funders", x, FUNDERS) for x in f.strings("excluded_funders")
            ),
            periods=tuple(periods),
            status=status,
            note=note,
        )
        f.done()
        return discount

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "regulation": self.regulation,
            "percent": percent_text(self.percent),
            "status": self.status,
            "note": self.note,
        }


def _check_discounts(discounts: list[Discount]) -> None:
    """Discounts do not stack: two covering the same benefit, sector and month are refused."""
    claims: list[tuple[Discount, DiscountPeriod]] = [(d, p) for d in discounts for p in d.periods]
    for i, (d1, p1) in enumerate(claims):
        for d2, p2 in claims[i + 1 :]:
            benefit = next((b for b in d1.benefits if b in d2.benefits), None)
            sector = next((s for s in p1.sectors if s in p2.sectors), None)
            if (
                benefit
                and sector
                and p1.months_from <= p2.months_to
                and p2.months_from <= (p1.months_to)
            ):
                raise TableError(
                    REASONS["discounts_overlap"],
                    first=d1.id,
                    second=d2.id,
                    benefit=benefit,
                    sector=sector,
                    month=month_text(max(p1.months_from, p2.months_from)),
                )


# --- Due date and holidays -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DueDateRule:
    meta: Meta
    day: int
    cuti_bersama_is_day_off: bool

    @classmethod
    def build(cls, meta: Meta, f: Fields) -> DueDateRule:
        return cls(meta, f.integer("day"), f.flag("cuti_bersama_is_day_off"))


@dataclass(frozen=True, slots=True)
class Holiday:
    date: dt.date
    name: str
    type: str


@dataclass(frozen=True, slots=True)
class HolidayYear:
    meta: Meta
    holidays: tuple[Holiday, ...]

    @classmethod
    def build(cls, meta: Meta, f: Fields) -> HolidayYear:
        year = meta.effective_from.year
        holidays = []
        for r in f.rows("rows"):
            holiday = Holiday(
                r.date("date"),
                r.text("name"),
                _choice(r, "type", r.text("type"), HOLIDAY_TYPES),
            )
            if holiday.date.year != year:
                raise TableError(REASONS["holiday_year"], where=r.where)
            holidays.append(holiday)
            r.done()
        if (meta.effective_from, meta.effective_to) != (dt.date(year, 1, 1), dt.date(year, 12, 31)):
            raise TableError(REASONS["holiday_year"], where=f.where)
        return cls(meta, tuple(holidays))


# --- Benefits --------------------------------------------------------------------------------

# Each benefit row the formulas need, with the fields it must have.
BENEFIT_ROWS = {
    "jkm_lump_sum": ("rupiah",),
    "medical_care": (),  # as medically needed, no ceiling: the row carries only its source
    "periodic": ("rupiah", "months"),
    "funeral": ("rupiah",),
    "jkk_death": ("times_wage",),
    "jkk_total_disability": ("percent", "times_wage"),
    "jkk_partial_disability": ("times_wage",),
    "stmb_first": ("percent", "months"),
    "stmb_after": ("percent",),
    "home_care": ("rupiah", "months"),
    "transport_land": ("rupiah",),
    "transport_sea": ("rupiah",),
    "transport_air": ("rupiah",),
    "jkk_claim_lapse": ("years",),
}
_BENEFIT_FIELDS = ("rupiah", "times_wage", "months", "years")


@dataclass(frozen=True, slots=True)
class BenefitRow:
    key: str
    rupiah: int | None
    times_wage: int | None
    months: int | None
    years: int | None
    percent: Fraction | None
    cited: Cited


@dataclass(frozen=True, slots=True)
class BenefitAmounts:
    meta: Meta
    rows: Mapping[str, BenefitRow]

    def __getitem__(self, key: str) -> BenefitRow:
        return self.rows[key]

    @classmethod
    def build(cls, meta: Meta, f: Fields) -> BenefitAmounts:
        rows: dict[str, BenefitRow] = {}
        for r in f.rows("rows"):
            key = _choice(r, "key", r.text("key"), tuple(BENEFIT_ROWS))
            values = {name: r.integer(name, required=False) for name in _BENEFIT_FIELDS}
            rows[key] = BenefitRow(
                key,
                percent=r.percent("percent", required=False),
                cited=Cited.read(r, meta.source),
                **values,
            )
            r.done()
        for key, needed in BENEFIT_ROWS.items():
            row = rows.get(key)
            if row is None or any(getattr(row, name) is None for name in needed):
                raise TableError(
                    REASONS["row_missing"],
                    where=f.where,
                    key=key,
                    fields=", ".join(needed) or "source",
                )
        return cls(meta, rows)


@dataclass(frozen=True, slots=True)
class SchoolLevel:
    level: str
    name_id: str
    name_en: str
    per_year: int
    max_years: int
    cited: Cited
    # Other levels paid as this one (vocational training at the university level):
    # (code, name_id, name_en).
    includes: tuple[tuple[str, str, str], ...] = ()

    def name_of(self, code: str, *, english: bool = False) -> str:
        for other, name_id, name_en in self.includes:
            if code == other:
                return name_en if english else name_id
        return self.name_en if english else self.name_id


@dataclass(frozen=True, slots=True)
class ScholarshipTable:
    meta: Meta
    max_children: int
    age_limit: int
    jkm_min_contribution_months: int
    levels: tuple[SchoolLevel, ...]
    # A child not in school yet waits until the school year in which they have this age.
    school_age: int
    # The month a school year starts (July: the year 2023/2024 runs July 2023 – June 2024).
    school_year_start_month: int

    def index_of(self, level: str) -> int | None:
        """The position of `level` (or of the level that includes it) in the levels."""
        for i, lv in enumerate(self.levels):
            if level == lv.level or level in (c for c, _, _ in lv.includes):
                return i
        return None

    def level_name(self, code: str, *, english: bool = False) -> str:
        index = self.index_of(code)
        return code if index is None else self.levels[index].name_of(code, english=english)

    @property
    def level_codes(self) -> tuple[str, ...]:
        return tuple(
            code for lv in self.levels for code in (lv.level, *(c for c, _, _ in lv.includes))
        )

    @classmethod
    def build(cls, meta: Meta, f: Fields) -> ScholarshipTable:
        levels = []
        for r in f.rows("levels"):
            includes = []
            for i in r.rows("includes", required=False):
                includes.append((i.text("level"), i.text("name_id"), i.text("name_en")))
                i.done()
            levels.append(
                SchoolLevel(
                    r.text("level"),
                    r.text("name_id"),
                    r.text("name_en"),
                    r.integer("per_year"),
                    r.integer("max_years"),
                    Cited.read(r, meta.source),
                    tuple(includes),
                )
            )
            r.done()
        start_month = f.integer("school_year_start_month")
        if not 1 <= start_month <= 12:
            raise Fields._type_error(f.where, "school_year_start_month", "month_number")
        return cls(
            meta,
            f.integer("max_children"),
            f.integer("age_limit"),
            f.integer("jkm_min_contribution_months"),
            tuple(levels),
            f.integer("school_age"),
            start_month,
        )


@dataclass(frozen=True, slots=True)
class DisabilityRow:
    code: str
    name_id: str
    name_en: str
    percent: Fraction
    cited: Cited


@dataclass(frozen=True, slots=True)
class DisabilityTable:
    meta: Meta
    rows: Mapping[str, DisabilityRow]

    def percent_for(self, code: str) -> DisabilityRow:
        if code not in self.rows:
            raise RuleError(
                REASONS["disability_unknown"],
                field="body_part",
                code=code,
                version=self.meta.id,
            )
        return self.rows[code]

    @classmethod
    def build(cls, meta: Meta, f: Fields) -> DisabilityTable:
        rows: dict[str, DisabilityRow] = {}
        for r in f.rows("rows"):
            row = DisabilityRow(
                r.text("code"),
                r.text("name_id"),
                r.text("name_en"),
                r.percent("percent"),
                Cited.read(r, meta.source),
            )
            if not 0 < row.percent <= 100:
                raise TableError(REASONS["disability_percent"], where=r.where)
            if row.code in rows:
                raise TableError(REASONS["disability_code_twice"], where=r.where, code=row.code)
            rows[row.code] = row
            r.done()
        return cls(meta, rows)


# --- All tables ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RuleTables:
    bpu_income_base: Versions[IncomeBaseTable]
    bpu_rates: Versions[RateTable]
    contribution_discounts: tuple[Discount, ...]
    due_date_rule: Versions[DueDateRule]
    holidays: Versions[HolidayYear]
    benefit_amounts: Versions[BenefitAmounts]
    scholarship: Versions[ScholarshipTable]
    disability_percentages: Versions[DisabilityTable]


_VERSIONED = {
    "bpu_income_base": IncomeBaseTable.build,
    "bpu_rates": RateTable.build,
    "due_date_rule": DueDateRule.build,
    "holidays": HolidayYear.build,
    "benefit_amounts": BenefitAmounts.build,
    "scholarship": ScholarshipTable.build,
    "disability_percentages": DisabilityTable.build,
}
TABLES = (*_VERSIONED, "contribution_discounts")


def build_tables(*documents: Mapping[str, object]) -> RuleTables:
    """Validate and combine documents ({table name: [versions]}); a table may span documents."""
    merged: dict[str, list[object]] = {}
    for document in documents:
        for name, versions in document.items():
            if name not in TABLES:
                raise TableError(REASONS["unknown_table"], table=name, known=", ".join(TABLES))
            if not isinstance(versions, list):
                raise Fields._type_error(name, name, "list")
            merged.setdefault(name, []).extend(versions)
    for name in TABLES:
        if name not in merged:
            raise TableError(REASONS["missing_table"], table=name)
    discounts = [
        Discount.read(Fields(raw, f"contribution_discounts[{i}]"))
        for i, raw in enumerate(merged["contribution_discounts"])
    ]
    _check_discounts(discounts)
    return RuleTables(
        contribution_discounts=tuple(discounts),
        **{name: read_versions(name, merged[name], build) for name, build in _VERSIONED.items()},
    )


def parse_toml(text: str) -> dict[str, object]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TableError(REASONS["toml"], error=str(exc)) from None


def load_tables(*texts: str) -> RuleTables:
    """Rule tables from TOML texts (the shipped files, or an admin's file added to them)."""
    return build_tables(*(parse_toml(text) for text in texts))


def shipped_documents() -> list[dict[str, object]]:
    folder = resources.files("jaring.rules").joinpath("data")
    return [parse_toml(folder.joinpath(name).read_text("utf-8")) for name in DATA_FILES]


@cache
def default_tables() -> RuleTables:
    return build_tables(*shipped_documents())
