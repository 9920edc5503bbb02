"""The banks' file profiles (autodebit/data/banks.toml): writing an instruction file and reading
a result file, CSV or XLSX, as the profile says."""

from __future__ import annotations

import csv
import io
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

INSTRUCTION_FIELDS = ("reference", "mandate", "name", "amount", "debit_date", "months")
RESULT_FIELDS = ("reference", "status", "reason", "bank_reference")


@dataclass(frozen=True)
class Profile:
    code: str
    name: str
    format: str
    delimiter: str
    date_format: str
    instruction_columns: tuple[tuple[str, str], ...]
    result_columns: dict[str, str]
    success: frozenset[str]

    @property
    def extension(self) -> str:
        return self.format

    def write(self, rows: Iterable[dict]) -> bytes:
        headers = [h for _, h in self.instruction_columns]
        fields = [f for f, _ in self.instruction_columns]
        if self.format == "xlsx":
            from openpyxl import Workbook

            book = Workbook(write_only=True)
            sheet = book.create_sheet("Debet")
            sheet.append(headers)
            for r in rows:
                sheet.append([r[f] for f in fields])
            out = io.BytesIO()
            book.save(out)
            return out.getvalue()
        text = io.StringIO()
        writer = csv.writer(text, delimiter=self.delimiter, lineterminator="\n")
        writer.writerow(headers)
        writer.writerows([r[f] for f in fields] for r in rows)
        return text.getvalue().encode("utf-8")

    def read(self, data: bytes) -> tuple[list[str], Iterator[list[str]]]:
        """(headers, rows as text) of a result file; raises ValueError when unreadable."""
        if self.format == "xlsx":
            from openpyxl import load_workbook

            try:
                book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            except Exception as exc:
                raise ValueError(str(exc)) from None
            rows = book.worksheets[0].iter_rows(values_only=True)
            head = next(rows, None) or ()
            return [str(h or "").strip() for h in head], (
                ["" if v is None else str(v).strip() for v in row] for row in rows
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValueError(str(exc)) from None
        reader = csv.reader(io.StringIO(text), delimiter=self.delimiter)
        head = next(reader, [])
        return [h.strip() for h in head], ([v.strip() for v in row] for row in reader)


@cache
def profiles() -> dict[str, Profile]:
    text = resources.files("jaring.autodebit").joinpath("data/banks.toml").read_text("utf-8")
    data = tomllib.loads(text)
    out = {}
    for code, p in data["banks"].items():
        columns = tuple((f, h) for f, h in p["instruction_columns"])
        unknown = {f for f, _ in columns} - set(INSTRUCTION_FIELDS)
        if unknown or set(p["result_columns"]) != set(RESULT_FIELDS):
            raise ValueError(f"bank profile {code}: unknown or missing fields")
        out[code] = Profile(
            code=code,
            name=p["name"],
            format=p["format"],
            delimiter=p.get("delimiter", ","),
            date_format=p["date_format"],
            instruction_columns=columns,
            result_columns=dict(p["result_columns"]),
            success=frozenset(s.upper() for s in p["success"]),
        )
    return out
