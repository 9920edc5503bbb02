"""The BPJS branch's response to a submission batch: per NIK, accepted with a KPJ number or
rejected with a reason.

Read through an export profile (`profiles`): the same layout the batch went out in comes back
with the branch's answers. Jaring's layout needs the columns nik, kpj, status (reason,
start_date, batch optional); a profile whose status rule is "from_kpj" (bpjs-kolektif) needs NIK
and NO KPJ only: a KPJ number means accepted, a reason without one rejected. Indonesian headers
(no_kpj, alasan, tgl_mulai, ...) and statuses (diterima/ditolak) are understood in any profile.
A row without an answer has not been answered yet. Any problem in the file refuses the whole
file; a missing column is reported once, before any row is read.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from jaring.core.errors import Conflict, CoreError, Problem, ValidationFailed
from jaring.enrolment.errors import EnrolmentError
from jaring.enrolment.exchange import profiles
from jaring.enrolment.exchange.profiles import Profile
from jaring.enrolment.exchange.table import read_table
from jaring.registry.errors import RegistryError
from jaring.rules.nik import normalise

ACCEPTED = "accepted"
REJECTED = "rejected"
UNANSWERED = ""

_ALIASES = {
    "nik": "nik",
    "no_nik": "nik",
    "kpj": "kpj",
    "no_kpj": "kpj",
    "nomor_kpj": "kpj",
    "kpj_number": "kpj",
    "status": "status",
    "hasil": "status",
    "reason": "reason",
    "alasan": "reason",
    "keterangan": "reason",
    "start_date": "start_date",
    "start": "start_date",
    "tgl_mulai": "start_date",
    "tanggal_mulai": "start_date",
    "batch": "batch",
    "no_batch": "batch",
}
REQUIRED = ("nik", "kpj", "status")
_STATUSES = {
    "accepted": ACCEPTED,
    "diterima": ACCEPTED,
    "terima": ACCEPTED,
    "rejected": REJECTED,
    "ditolak": REJECTED,
    "tolak": REJECTED,
    "": UNANSWERED,
}
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")


@dataclass(frozen=True, slots=True)
class ResponseRow:
    line: int
    nik: str
    status: str  # ACCEPTED, REJECTED or UNANSWERED
    kpj: str
    reason: str
    start_date: dt.date | None
    batch: str


def _problem(line: int, column: str, code: str, text_id: str, text_en: str, **params) -> Problem:
    return Problem(
        code,
        f"Baris {line}, kolom {column}: {text_id}",
        f"Row {line}, column {column}: {text_en}",
        field=f"rows.{line}.{column}",
        params={"row": line, **params},
    )


def _date(text: str) -> dt.date | None:
    # xlsx dates arrive as "2026-04-01 00:00:00".
    text = text.split(" ")[0].split("T")[0]
    if len(text) == 10 and text[4] == "-":
        # YYYY-MM-DD, what the batch file and most responses hold: parsed in C, strptime
        # costs seconds over 100,000 rows.
        return dt.date.fromisoformat(text)
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _number_text(text: str) -> str:
    """'23012345678.0' (a number cell read as text) → '23012345678'; separators dropped."""
    text = normalise(text).upper()
    return text[:-2] if text.endswith(".0") and text[:-2].isdigit() else text


def _inferred(cells: dict[str, str]) -> str:
    """A profile without a status column: the KPJ number is the answer."""
    if _number_text(cells.get("kpj", "")):
        return ACCEPTED
    return REJECTED if cells.get("reason", "").strip() else UNANSWERED


def _row(
    line: int, cells: dict[str, str], problems: list[Problem], infer: bool = False
) -> ResponseRow:
    nik = _number_text(cells["nik"])
    if not (len(nik) == 16 and nik.isdigit()):
        problems.append(
            _problem(
                line,
                "nik",
                EnrolmentError.NIK_INVALID,
                "NIK harus 16 angka.",
                "a NIK has 16 digits.",
                nik=nik,
            )
        )
    raw_status = cells.get("status", "").strip().lower()
    status = _STATUSES.get(raw_status)
    if infer and not raw_status:
        status = _inferred(cells)
    if status is None:
        problems.append(
            _problem(
                line,
                "status",
                EnrolmentError.STATUS_UNKNOWN,
                f"status '{cells['status']}' tidak dikenal (accepted/diterima atau "
                "rejected/ditolak).",
                f"unknown status '{cells['status']}' (accepted/diterima or rejected/ditolak).",
            )
        )
    kpj = _number_text(cells.get("kpj", ""))
    reason = cells.get("reason", "")
    # Only presence here: the enrolment service judges the number itself.
    if status == ACCEPTED and not kpj:
        problems.append(
            _problem(
                line,
                "kpj",
                EnrolmentError.KPJ_MISSING,
                "peserta diterima wajib punya nomor KPJ.",
                "an accepted worker needs a KPJ number.",
            )
        )
    if status == REJECTED and not reason:
        problems.append(
            _problem(
                line,
                "reason",
                EnrolmentError.REASON_MISSING,
                "peserta ditolak wajib disertai alasan.",
                "a rejected worker needs a reason.",
            )
        )
    start = None
    if cells.get("start_date"):
        try:
            start = _date(cells["start_date"])
        except ValueError:
            problems.append(
                _problem(
                    line,
                    "start_date",
                    EnrolmentError.DATE_INVALID,
                    f"tanggal '{cells['start_date']}' tidak sah (YYYY-MM-DD atau DD/MM/YYYY).",
                    f"'{cells['start_date']}' is not a date (YYYY-MM-DD or DD/MM/YYYY).",
                )
            )
    return ResponseRow(
        line=line,
        nik=nik,
        status=status or UNANSWERED,
        kpj=kpj if status == ACCEPTED else "",
        reason=reason if status == REJECTED else "",
        start_date=start,
        batch=cells.get("batch", "").lstrip("'"),
    )


def _repeats(rows: list[ResponseRow], key: str, code: str, what_id: str, what_en: str):
    lines: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        value = getattr(row, key)
        if value:
            lines[value].append(row.line)
    return [
        Problem(
            code,
            f"{what_id} {value} muncul lebih dari sekali (baris {', '.join(map(str, found))}).",
            f"{what_en} {value} appears more than once (rows {', '.join(map(str, found))}).",
            field=f"rows.{found[1]}.{key}",
            params={"rows": found, key: value},
        )
        for value, found in lines.items()
        if len(found) > 1
    ]


def required_columns(profile: Profile) -> dict[str, str]:
    """The answer fields a response in `profile` must have, with the profile's header."""
    wanted = REQUIRED if profile.status_rule == "column" else ("nik", "kpj")
    return dict(zip(wanted, profile.required_headers(), strict=True))


