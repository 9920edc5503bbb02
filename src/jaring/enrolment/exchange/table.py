"""A BPJS file (xlsx or csv) as rows of text, keyed by normalised column names.

Read by `core.spreadsheets` with the header in row 1, so that a NIK or KPJ keeps all its digits;
what this adds is the exchange's view of it: a column by its spelling-free key, a date cell as
the date it holds, and the spreadsheet line of each row for the messages.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from jaring.core import spreadsheets
from jaring.core.errors import CoreError, Problem, ValidationFailed

_NOT_WORD = re.compile(r"[^0-9a-z]+")
# calamine reads a date cell as "2026-03-02 00:00:00"; a date is what the cell held.
_MIDNIGHT = r"^(\d{4}-\d{2}-\d{2})[ T]00:00:00$"
_NAMES = (".xlsx", ".xlsm", ".csv", ".txt")


@dataclass(frozen=True, slots=True)
class Table:
    columns: tuple[str, ...]
    # Each row with the spreadsheet line it came from (the header is line 1).
    rows: list[tuple[int, dict[str, str]]]


def column_key(header: object) -> str:
    """'No. KPJ ' → 'no_kpj': how a column is recognised whatever its spelling."""
    return _NOT_WORD.sub("_", str(header or "").strip().lower()).strip("_")


def read_table(data: bytes, file_name: str) -> Table:
    name = file_name.lower()
    # An upload without a file name (curl -F file=@-) is told apart by its content.
    if "." in name.rsplit("/", 1)[-1] and not name.endswith(_NAMES):
        raise ValidationFailed(
            Problem(
                CoreError.FILE_UNREADABLE,
                f"Berkas {file_name} tidak dapat dibaca sebagai xlsx atau csv.",
                f"File {file_name} cannot be read as xlsx or csv.",
                field="file",
            )
        )
    with tempfile.NamedTemporaryFile() as file:
        file.write(data)
        file.flush()
        sheet = spreadsheets.read(Path(file.name), header_row=1)
    columns = tuple(column_key(h) for h in sheet.headers)
    # Every cell trimmed, empty for a missing value, a date cell's midnight dropped: in one
    # vectorised pass rather than per cell in Python (100,000 rows × 15 columns).
    frame = sheet.frame.select(
        pl.all().cast(pl.String).fill_null("").str.strip_chars().str.replace(_MIDNIGHT, "$1")
    )
    rows = [
        (number, dict(zip(columns, values, strict=True)))
        for number, values in enumerate(frame.iter_rows(), start=sheet.header_row + 1)
        if any(values)
    ]
    return Table(columns, rows)
