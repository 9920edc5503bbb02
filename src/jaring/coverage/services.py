"""Writes: working population, targets and the other segments' counts; one at a time or a file.

Each write is audited, scoped (a region outside the user's is refused) and drops the cached
dashboards of the region and the regions above it. A file is taken whole or not at all, with
every refused row listed by its row number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from jaring.accounts import audit
from jaring.accounts.scope import SYSTEM, Actor, as_user, in_scope
from jaring.core import spreadsheets
from jaring.core.errors import CoreError, PermissionDenied, Problem, ValidationFailed
from jaring.coverage.errors import CoverageError
from jaring.coverage.models import (
    CoverageTarget,
    DashboardSnapshot,
    PopulationSource,
    Segment,
    SegmentCount,
    WorkingPopulation,
)
from jaring.coverage.permissions import COVERAGE
from jaring.enrolment.errors import EnrolmentError
from jaring.regions.errors import RegionError
from jaring.regions.models import Level, Region
from jaring.rules.tables import month_text, parse_month

# Who enters what: the city sets denominators and targets; the BPJS branch reports its counts.
MIN_YEAR = 2000


def _p(code: str, message_id: str, message_en: str, field: str | None = None, **params) -> Problem:
    return Problem(code, message_id, message_en, field, params)


def forget_dashboards(region_code: str) -> None:
    parts = region_code.split(".")
    codes = [".".join(parts[: i + 1]) for i in range(len(parts))]
    DashboardSnapshot.objects.filter(region_id__in=codes).delete()


# --- checking one value -------------------------------------------------------------------------


def _region(user: Actor, code: str, field: str = "region") -> Region:
    region = Region.objects.filter(code=(code or "").strip()).first()
    if region is None:
        raise ValidationFailed(
            _p(
                RegionError.REGION_UNKNOWN,
                f"Kode wilayah '{code}' tidak dikenal.",
                f"Region code '{code}' does not exist.",
                field,
            )
        )
    if region.level == Level.VILLAGE:
        raise ValidationFailed(
            _p(
                CoverageError.REGION_LEVEL,
                "Isi per provinsi, kota/kabupaten atau kecamatan, bukan kelurahan.",
                "Enter figures per province, city/regency or district, not per village.",
                field,
            )
        )
    if not in_scope(user, region.code):
        raise PermissionDenied(
            _p(
                CoreError.OUT_OF_SCOPE,
                f"Wilayah {region.name} ({region.code}) di luar wilayah kerja Anda.",
                f"{region.name} ({region.code}) is outside your region.",
                field,
                region=region.code,
            )
        )
    return region


def _year(value: object, field: str = "year") -> int:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        year = 0
    this_year = timezone.localdate().year
    if not MIN_YEAR <= year <= this_year + 10:
        raise ValidationFailed(
            _p(
                CoverageError.YEAR_INVALID,
                f"Tahun '{value}' tidak sah (antara {MIN_YEAR} dan {this_year + 10}).",
                f"Year '{value}' is not valid (between {MIN_YEAR} and {this_year + 10}).",
                field,
            )
        )
    return year


def _whole(value: object, field: str, *, zero_ok: bool) -> int:
    text = str(value if value is not None else "").strip().replace(".", "").replace(",", "")
    if not text:
        raise ValidationFailed(
            _p(CoverageError.MISSING, "Wajib diisi.", "This field is required.", field)
        )
    try:
        n = int(text)
    except ValueError:
        raise ValidationFailed(
            _p(
                CoverageError.NOT_A_NUMBER,
                "Harus bilangan bulat.",
                "Must be a whole number.",
                field,
            )
        ) from None
    if n < 0 or (n == 0 and not zero_ok):
        raise ValidationFailed(
            _p(
                CoverageError.POPULATION_ZERO if field == "people" else CoreError.NEGATIVE,
                "Jumlah penduduk bekerja harus lebih dari nol: cakupan dibagi dengan angka ini."
                if field == "people"
                else "Tidak boleh negatif.",
                "The working population must be more than zero: coverage is divided by it."
                if field == "people"
                else "Cannot be negative.",
                field,
            )
        )
    return n


def _source(value: str) -> str:
    value = (value or "").strip().lower()
    aliases = {"bps": "sakernas", "bps sakernas": "sakernas", "perkiraan": "estimate"}
    value = aliases.get(value, value)
    if value not in PopulationSource.values:
        raise ValidationFailed(
            _p(
                CoverageError.SOURCE_UNKNOWN,
                f"Sumber '{value}' tidak dikenal; pilih: {', '.join(PopulationSource.values)}.",
                f"Source '{value}' is unknown; choose: {', '.join(PopulationSource.values)}.",
                "source",
            )
        )
    return value


def _percent(value: object) -> Decimal:
    try:
        target = Decimal(str(value).strip().rstrip("%").replace(",", ".")).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        target = Decimal(-1)
    if not Decimal(0) < target <= Decimal(100):
        raise ValidationFailed(
            _p(
                CoverageError.TARGET_INVALID,
                f"Target '{value}' harus persen lebih dari 0 sampai 100.",
                f"Target '{value}' must be a percentage above 0 and at most 100.",
                "target_pct",
            )
        )
    return target


def _month(value: object, field: str = "month") -> dt.date:
    month = parse_month(str(value or ""))
    if month is None:
        raise ValidationFailed(
            _p(
                CoreError.MONTH_INVALID,
                f"Bulan '{value}' tidak sah; tulis seperti 2026-03.",
                f"Month '{value}' is not valid; write it like 2026-03.",
                field,
            )
        )
    this_month = timezone.localdate().replace(day=1)
    if month > this_month:
        raise ValidationFailed(
            _p(
                CoverageError.MONTH_FUTURE,
                f"Bulan {month_text(month)} belum terjadi: jumlah peserta hanya untuk bulan yang "
                "sudah berjalan.",
                f"{month_text(month)} has not happened yet: counts are for months that have begun.",
                field,
            )
        )
    return month


def _segment(value: str) -> str:
    value = (value or "").strip().lower()
    if value not in Segment.values:
        raise ValidationFailed(
            _p(
                EnrolmentError.SEGMENT_UNKNOWN,
                f"Segmen '{value}' tidak dikenal; pilih: {', '.join(Segment.values)}.",
                f"Segment '{value}' is unknown; choose: {', '.join(Segment.values)}.",
                "segment",
            )
        )
    return value


# --- single writes ------------------------------------------------------------------------------


def _write_figure(model, *, actor, region, keys: dict, values: dict, action: str, before, after):
    """The region's figure for `keys` set to `values`, audited, and its dashboards recounted."""
    row, _ = model.objects.update_or_create(
        region=region, **keys, defaults={**values, "updated_by": as_user(actor)}
    )
    audit.record(
        actor=actor,
        action=action,
        target=row,
        region_code=region.code,
        before=before,
        after=after,
    )
    forget_dashboards(region.code)
    return row