def read_response(data: bytes, file_name: str, profile: Profile | None = None) -> list[ResponseRow]:
    profile = profile or profiles.get(profiles.DEFAULT)
    table = read_table(data, file_name)
    aliases = _ALIASES | profile.reading()
    rename = {c: aliases[c] for c in table.columns if c in aliases}
    # One problem naming every missing column (in the profile's words), not one per row.
    missing = [h for f, h in required_columns(profile).items() if f not in rename.values()]
    if missing:
        raise ValidationFailed(
            Problem(
                CoreError.COLUMNS_MISSING,
                f"Kolom wajib tidak ada: {', '.join(missing)} (profil {profile.name}). "
                "Tidak ada yang diubah.",
                f"Required columns are missing: {', '.join(missing)} (profile {profile.name}). "
                "Nothing was changed.",
                field="file",
                params={"columns": missing, "profile": profile.name},
            )
        )
    problems: list[Problem] = []
    infer = profile.status_rule == "from_kpj"
    rows = [
        _row(line, {rename[k]: v for k, v in cells.items() if k in rename}, problems, infer)
        for line, cells in table.rows
    ]
    if not rows:
        problems.append(
            Problem(
                CoreError.FILE_NO_ROWS,
                "Berkas tidak berisi baris.",
                "The file has no rows.",
                "file",
            )
        )
    problems += _repeats(rows, "nik", RegistryError.NIK_REPEATED, "NIK", "NIK")
    if problems:
        raise ValidationFailed(*problems)
    repeated_kpj = _repeats(rows, "kpj", EnrolmentError.KPJ_REPEATED, "Nomor KPJ", "KPJ number")
    if repeated_kpj:
        raise Conflict(*repeated_kpj)
    return rows
