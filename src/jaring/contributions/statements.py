"""BPJS's monthly statement of a branch: who it counts as a member, for which month, for how much.

A statement file (xlsx/csv) has one row per member: KPJ or NIK (at least one), the month, the
amount and the member's status at BPJS; a city column, when present, must name the programme's
city. `read_statement` reads and checks it (every problem at once, or none); `compare` sets it
beside what Jaring billed for the same programme and month. Pure Python: no database.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

from jaring.contributions.errors import ContributionError
from jaring.core.errors import CoreError, Problem, ValidationFailed
from jaring.enrolment.errors import EnrolmentError
from jaring.enrolment.exchange.table import read_table
from jaring.registry.errors import RegistryError
from jaring.rules.nik import normalise

_ALIASES = {
    "kpj": "kpj",
    "no_kpj": "kpj",
    "nomor_kpj": "kpj",
    "nik": "nik",
    "no_nik": "nik",
    "month": "month",
    "bulan": "month",
    "periode": "month",
    "bulan_iuran": "month",
    "amount": "amount",
    "iuran": "amount",
    "jumlah": "amount",
    "jumlah_iuran": "amount",
    "nominal": "amount",
    "status": "status",
    "status_kepesertaan": "status",
    "city": "city",
    "kota": "city",
    "kota_kab": "city",
    "kab_kota": "city",
    "wilayah": "city",
    "name": "name",
    "nama": "name",
    "nama_lengkap": "name",
}
REQUIRED = ("month", "amount", "status")
ACTIVE, INACTIVE = "active", "inactive"
_STATUSES = {
    "aktif": ACTIVE,
    "active": ACTIVE,
    "nonaktif": INACTIVE,
    "non_aktif": INACTIVE,
    "non aktif": INACTIVE,
    "tidak aktif": INACTIVE,
    "inactive": INACTIVE,
    "berakhir": INACTIVE,
    "ended": INACTIVE,
}
_MONTH = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})(?:-\d{1,2})?$"),
    re.compile(r"^(?P<m>\d{1,2})[-/](?P<y>\d{4})$"),
    re.compile(r"^\d{1,2}[-/](?P<m>\d{1,2})[-/](?P<y>\d{4})$"),
)


@dataclass(frozen=True, slots=True)
class StatementRow:
    line: int
    kpj: str
    nik: str
    month: dt.date
    amount: int
    status: str  # ACTIVE or INACTIVE
    city: str
    name: str


def _problem(line: int, column: str, code, text_id: str, text_en: str, **params) -> Problem:
    return Problem(
        code,
        f"Baris {line}, kolom {column}: {text_id}",
        f"Row {line}, column {column}: {text_en}",
        field=f"rows.{line}.{column}",
        params={"row": line, **params},
    )


def _digits(text: str) -> str:
    text = normalise(text).upper()
    return text[:-2] if text.endswith(".0") and text[:-2].isdigit() else text


def parse_month(text: str) -> dt.date | None:
    """'2026-03', '03-2026', '03/2026', '2026-03-01', '01-03-2026' → 1 March 2026."""
    text = text.strip().split(" ")[0]
    for pattern in _MONTH:
        if (found := pattern.match(text)) and 1 <= int(found["m"]) <= 12:
            return dt.date(int(found["y"]), int(found["m"]), 1)
    return None


def _amount(text: str) -> int | None:
    """'16800', 'Rp16.800', '16,800', '16800.0' → 16800 (whole rupiah only)."""
    text = re.sub(r"(?i)^rp\.?\s*", "", text.strip()).replace(" ", "")
    if re.fullmatch(r"\d+(\.0+)?", text):
        return int(float(text))
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", text):
        return int(re.sub(r"[.,]", "", text))
    return None


def _row(line: int, cells: dict[str, str], problems: list[Problem]) -> StatementRow | None:
    kpj, nik = _digits(cells.get("kpj", "")), _digits(cells.get("nik", ""))
    before = len(problems)
    if not kpj and not nik:
        problems.append(
            _problem(
                line,
                "kpj",
                ContributionError.STATEMENT_MEMBER_MISSING,
                "perlu nomor KPJ atau NIK.",
                "a KPJ number or a NIK is needed.",
            )
        )
    if nik and not (len(nik) == 16 and nik.isdigit()):
        problems.append(
            _problem(
                line,
                "nik",
                EnrolmentError.NIK_INVALID,
                "NIK harus 16 angka.",
                "a NIK has 16 digits.",
            )
        )
    month = parse_month(cells["month"])
    if month is None:
        problems.append(
            _problem(
                line,
                "month",
                CoreError.MONTH_INVALID,
                f"bulan '{cells['month']}' tidak terbaca (mis. 2026-03 atau 03-2026).",
                f"month '{cells['month']}' cannot be read (e.g. 2026-03 or 03-2026).",
            )
        )
    amount = _amount(cells["amount"])
    if amount is None:
        problems.append(
            _problem(
                line,
                "amount",
                ContributionError.STATEMENT_AMOUNT_INVALID,
                f"iuran '{cells['amount']}' bukan jumlah rupiah bulat.",
                f"amount '{cells['amount']}' is not a whole rupiah amount.",
            )
        )
    status = _STATUSES.get(cells["status"].strip().lower())
    if status is None:
        problems.append(
            _problem(
                line,
                "status",
                ContributionError.STATEMENT_STATUS_UNKNOWN,
                f"status '{cells['status']}' tidak dikenal (aktif atau nonaktif).",
                f"unknown status '{cells['status']}' (aktif/active or nonaktif/inactive).",
            )
        )
    if len(problems) > before:
        return None
    return StatementRow(
        line, kpj, nik, month, amount, status, cells.get("city", ""), cells.get("name", "")
    )


def _repeats(rows: list[StatementRow], key: str, problems: list[Problem]) -> None:
    lines: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        if value := getattr(row, key):
            lines[value].append(row.line)
    for value, found in lines.items():
        if len(found) > 1:
            problems.append(
                Problem(
                    RegistryError.NIK_REPEATED if key == "nik" else EnrolmentError.KPJ_REPEATED,
                    f"{key.upper()} {value} muncul lebih dari sekali (baris "
                    f"{', '.join(map(str, found))}).",
                    f"{key.upper()} {value} appears more than once (rows "
                    f"{', '.join(map(str, found))}).",
                    field=f"rows.{found[1]}.{key}",
                    params={"rows": found, key: value},
                )
            )


def read_statement(data: bytes, file_name: str) -> list[StatementRow]:
    """Every row of the statement, or ValidationFailed with every problem (a missing column
    once)."""
    table = read_table(data, file_name)
    rename = {c: _ALIASES[c] for c in table.columns if c in _ALIASES}
    present = set(rename.values())
    missing = [c for c in REQUIRED if c not in present]
    if not present & {"kpj", "nik"}:
        missing.insert(0, "kpj/nik")
    if missing:
        raise ValidationFailed(
            Problem(
                CoreError.COLUMNS_MISSING,
                f"Kolom wajib tidak ada: {', '.join(missing)}. Tidak ada yang diubah.",
                f"Required columns are missing: {', '.join(missing)}. Nothing was changed.",
                field="file",
                params={"columns": missing},
            )
        )
    problems: list[Problem] = []
    rows = [
        _row(line, {rename[k]: v for k, v in cells.items() if k in rename}, problems)
        for line, cells in table.rows
    ]
    if not table.rows:
        problems.append(
            Problem(CoreError.FILE_NO_ROWS, "Berkas tidak berisi baris.", "The file has no rows.")
        )
    found = [r for r in rows if r is not None]
    _repeats(found, "kpj", problems)
    _repeats(found, "nik", problems)
    if problems:
        raise ValidationFailed(*problems)
    return found


@dataclass(frozen=True, slots=True)
class Billed:
    """One member Jaring billed for the month: what the comparison needs."""

    membership_id: int
    kpj: str
    nik: str
    name: str
    amount: int


@dataclass
class Comparison:
    matched: int = 0
    bpjs_total: int = 0
    jaring_total: int = 0
    # BPJS counts them (active), Jaring billed nobody by that KPJ/NIK this month.
    bpjs_only: list[dict[str, object]] = field(default_factory=list)
    # Jaring billed them, BPJS does not count them (absent, or listed as inactive).
    jaring_only: list[dict[str, object]] = field(default_factory=list)
    amount_differs: list[dict[str, object]] = field(default_factory=list)


def compare(rows: list[StatementRow], billed: list[Billed]) -> Comparison:
    """Each statement row beside Jaring's billed member with its KPJ (else its NIK)."""
    by_kpj = {b.kpj: b for b in billed if b.kpj}
    by_nik = {b.nik: b for b in billed}
    result = Comparison(jaring_total=sum(b.amount for b in billed))
    seen: dict[int, StatementRow] = {}
    for row in rows:
        member = (by_kpj.get(row.kpj) if row.kpj else None) or by_nik.get(row.nik)
        if row.status == ACTIVE:
            result.bpjs_total += row.amount
        if member is None:
            if row.status == ACTIVE:
                result.bpjs_only.append(
                    {"row": row.line, "kpj": row.kpj, "nik": row.nik, "name": row.name,
                     "amount": row.amount}
                )  # fmt: skip
            continue
        seen[member.membership_id] = row
        if row.status != ACTIVE:
            continue
        result.matched += 1
        if row.amount != member.amount:
            result.amount_differs.append(
                {
                    "row": row.line,
                    "membership_id": member.membership_id,
                    "kpj": member.kpj or row.kpj,
                    "nik": member.nik,
                    "name": member.name,
                    "jaring": member.amount,
                    "bpjs": row.amount,
                    "difference": row.amount - member.amount,
                }
            )
    for member in billed:
        row = seen.get(member.membership_id)
        if row is None or row.status != ACTIVE:
            result.jaring_only.append(
                {
                    "membership_id": member.membership_id,
                    "kpj": member.kpj,
                    "nik": member.nik,
                    "name": member.name,
                    "amount": member.amount,
                    "bpjs_status": row.status if row else "",
                    "row": row.line if row else None,
                }
            )
    return result