@transaction.atomic
def set_population(
    *,
    actor: Actor,
    region_code: str,
    year: int | str,
    people: int | str,
    source: str,
    note: str = "",
) -> WorkingPopulation:
    COVERAGE.check(actor, "population")
    region = _region(actor, region_code)
    year, people, source = _year(year), _whole(people, "people", zero_ok=False), _source(source)
    row = WorkingPopulation.objects.filter(region=region, year=year).first()
    before = {"people": row.people, "source": row.source} if row else None
    return _write_figure(
        WorkingPopulation,
        actor=actor,
        region=region,
        keys={"year": year},
        values={"people": people, "source": source, "note": note.strip()},
        action="coverage.population",
        before=before,
        after={"year": year, "people": people, "source": source},
    )


@transaction.atomic
def set_target(
    *, actor: Actor, region_code: str, year: int | str, target_pct, note: str = ""
) -> CoverageTarget:
    """A target below today's coverage is allowed (it may be an old plan) and flagged on the
    dashboard, not refused."""
    COVERAGE.check(actor, "population")
    region = _region(actor, region_code)
    year, target = _year(year), _percent(target_pct)
    row = CoverageTarget.objects.filter(region=region, year=year).first()
    before = {"target_pct": str(row.target_pct)} if row else None
    return _write_figure(
        CoverageTarget,
        actor=actor,
        region=region,
        keys={"year": year},
        values={"target_pct": target, "note": note.strip()},
        action="coverage.target",
        before=before,
        after={"year": year, "target_pct": str(target)},
    )


@transaction.atomic
def set_segment_count(
    *,
    actor: Actor,
    region_code: str,
    month: str | dt.date,
    segment: str,
    participants: int | str,
    source: str = "",
) -> SegmentCount:
    COVERAGE.check(actor, "counts")
    region = _region(actor, region_code)
    month = _month(month_text(month) if isinstance(month, dt.date) else month)
    segment, n = _segment(segment), _whole(participants, "participants", zero_ok=True)
    return _write_figure(
        SegmentCount,
        actor=actor,
        region=region,
        keys={"month": month, "segment": segment},
        values={"participants": n, "source": source.strip()},
        action="coverage.segment_count",
        before=None,
        after={"month": month_text(month), "segment": segment, "participants": n},
    )


