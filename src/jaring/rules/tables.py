"""Versioned rule tables, independent of where they are stored.

A table is a list of versions; each version carries an id (kept by every calculation that used
it), the dates it is in force, the regulation it comes from, a status (C confirmed, D derived by
arithmetic from confirmed figures, NC not confirmed: then a note saying what is unsure) and its
rows. The same mapping comes from a TOML file shipped with Jaring or, later, from the database,
so validation works on mappings and never touches files.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from itertools import pairwise
from typing import Generic, Protocol, TypeVar

from lokal.rupiah import format_rupiah

from jaring.rules.errors import RuleCode, RuleError, TableError
from jaring.rules.messages import Reason

STATUSES = ("C", "D", "NC")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")

REASONS = {
    "missing": Reason(
        RuleCode.TABLE_FIELD_MISSING,
        "{where}: isian '{key}' wajib ada.",
        "{where}: '{key}' is required.",
    ),
    "type": Reason(
        RuleCode.TABLE_FIELD_TYPE,
        "{where}: isian '{key}' harus {expected_id}.",
        "{where}: '{key}' must be {expected_en}.",
    ),
    "unknown_key": Reason(
        RuleCode.TABLE_UNKNOWN_FIELD,
        "{where}: isian '{key}' tidak dikenal (salah ketik?).",
        "{where}: unknown field '{key}' (a typo?).",
    ),
    "status": Reason(
        RuleCode.TABLE_STATUS,
        "{where}: status harus salah satu dari C, D, NC, bukan '{value}'.",
        "{where}: status must be one of C, D, NC, not '{value}'.",
    ),
    "nc_note": Reason(
        RuleCode.TABLE_NC_WITHOUT_NOTE,
        "{where}: angka berstatus NC (belum dikonfirmasi) wajib disertai catatan (note).",
        "{where}: a figure marked NC (not confirmed) needs a note saying what is unsure.",
    ),
    "date_order": Reason(
        RuleCode.TABLE_DATE_ORDER,
        "{where}: effective_to ({end}) sebelum effective_from ({start}).",
        "{where}: effective_to ({end}) is before effective_from ({start}).",
    ),
    "duplicate_id": Reason(
        RuleCode.TABLE_DUPLICATE_ID,
        "Tabel {table}: id versi '{id}' dipakai dua kali.",
        "Table {table}: version id '{id}' is used twice.",
    ),
    "overlap": Reason(
        RuleCode.TABLE_VERSIONS_OVERLAP,
        "Tabel {table}: masa berlaku versi '{first}' ({first_range}) tumpang tindih dengan "
        "versi '{second}' ({second_range}). Tutup versi lama (effective_to) sebelum versi baru "
        "berlaku.",
        "Table {table}: version '{first}' ({first_range}) overlaps version '{second}' "
        "({second_range}). Close the old version (effective_to) before the new one starts.",
    ),
    "no_version": Reason(
        RuleCode.RULE_NO_VERSION,
        "Tidak ada versi tabel {table} yang berlaku pada {day}.",
        "No version of table {table} is in force on {day}.",
    ),
    "unknown_version": Reason(
        RuleCode.RULE_UNKNOWN_VERSION,
        "Versi '{id}' tidak ada di tabel {table}.",
        "Table {table} has no version '{id}'.",
    ),
}

_EXPECTED = {
    "text": ("teks", "text"),
    "non_negative": ("bilangan bulat 0 atau lebih", "a whole number, 0 or more"),
    "percent": (
        'persentase sebagai teks atau bilangan bulat, mis. "0.24" (bukan pecahan desimal '
        "biasa, agar tidak ada galat pembulatan)",
        'a percentage written as text or a whole number, e.g. "0.24" (not a float, so that '
        "nothing is lost to rounding)",
    ),
    "date": ("tanggal (YYYY-MM-DD)", "a date (YYYY-MM-DD)"),
    "month": ('bulan dalam bentuk "YYYY-MM"', 'a month written "YYYY-MM"'),
    "month_number": ("nomor bulan 1 sampai 12", "a month number from 1 to 12"),
    "list": ("daftar", "a list"),
    "table": ("tabel (pasangan isian)", "a table of fields"),
    "bool": ("true atau false", "true or false"),
}


def table_error(reason: str, **params: object) -> TableError:
    return TableError(REASONS[reason], **params)


class Fields:
    """Reads one mapping, naming the exact place of any problem, and refuses unknown keys."""

    def __init__(self, data: object, where: str):
        if not isinstance(data, Mapping):
            raise self._type_error(where, "(root)", "table")
        self.data = data
        self.where = where
        self._read: set[str] = set()

    @staticmethod
    def _type_error(where: str, key: str, expected: str) -> TableError:
        ex_id, ex_en = _EXPECTED[expected]
        return table_error("type", where=where, key=key, expected_id=ex_id, expected_en=ex_en)

    def _get(self, key: str, required: bool) -> object:
        self._read.add(key)
        if key not in self.data:
            if required:
                raise table_error("missing", where=self.where, key=key)
            return None
        return self.data[key]

    def text(self, key: str, *, required: bool = True, default: str = "") -> str:
        value = self._get(key, required)
        if value is None:
            return default
        if not isinstance(value, str) or (required and not value.strip()):
            raise self._type_error(self.where, key, "text")
        return value.strip()

    def integer(self, key: str, *, required: bool = True) -> int | None:
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self._type_error(self.where, key, "non_negative")
        return value

    def flag(self, key: str) -> bool:
        value = self._get(key, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self._type_error(self.where, key, "bool")
        return value

    def percent(self, key: str, *, required: bool = True) -> Fraction | None:
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise self._type_error(self.where, key, "percent")
        try:
            number = Fraction(Decimal(str(value).strip()))
        except (InvalidOperation, ValueError):
            raise self._type_error(self.where, key, "percent") from None
        if number < 0:
            raise self._type_error(self.where, key, "percent")
        return number

    def date(self, key: str, *, required: bool = True) -> dt.date | None:
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                raise self._type_error(self.where, key, "date") from None
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise self._type_error(self.where, key, "date")
        return value

    def month(self, key: str) -> dt.date:
        value = self._get(key, True)
        match = _MONTH.match(value) if isinstance(value, str) else None
        if not match or not 1 <= int(match[2]) <= 12:
            raise self._type_error(self.where, key, "month")
        return dt.date(int(match[1]), int(match[2]), 1)

    def strings(self, key: str, *, required: bool = True) -> tuple[str, ...]:
        value = self._get(key, required)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self._type_error(self.where, key, "list")
        return tuple(value)

    def rows(self, key: str, *, required: bool = True) -> list[Fields]:
        value = self._get(key, required)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self._type_error(self.where, key, "list")
        return [Fields(item, f"{self.where}.{key}[{i}]") for i, item in enumerate(value)]

    def status(self) -> tuple[str, str]:
        """(status, note); a figure marked NC without a note saying what is unsure is refused."""
        status = self.text("status", required=False, default="C")
        if status not in STATUSES:
            raise table_error("status", where=self.where, value=status)
        note = self.text("note", required=False)
        if status == "NC" and not note:
            raise table_error("nc_note", where=self.where)
        return status, note

    def done(self) -> None:
        for key in self.data:
            if key not in self._read:
                raise table_error("unknown_key", where=self.where, key=key)


@dataclass(frozen=True, slots=True)
class Meta:
    table: str
    id: str
    effective_from: dt.date
    effective_to: dt.date | None
    source: str
    status: str
    note: str
    incomplete: bool

    @classmethod
    def read(cls, table: str, f: Fields) -> Meta:
        status, note = f.status()
        meta = cls(
            table=table,
            id=f.text("id"),
            effective_from=f.date("effective_from"),
            effective_to=f.date("effective_to", required=False),
            source=f.text("source"),
            status=status,
            note=note,
            incomplete=f.flag("incomplete"),
        )
        if meta.effective_to and meta.effective_to < meta.effective_from:
            raise table_error(
                "date_order", where=f.where, start=meta.effective_from, end=meta.effective_to
            )
        return meta

    def covers(self, day: dt.date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )

    @property
    def range_text(self) -> str:
        return f"{self.effective_from} – {self.effective_to or '…'}"

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "effective_from": self.effective_from.isoformat(),
            "effective_to": self.effective_to.isoformat() if self.effective_to else None,
            "source": self.source,
            "status": self.status,
            "note": self.note,
            "incomplete": self.incomplete,
        }


class HasMeta(Protocol):
    @property
    def meta(self) -> Meta: ...


V = TypeVar("V", bound=HasMeta)


class Versions(Generic[V]):
    """The versions of one table, sorted by date; overlapping dates are refused here."""

    def __init__(self, table: str, versions: list[V]):
        self.table = table
        self._versions = sorted(versions, key=lambda v: v.meta.effective_from)
        seen: set[str] = set()
        for v in self._versions:
            if v.meta.id in seen:
                raise table_error("duplicate_id", table=table, id=v.meta.id)
            seen.add(v.meta.id)
        for earlier, later in pairwise(self._versions):
            if earlier.meta.effective_to is None or (
                later.meta.effective_from <= earlier.meta.effective_to
            ):
                raise table_error(
                    "overlap",
                    table=table,
                    first=earlier.meta.id,
                    first_range=earlier.meta.range_text,
                    second=later.meta.id,
                    second_range=later.meta.range_text,
                )

    def __iter__(self) -> Iterator[V]:
        return iter(self._versions)

    def in_force(self, day: dt.date) -> V:
        for v in self._versions:
            if v.meta.covers(day):
                return v
        raise RuleError(REASONS["no_version"], table=self.table, day=day.isoformat())

    def by_id(self, version_id: str) -> V:
        for v in self._versions:
            if v.meta.id == version_id:
                return v
        raise RuleError(REASONS["unknown_version"], table=self.table, id=version_id)


def read_versions(
    table: str, raw: object, build: Callable[[Meta, Fields], V], *, where: str = ""
) -> Versions[V]:
    """Each raw version becomes `build(meta, fields)`; `build` reads the table-specific fields."""
    if not isinstance(raw, list):
        raise Fields._type_error(where or table, table, "list")
    built = []
    for i, item in enumerate(raw):
        f = Fields(item, f"{where}{table}[{i}]")
        version = build(Meta.read(table, f), f)
        f.done()
        built.append(version)
    return Versions(table, built)


def percent_of(amount: int, percent: Fraction) -> int:
    """`percent` % of a rupiah amount, rounded half up to a whole rupiah, in exact arithmetic."""
    return math.floor(Fraction(amount) * percent / 100 + Fraction(1, 2))


def month_text(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def parse_month(text: str) -> dt.date | None:
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        return None
    return dt.date(int(match[1]), int(match[2]), 1)


def rupiah(amount: int) -> str:
    """Rp1.000.000: how amounts are written in both languages' messages."""
    return format_rupiah(amount)


def percent_text(value: Fraction) -> str:
    """70, 0.24: a percentage as written in a formula, exact."""
    if value.denominator == 1:
        return str(value.numerator)
    return format(Decimal(value.numerator) / Decimal(value.denominator), "f").rstrip("0")


def with_new_version(versions: list[Mapping], new: Mapping) -> list[dict]:
    """Raw versions of one table with `new` added, closing the version open on its start date.

    How an admin adds a regulation: the version in force until then ends the day before.
    Anything else that overlaps is left for the loader to refuse.
    """
    start = Fields(new, "new").date("effective_from")
    out = []
    for raw in versions:
        version = dict(raw)
        f = Fields(version, "version")
        begins, ends = f.date("effective_from"), f.date("effective_to", required=False)
        if begins < start and (ends is None or ends >= start):
            version["effective_to"] = start - dt.timedelta(days=1)
        out.append(version)
    return [*out, dict(new)]
