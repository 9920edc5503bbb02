"""The submission batch Jaring sends to the BPJS branch, as xlsx or csv.

One row per worker. The last three columns (kpj, status, reason) are left empty: the branch may
fill them in and send the same file back as its response (see `response`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

import xlsxwriter

from jaring.core.cells import safe_cell

FORMATS = ("xlsx", "csv")

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
_WIDTHS = (16, 19, 28, 12, 5, 40, 22, 12, 14, 12, 7, 8, 14, 10, 30)

# BPJS forms write sex as L (laki-laki) / P (perempuan).
SEX_CODES = {"M": "L", "F": "P"}


@dataclass(frozen=True, slots=True)
class SubmissionRow:
    batch: str
    nik: str
    name: str
    birth_date: dt.date
    sex: str  # "M" or "F", as the registry keeps it
    address: str
    occupation: str
    income_base: int
    programmes: tuple[str, ...]  # ("JKK", "JKM") or with "JHT"
    start_date: dt.date | None  # None: cover starts when BPJS accepts the worker
    months: int
    participation_code: str

    def cells(self) -> tuple[object, ...]:
        """The row's values in COLUMNS order (the three response columns empty)."""
        return (
            self.batch,
            self.nik,
            self.name,
            self.birth_date,
            SEX_CODES[self.sex],
            self.address,
            self.occupation,
            self.income_base,
            "+".join(self.programmes),
            self.start_date,
            self.months,
            self.participation_code,
            "",
            "",
            "",
        )

    def as_json(self) -> dict[str, object]:
        """The row as stored with the batch, to write the same file again later."""
        return {
            **{name: getattr(self, name) for name in self.__slots__},
            "birth_date": self.birth_date.isoformat(),
            "programmes": list(self.programmes),
            "start_date": self.start_date.isoformat() if self.start_date else None,
        }

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


def _text(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value if isinstance(value, int) else safe_cell(value)


def write_csv(rows: Iterable[SubmissionRow], out: BinaryIO) -> None:
    # UTF-8 with a BOM: Excel then shows names with accents correctly.
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(_text(v) for v in row.cells())
    text.detach()


def write_xlsx(rows: Iterable[SubmissionRow], out: BinaryIO) -> None:
    # xlsxwriter in constant_memory mode streams each row to a temporary file as it comes:
    # 100,000 rows in seconds, where openpyxl's element tree took minutes.
    wb = xlsxwriter.Workbook(out, {"constant_memory": True})
    ws = wb.add_worksheet("batch")
    for column, width in enumerate(_WIDTHS):
        ws.set_column(column, column, width)
    ws.freeze_panes(1, 0)
    ws.write_row(0, 0, COLUMNS, wb.add_format({"bold": True}))
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row.cells()):
            if isinstance(value, int):
                ws.write_number(r, c, value)
            elif isinstance(value, dt.date):
                ws.write_datetime(r, c, value, date)
            elif value:
                # Text always as a string after safe_cell: a NIK never becomes a number, a
                # cell starting with "=" never a formula.
                ws.write_string(r, c, safe_cell(value))
    wb.close()


def write(rows: Iterable[SubmissionRow], out: BinaryIO, file_format: str) -> None:
    {"xlsx": write_xlsx, "csv": write_csv}[file_format](rows, out)
