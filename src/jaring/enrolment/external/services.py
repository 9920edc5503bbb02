"""Importing cover outside Jaring (self-paid, wage-earner, another payer) from a csv/xlsx list.

The file is read with the import readers and its NIKs and dates cleaned like a worker list;
every bad cell is reported with its row and column, and the file is applied whole or not at all.
The same list imported again updates its records (one per NIK, segment and start date).
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from django.db import transaction
from django.utils import timezone

from jaring.accounts import audit
from jaring.accounts.models import User
from jaring.accounts.scope import in_scope, scope_code
from jaring.core import spreadsheets
from jaring.core.errors import CoreError, PermissionDenied, Problem, ValidationFailed
from jaring.enrolment.errors import EnrolmentError
from jaring.enrolment.external.models import ExternalCover, OutsideSegment
from jaring.enrolment.external.permissions import EXTERNAL_COVER
from jaring.imports import normalise
from jaring.regions.errors import RegionError
from jaring.regions.models import Region
from jaring.registry.models import Worker
from jaring.rules import nik as nik_rules

BENEFITS = ("JKK", "JKM", "JHT", "JP", "JKP")
REQUIRED = ("nik", "segment", "benefits", "start")
# Header (lower case, single spaces) → column; the English names are the documented ones.
HEADERS = {
    "nik": "nik",
    "no ktp": "nik",
    "segment": "segment",
    "segmen": "segment",
    "benefits": "benefits",
    "program": "benefits",
    "manfaat": "benefits",
    "start": "start",
    "mulai": "start",
    "tanggal mulai": "start",
    "end": "end",
    "selesai": "end",
    "tanggal selesai": "end",
    "kpj": "kpj",
    "no kpj": "kpj",
}
SEGMENTS = {
    "self paid": OutsideSegment.SELF_PAID,
    "bpu": OutsideSegment.SELF_PAID,
    "bpu mandiri": OutsideSegment.SELF_PAID,
    "mandiri": OutsideSegment.SELF_PAID,
    "wage earner": OutsideSegment.WAGE_EARNER,
    "pu": OutsideSegment.WAGE_EARNER,
    "penerima upah": OutsideSegment.WAGE_EARNER,
    "other funded": OutsideSegment.OTHER_FUNDED,
    "daerah lain": OutsideSegment.OTHER_FUNDED,
    "lain": OutsideSegment.OTHER_FUNDED,
}


@dataclass
class ImportResult:
    rows: int
    created: int
    updated: int
    registered: int  # rows whose NIK belongs to a registered worker
    region: str
    source: str

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def _words(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.strip().lower())


def _problem(row: int, column: str, code: str, text_id: str, text_en: str) -> Problem:
    return Problem(
        code,
        f"Baris {row}, kolom {column}: {text_id}",
        f"Row {row}, column {column}: {text_en}",
        field=f"rows.{row}.{column}",
        params={"row": row},
    )


def _check(actor: User, region_code: str) -> Region:
    EXTERNAL_COVER.check(actor, "import")
    code = region_code.strip() or scope_code(actor) or ""
    if not code:
        raise ValidationFailed(
            Problem(
                EnrolmentError.REGION_REQUIRED,
                "Pilih wilayah yang datanya diimpor.",
                "Choose the region the list is for.",
                field="region",
            )
        )
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise ValidationFailed(
            Problem(
                RegionError.REGION_UNKNOWN,
                f"Kode wilayah {code} tidak dikenal.",
                f"Region code {code} does not exist.",
                field="region",
            )
        )
    if not in_scope(actor, region.code):
        raise PermissionDenied(
            Problem(
                CoreError.OUT_OF_SCOPE,
                f"Wilayah {code} di luar wilayah kerja Anda.",
                f"Region {code} is outside your region.",
                field="region",
            )
        )
    return region


def _frame(path: Path) -> tuple[pl.DataFrame, int]:
    """The file's cells under the documented column names, NIKs and dates cleaned."""
    spreadsheets.check_size(path.stat().st_size)
    sheet = spreadsheets.read(path, header_row=1)
    columns = {}
    for header in sheet.headers:
        name = HEADERS.get(_words(header))
        if name and name not in columns:
            columns[name] = header
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise ValidationFailed(
            Problem(
                CoreError.COLUMNS_MISSING,
                f"Kolom wajib tidak ada: {', '.join(missing)} (wajib: {', '.join(REQUIRED)}).",
                f"Required columns missing: {', '.join(missing)} "
                f"(required: {', '.join(REQUIRED)}).",
                field="file",
            )
        )
    if sheet.frame.height == 0:
        raise ValidationFailed(
            Problem(
                CoreError.FILE_NO_ROWS,
                "Berkas tidak berisi baris data di bawah judul kolom.",
                "The file has no data rows below the column headers.",
                field="file",
            )
        )
    today = timezone.localdate()

    def cell(name: str) -> pl.Expr:
        return pl.col(columns[name]).fill_null("") if name in columns else pl.lit("")

    nik, lossy = normalise.nik(cell("nik"))
    frame = sheet.frame.select(
        nik=nik,
        nik_lossy=lossy,
        segment=cell("segment"),
        benefits=cell("benefits"),
        start_text=cell("start").str.strip_chars(),
        start=normalise.date(cell("start"), today),
        end_text=cell("end").str.strip_chars(),
        end=normalise.date(cell("end"), today),
        kpj=cell("kpj").str.strip_chars(),
    )
    return frame, sheet.header_row


