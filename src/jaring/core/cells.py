"""Cell values that are safe to open in a spreadsheet (every csv/xlsx Jaring hands out)."""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.worksheet.worksheet import Worksheet

# A spreadsheet runs a cell starting with one of these as a formula (CSV/formula injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The value as text, with a leading apostrophe when a spreadsheet would run it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def text_cell(sheet: Worksheet, value: object, **style) -> Cell:
    """An xlsx cell holding `value` as text, never a formula, whatever it starts with.

    openpyxl stores a string starting with "=" as a live formula; a name typed as
    "=HYPERLINK(...)" must reach the finance office as the text it is.
    """
    cell = WriteOnlyCell(sheet, value="" if value is None else str(value))
    cell.data_type = "s"
    return _styled(cell, style)


def xlsx_row(sheet: Worksheet, values: Iterable[object], **style) -> list[object]:
    """A row for `sheet.append`: text as `text_cell`s, numbers and dates as they are."""
    return [
        text_cell(sheet, v, **style)
        if isinstance(v, str)
        else (_styled(WriteOnlyCell(sheet, value=v), style) if style else v)
        for v in values
    ]


def _styled(cell: Cell, style: dict) -> Cell:
    for key, val in style.items():
        setattr(cell, key, val)
    return cell