# --- files --------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    rows: int
    regions: list[str]

    def as_dict(self) -> dict[str, object]:
        return {"rows": self.rows, "regions": self.regions}


POPULATION_COLUMNS = ("region", "year", "people", "source")
COUNT_COLUMNS = ("region", "month", "segment", "participants")


def _rows(path: Path, required: tuple[str, ...]) -> list[dict[str, str]]:
    sheet = spreadsheets.read(path, header_row=1)
    headers = {h.strip().lower(): h for h in sheet.headers}
    missing = [c for c in required if c not in headers]
    if missing:
        raise ValidationFailed(
            _p(
                CoreError.COLUMNS_MISSING,
                f"Kolom wajib tidak ada: {', '.join(missing)} (yang wajib: {', '.join(required)}).",
                f"Required columns missing: {', '.join(missing)} "
                f"(required: {', '.join(required)}).",
                "file",
            )
        )
    return [
        {k: (row.get(h) or "") for k, h in headers.items()}
        for row in sheet.frame.iter_rows(named=True)
    ]


def _each(rows: list[dict[str, str]], write) -> ImportResult:
    """Runs `write` per row inside one transaction; refuses the file with every row's problem."""
    problems: list[Problem] = []
    regions: set[str] = set()
    denied = False
    with transaction.atomic():
        for i, row in enumerate(rows, start=2):
            try:
                with transaction.atomic():
                    regions.add(write(row).region_id)
            except (ValidationFailed, PermissionDenied) as exc:
                denied |= isinstance(exc, PermissionDenied)
                problems += [
                    _p(
                        q.code,
                        f"Baris {i}: {q.message_id}",
                        f"Row {i}: {q.message_en}",
                        f"rows.{i}.{q.field or 'row'}",
                        row=i,
                    )
                    for q in exc.problems
                ]
        if problems:
            raise (PermissionDenied if denied else ValidationFailed)(*problems)
    return ImportResult(rows=len(rows), regions=sorted(regions))


def import_populations(*, actor: Actor, path: Path) -> ImportResult:
    """Columns region, year, people, source (sakernas, dukcapil, estimate), optional note."""
    COVERAGE.check(actor, "population")
    return _each(
        _rows(path, POPULATION_COLUMNS),
        lambda r: set_population(
            actor=actor,
            region_code=r["region"],
            year=r["year"],
            people=r["people"],
            source=r["source"],
            note=r.get("note", ""),
        ),
    )


def import_segment_counts(*, actor: Actor, path: Path, source: str = "") -> ImportResult:
    """Columns region, month (YYYY-MM), segment (wage_earners, self_paid, other_funded),
    participants: the BPJS branch's monthly report."""
    COVERAGE.check(actor, "counts")
    return _each(
        _rows(path, COUNT_COLUMNS),
        lambda r: set_segment_count(
            actor=actor,
            region_code=r["region"],
            month=r["month"],
            segment=r["segment"],
            participants=r["participants"],
            source=r.get("source", "") or source or path.name,
        ),
    )


# --- events from the areas beside coverage ------------------------------------------------------


def add_registered_wage_earners(*, regency: str, month: dt.date, workers: int, **_) -> None:
    """A compliance case brought `workers` wage earners in (events.employers_registered): the
    wage-earner segment of the city's latest count, carried to `month`, grows by them until
    the BPJS branch's next figure replaces it."""
    region = Region.objects.filter(code=regency).first()
    if region is None or workers <= 0:
        return
    latest = (
        SegmentCount.objects.filter(region=region, segment=Segment.WAGE_EARNERS, month__lte=month)
        .order_by("-month")
        .first()
    )
    base = latest.participants if latest else 0
    _write_figure(
        SegmentCount,
        actor=SYSTEM,
        region=region,
        keys={"month": month, "segment": Segment.WAGE_EARNERS},
        values={
            "participants": base + workers,
            "source": f"{latest.source if latest else ''} + {workers} (kepatuhan)".strip(" +"),
        },
        action="coverage.segment_count",
        before={"participants": base} if latest else None,
        after={
            "month": month_text(month),
            "segment": Segment.WAGE_EARNERS,
            "participants": base + workers,
            "reason": "compliance",
        },
    )