def _benefits(text: str) -> list[str] | None:
    given = {b for b in re.split(r"[\s,+/;&]+", text.upper()) if b}
    if not given or given - set(BENEFITS):
        return None
    return [b for b in BENEFITS if b in given]


def _record(row_no: int, row: dict, problems: list[Problem]) -> ExternalCover | None:
    found = len(problems)
    nik = nik_rules.parse(row["nik"])
    if row["nik_lossy"]:
        problems.append(
            _problem(
                row_no,
                "nik",
                EnrolmentError.NIK_EXCEL_NUMBER,
                "NIK rusak karena disimpan Excel sebagai angka; ketik ulang sebagai teks.",
                "The NIK was damaged when Excel stored it as a number; type it again as text.",
            )
        )
    elif not nik.valid:
        problems.append(_problem(row_no, "nik", nik.error.code, nik.error.id, nik.error.en))
    segment = SEGMENTS.get(_words(row["segment"]))
    if segment is None:
        problems.append(
            _problem(
                row_no,
                "segment",
                EnrolmentError.SEGMENT_UNKNOWN,
                f"segmen '{row['segment']}' tidak dikenal; isi self_paid (BPU mandiri), "
                "wage_earner (penerima upah) atau other_funded (dibayar pihak lain).",
                f"segment '{row['segment']}' is unknown; use self_paid, wage_earner or "
                "other_funded.",
            )
        )
    benefits = _benefits(row["benefits"])
    if benefits is None:
        allowed = ", ".join(BENEFITS)
        problems.append(
            _problem(
                row_no,
                "benefits",
                EnrolmentError.BENEFITS_UNKNOWN,
                f"program '{row['benefits']}' tidak dikenal; isi satu atau lebih dari {allowed}.",
                f"benefits '{row['benefits']}' are unknown; give one or more of {allowed}.",
            )
        )
    start, end = row["start"], row["end"]
    for column, value, text in (("start", start, row["start_text"]), ("end", end, row["end_text"])):
        if value is None and (text or column == "start"):
            problems.append(
                _problem(
                    row_no,
                    column,
                    EnrolmentError.DATE_REQUIRED if not text else EnrolmentError.DATE_INVALID,
                    "tanggal wajib diisi." if not text else f"'{text}' bukan tanggal.",
                    "a date is required." if not text else f"'{text}' is not a date.",
                )
            )
    if start and end and end < start:
        problems.append(
            _problem(
                row_no,
                "end",
                EnrolmentError.END_BEFORE_START,
                "tanggal selesai sebelum tanggal mulai.",
                "the end date is before the start date.",
            )
        )
    if len(problems) > found:
        return None
    return ExternalCover(
        nik=nik.nik,
        segment=segment,
        benefits=",".join(benefits),
        kpj=row["kpj"][:20],
        start_date=start,
        end_date=end,
    )


def import_external_cover(
    *, actor: User, path: Path, source: str = "", region_code: str = ""
) -> ImportResult:
    """Reads, checks and saves the whole list, or raises with every row's problem."""
    region = _check(actor, region_code)
    frame, header_row = _frame(path)
    problems: list[Problem] = []
    records: list[ExternalCover] = []
    first_row: dict[tuple, int] = {}
    for i, row in enumerate(frame.iter_rows(named=True)):
        row_no = header_row + 1 + i
        record = _record(row_no, row, problems)
        if record is None:
            continue
        key = (record.nik, record.segment, record.start_date)
        if key in first_row:
            problems.append(
                _problem(
                    row_no,
                    "nik",
                    EnrolmentError.ROW_TWICE,
                    f"NIK, segmen dan tanggal mulai yang sama sudah ada di baris {first_row[key]}.",
                    f"the same NIK, segment and start date are already in row {first_row[key]}.",
                )
            )
            continue
        first_row[key] = row_no
        records.append(record)
    if problems:
        raise ValidationFailed(*problems)
    return _save(actor, region, records, source or path.name)


def import_upload(*, actor: User, upload, region_code: str = "") -> ImportResult:
    """The same, for an uploaded file (page and API); the reader needs it on disk."""
    spreadsheets.check_size(upload.size or 0)
    with tempfile.NamedTemporaryFile(suffix=Path(upload.name or "").suffix) as f:
        for chunk in upload.chunks():
            f.write(chunk)
        f.flush()
        return import_external_cover(
            actor=actor, path=Path(f.name), source=upload.name or "", region_code=region_code
        )


@transaction.atomic
def _save(actor: User, region: Region, records: list[ExternalCover], source: str) -> ImportResult:
    niks = {r.nik for r in records}
    workers = dict(Worker.objects.filter(nik__in=niks).values_list("nik", "pk"))
    existing = set(
        ExternalCover.objects.filter(nik__in=niks).values_list("nik", "segment", "start_date")
    )
    now = timezone.now()
    for r in records:
        r.worker_id = workers.get(r.nik)
        r.region = region
        r.source = source[:200]
        r.imported_by = actor
        r.imported_at = now
    ExternalCover.objects.bulk_create(
        records,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["nik", "segment", "start_date"],
        update_fields=[
            "worker",
            "benefits",
            "kpj",
            "end_date",
            "region",
            "source",
            "imported_by",
            "imported_at",
        ],
    )
    updated = sum((r.nik, r.segment, r.start_date) in existing for r in records)
    result = ImportResult(
        rows=len(records),
        created=len(records) - updated,
        updated=updated,
        registered=sum(r.worker_id is not None for r in records),
        region=region.code,
        source=source,
    )
    audit.record(
        actor=actor,
        action="external_cover.import",
        target=region,
        region_code=region.code,
        before=None,
        after=result.as_dict(),
    )
    return result
