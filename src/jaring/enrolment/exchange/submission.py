"""The submission batch Jaring sends to the BPJS branch, as xlsx or csv, in an export profile.

One row per worker; the profile (`profiles`) says which columns, in which order, under which
header, with which codes and date format. The columns for the branch's answer (kpj, status,
reason) are left empty: the branch may fill them in and send the same file back as its
response (see `response`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import BinaryIO

import xlsxwriter

from jaring.core.cells import safe_cell
from jaring.enrolment.exchange import profiles
from jaring.enrolment.exchange.profiles import Profile

FORMATS = ("xlsx", "csv")

# Jaring's own layout, the `jaring` profile's headers (what batches held before profiles).
COLUMNS = (
    "batch",
    "nik",
    "name",
    "birth_date",
    "sex",
    "address",
    "occupation",
    "income_base",
    "programmes",
    "start_date",
    "months",
    "participation_code",
    "kpj",
    "status",
    "reason",
)

# Fields a stored row may leave out (batches made before they existed, or empty ones).
_OPTIONAL = (
    "place_of_birth",
    "marital_status",
    "street",
    "village",
    "district",
    "city",
    "province",
    "postal_code",
    "phone",
    "email",
    "mother_maiden_name",
)


# Not frozen: a frozen dataclass sets each of its 23 fields through object.__setattr__, a
# measurable part of a 100,000-row export.
@dataclass(slots=True)
class SubmissionRow:
    batch: str
    nik: str
    name: str
    birth_date: dt.date
    sex: str  # "M" or "F", as the registry keeps it
    address: str  # street, RT/RW, village, district in one line
    occupation: str
    income_base: int
    programmes: tuple[str, ...]  # ("JKK", "JKM") or with "JHT"
    start_date: dt.date | None  # None: cover starts when BPJS accepts the worker
    months: int
    participation_code: str
    place_of_birth: str = ""
    marital_status: str = ""  # registry.MaritalStatus, or empty
    street: str = ""  # street with RT/RW
    village: str = ""
    district: str = ""
    city: str = ""
    province: str = ""
    postal_code: str = ""
    phone: str = ""
    email: str = ""
    mother_maiden_name: str = ""

    def cells(self, profile: Profile | None = None, number: int = 1) -> tuple[object, ...]:
        """The row's values in the profile's column order (the answer columns empty)."""
        return _plan(profile or _default())(self, number)

    def as_json(self) -> dict[str, object]:
        """The row as stored with the batch, to write the same file again later; optional
        fields only when filled (an export reads only those its profile has columns for, so a
        batch written again in another profile has those others empty)."""
        data = {
            "batch": self.batch,
            "nik": self.nik,
            "name": self.name,
            "birth_date": self.birth_date.isoformat(),
            "sex": self.sex,
            "address": self.address,
            "occupation": self.occupation,
            "income_base": self.income_base,
            "programmes": list(self.programmes),
            "start_date": self.start_date.isoformat() if self.start_date else None,
            "months": self.months,
            "participation_code": self.participation_code,
        }
        for name in _OPTIONAL:
            if value := getattr(self, name):
                data[name] = value
        return data

    @classmethod
    def from_json(cls, data: dict[str, object]) -> SubmissionRow:
        start = data["start_date"]
        return cls(
            **{
                **data,
                "birth_date": dt.date.fromisoformat(str(data["birth_date"])),
                "programmes": tuple(data["programmes"]),
                "start_date": dt.date.fromisoformat(str(start)) if start else None,
            }
        )


@cache
def _default() -> Profile:
    return profiles.get(profiles.DEFAULT)


# A profile's cells as one generated function per profile: a closure per cell cost ~0.3 s per
# 100,000 rows (bench/enrolment_bench.py). Only names from profiles.FIELDS (checked when the
# profile was read) and indexes into the constants below go into the generated source; a
# header or fixed value never does.
def _expression(column, constants: list[object]) -> str:
    name = column.field
    if not name:
        constants.append(column.value)
        return f"K[{len(constants) - 1}]"
    if name == "row_number":
        return "n"
    if name in profiles.ANSWER_FIELDS:
        return "''"
    if name == "programmes":
        return "'+'.join(r.programmes)"
    if name.startswith("programme."):
        constants.append(name.split(".", 1)[1])
        return f"(Y if K[{len(constants) - 1}] in r.programmes else N)"
    if name == "sex":
        return "SEX[r.sex]"
    if name == "marital_status":
        return "MARITAL.get(r.marital_status, '')"
    return f"r.{name}"


@cache
def _compiled(source: str, name: str) -> Callable[[SubmissionRow, int], tuple[object, ...]]:
    profile = profiles.parse(source, name)
    constants: list[object] = []
    body = ", ".join(_expression(c, constants) for c in profile.columns)
    flags = profile.codes.get("flag", {})
    namespace = {
        "__builtins__": {},
        "K": tuple(constants),
        "SEX": profile.codes.get("sex", {"M": "L", "F": "P"}),
        "MARITAL": profile.codes.get("marital_status", {}),
        "Y": flags.get("yes", "Y"),
        "N": flags.get("no", "N"),
    }
    return eval(f"lambda r, n: ({body},)", namespace)


def _plan(profile: Profile) -> Callable[[SubmissionRow, int], tuple[object, ...]]:
    return _compiled(profile.source, profile.name)


def _date_text(profile: Profile) -> Callable[[dt.date], str]:
    if profile.date_format == "yyyy-mm-dd":
        return dt.date.isoformat
    sep = profile.date_format[2]
    return lambda d: f"{d.day:02d}{sep}{d.month:02d}{sep}{d.year:04d}"


def write_csv(rows: Iterable[SubmissionRow], out: BinaryIO, profile: Profile) -> None:
    # UTF-8 with a BOM: Excel then shows names with accents correctly.
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(profile.headers)
    cells, date_text = _plan(profile), _date_text(profile)
    date, number = dt.date, int

    def shown(value: object) -> object:
        if isinstance(value, date):
            return date_text(value)
        return value if isinstance(value, number) else safe_cell(value)

    for n, row in enumerate(rows, start=1):
        writer.writerow([shown(v) for v in cells(row, n)])
    text.detach()


def write_xlsx(rows: Iterable[SubmissionRow], out: BinaryIO, profile: Profile) -> None:
    # xlsxwriter in constant_memory mode streams each row to a temporary file as it comes:
    # 100,000 rows in seconds, where openpyxl's element tree took minutes.
    wb = xlsxwriter.Workbook(out, {"constant_memory": True})
    ws = wb.add_worksheet(profile.sheet)
    for column, spec in enumerate(profile.columns):
        ws.set_column(column, column, spec.width)
    ws.freeze_panes(1, 0)
    ws.write_row(0, 0, profile.headers, wb.add_format({"bold": True}))
    date = wb.add_format({"num_format": profile.date_format})
    cells = _plan(profile)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(cells(row, r)):
            if isinstance(value, int):
                ws.write_number(r, c, value)
            elif isinstance(value, dt.date):
                ws.write_datetime(r, c, value, date)
            elif value:
                # Text always as a string after safe_cell: a NIK never becomes a number, a
                # cell starting with "=" never a formula.
                ws.write_string(r, c, safe_cell(value))
    wb.close()


def write(
    rows: Iterable[SubmissionRow], out: BinaryIO, file_format: str, profile: Profile | None = None
) -> None:
    {"xlsx": write_xlsx, "csv": write_csv}[file_format](rows, out, profile or _default())
