"""Cell values that are safe to open in a spreadsheet (every csv/xlsx Jaring hands out)."""

from __future__ import annotations

# A spreadsheet runs a cell starting with one of these as a formula (CSV/formula injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The value as text, with a leading apostrophe when a spreadsheet would run it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text
