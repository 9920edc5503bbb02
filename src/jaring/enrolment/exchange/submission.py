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

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

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


def _xlsx_value(value: object) -> object:
    # Plain values: openpyxl writes a date as a date cell and a str as a string cell (never a
    # formula once safe_cell has escaped it), so a NIK stays text. Styled cells cost 5× more.
    return value if isinstance(value, int | dt.date) else safe_cell(value)


def write_xlsx(rows: Iterable[SubmissionRow], out: BinaryIO) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("batch")
    for letter, width in zip("ABCDEFGHIJKLMNO", _WIDTHS, strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in COLUMNS:
        cell = WriteOnlyCell(ws, name)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for row in rows:
        ws.append([_xlsx_value(v) for v in row.cells()])
    wb.save(out)


def write(rows: Iterable[SubmissionRow], out: BinaryIO, file_format: str) -> None:
    {"xlsx": write_xlsx, "csv": write_csv}[file_format](rows, out)
