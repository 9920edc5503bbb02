"""Any xlsx or csv file as rows of text, keyed by normalised column names.

Every cell is read as text so that a NIK or KPJ keeps all its digits; polars with calamine
reads 100,000 rows in well under a second (DEPENDENCIES.md).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import polars as pl

from jaring.core.errors import Problem, ValidationFailed
from jaring.enrolment.errors import EnrolmentError

_NOT_WORD = re.compile(r"[^0-9a-z]+")
# calamine reads a date cell as "2026-03-02 00:00:00"; a date is what the cell held.
_ZIP = b"PK\x03\x04"  # an xlsx file is a zip archive
_MIDNIGHT = r"^(\d{4}-\d{2}-\d{2})[ T]00:00:00$"


@dataclass(frozen=True, slots=True)
class Table:
    columns: tuple[str, ...]
    # Each row with the spreadsheet line it came from (the header is line 1).
    rows: list[tuple[int, dict[str, str]]]


def column_key(header: object) -> str:
    """'No. KPJ ' → 'no_kpj': how a column is recognised whatever its spelling."""
    return _NOT_WORD.sub("_", str(header or "").strip().lower()).strip("_")


def _unreadable(file_name: str, detail: str) -> ValidationFailed:
    return ValidationFailed(
        Problem(
            EnrolmentError.FILE_UNREADABLE,
            f"Berkas {file_name} tidak dapat dibaca sebagai xlsx atau csv ({detail}).",
            f"File {file_name} cannot be read as xlsx or csv ({detail}).",
            field="file",
        )
    )


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the ANSI code page.
        return data.decode("cp1252", errors="replace")


def _read_csv(data: bytes) -> pl.DataFrame:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    # Excel in an Indonesian locale separates with ';' (the decimal separator is ',').
    separator = ";" if first_line.count(";") > first_line.count(",") else ","
    return pl.read_csv(
        io.StringIO(text), separator=separator, infer_schema=False, truncate_ragged_lines=True
    )


def read_table(data: bytes, file_name: str) -> Table:
    name = file_name.lower()
    # An upload without a file name (curl -F file=@-) is told apart by its content.
    bare = "." not in name.rsplit("/", 1)[-1]
    try:
        if name.endswith((".xlsx", ".xlsm")) or (bare and data.startswith(_ZIP)):
            frame = pl.read_excel(data, engine="calamine", infer_schema_length=0)
        elif name.endswith((".csv", ".txt")) or bare:
            frame = _read_csv(data)
        else:
            raise _unreadable(file_name, "xlsx/csv")
    except ValidationFailed:
        raise
    except Exception as exc:  # polars/calamine raise many kinds for a damaged file
        raise _unreadable(file_name, type(exc).__name__) from exc
    columns = tuple(column_key(c) for c in frame.columns)
    # Every cell trimmed, empty for a missing value, a date cell's midnight dropped: in one
    # vectorised pass rather than per cell in Python (100,000 rows × 15 columns).
    frame = frame.select(
        pl.all().cast(pl.String).fill_null("").str.strip_chars().str.replace(_MIDNIGHT, "$1")
    )
    rows = [
        (number, dict(zip(columns, values, strict=True)))
        for number, values in enumerate(frame.iter_rows(), start=2)
        if any(values)
    ]
    return Table(columns, rows)
