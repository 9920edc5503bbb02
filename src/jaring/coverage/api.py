"""Coverage over the API: the figure, the whole dashboard (what the page's charts draw), and
writes of working population, targets and the BPJS branch's segment counts (one or a file)."""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path

from django.http import HttpRequest
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile

from jaring.continuity.api import ContinuityRetentionOut
from jaring.core.api.schemas import ProblemOut, Strict, errors
from jaring.coverage import dashboard, projection, selectors, services

router = Router(tags=["coverage"])


class CoverageQuery(Schema):
    region: str = Field(description="province, city or district code", examples=["61.72"])
    year: int | None = Field(None, description="its December (or this month for this year)")
    month: str = Field("", description="YYYY-MM (default this month); not in the future")
    by: str = Field("", description="projection: reach the target by YYYY-MM")


class CoverageOut(Schema):
    region: str
    region_name: str
    month: str = Field(description="YYYY-MM")
    counted_on: dt.date
    participants: int
    jaring_members: int
    jaring_self_paid: int = Field(description="Jaring's self-paying members covered that day")
    segments: dict[str, int] = Field(description="participants per segment, Jaring's included")
    segments_reported_month: str | None
    working_population: int | None
    population_source: str | None
    population_year: int | None
    coverage_pct: str | None
    kpi_pct: str | None
    kpi_members_under_6_months_prorated: str | None
    target_pct: str | None
    target_people: int | None
    gap_pct: str | None
    gap_people: int | None
    warnings: list[ProblemOut]


class ProjectionOut(Schema):
    pace_pp_per_month: str | None = Field(description="percentage points a month")
    target_reached_month: str | None
    target_already_reached: bool
    by_month: str
    people_needed: int | None
    months_left: int
    enrolments_per_month: int | None
    months_of_cover: int
    budget_needed: int | None
    budget_basis: str
    note_id: str
    note_en: str


class CoverageProjectionOut(CoverageOut):
    projection: ProjectionOut


class SegmentOut(Schema):
    code: str
    name: str
    participants: int
    coverage_pct: str | None


class ExpiringMonthOut(Schema):
    month: str = Field(description="YYYY-MM")
    members: int = Field(description="memberships whose cover ends in the month")


class MoneyOut(Schema):
    """The year's money of the programmes run in the region and its members' claims."""

    year: int
    billed: int
    contributions_paid: int = Field(description="paid by the programmes (the city's budget)")
    self_payments: int = Field(description="paid by self-paying members themselves")
    self_payments_count: int
    arrears: int
    claims: int
    claims_amount: int
    claims_by_kind: dict[str, dict[str, int]] = Field(description="count and amount per kind")
    benefits_paid: int
    benefits_owed_later: int
    ratio: Decimal | None = Field(description="benefits paid ÷ contributions paid")


class ExpiringOut(Schema):
    within_days: int
    within_30_days: int
    total: int
    by_month: list[ExpiringMonthOut]


class HistoryPointOut(Schema):
    month: str = Field(description="YYYY-MM")
    jaring_members: int
    jaring_self_paid: int
    other_segments: int = Field(description="the BPJS branch's other segments, last reported")
    participants: int
    working_population: int | None
    coverage_pct: Decimal | None
    target_pct: Decimal | None


class YearPointOut(HistoryPointOut):
    year: int


class CategoryMembersOut(Schema):
    code: str
    name: str
    ecosystem: str
    members: int


class EcosystemMembersOut(Schema):
    code: str
    name: str
    members: int


class DistrictCoverageOut(Schema):
    code: str
    name: str
    jaring_members: int
    participants: int
    working_population: int | None
    coverage_pct: Decimal | None


class ProgrammeMoneyOut(Schema):
    id: int
    name: str
    funder: str
    legal_basis: str
    ceiling: int = Field(description="budget ceiling, rupiah")
    paid: int = Field(description="contributions paid, rupiah")
    planned: int | None = Field(None, description="the quota's cost, rupiah")
    enrolled: int | None = None
    active: int | None = None
    members: int | None = None
    problem: str | None = Field(None, description="why the budget cannot be computed")


class DashboardOut(Schema):
    """One snapshot (kept as JSON) that the page, the charts and the mayor's PDF read."""

    coverage: CoverageOut
    segments: list[SegmentOut]
    history: list[HistoryPointOut] = Field(description="month by month")
    yearly: list[YearPointOut] = Field(description="the last month of each year")
    projection: ProjectionOut
    categories: list[CategoryMembersOut]
    ecosystems: list[EcosystemMembersOut]
    sex: dict[str, int]
    disability: dict[str, int]
    districts: list[DistrictCoverageOut] = Field(description="the regions one level down")
    money: MoneyOut | None = Field(description="null for roles that see no money reports")
    programmes: list[ProgrammeMoneyOut]
    expiring: ExpiringOut
    retention: ContinuityRetentionOut | None = Field(
        None, description="who stayed covered after the city-funded months"
    )
    duplicates_pending: int
    computed_at: str


class PopulationOut(Schema):
    region: str
    year: int
    people: int
    source: str


class TargetOut(Schema):
    region: str
    year: int
    target_pct: str


class SegmentCountOut(Schema):
    region: str
    month: str = Field(description="YYYY-MM")
    segment: str
    participants: int


class FileImportOut(Schema):
    rows: int
    regions: list[str]


def _where(user, query: CoverageQuery):
    region = selectors.get_region(user, query.region)
    return region, selectors.parse_month_arg(query.month or None, year=query.year)


@router.get(
    "/",
    response={200: CoverageProjectionOut, **errors(401, 404, 422)},
    summary="UCJ coverage of a region: participants ÷ working population, target, gap",
)
def get_coverage(request: HttpRequest, query: Query[CoverageQuery]):
    region, month = _where(request.auth, query)
    c = selectors.coverage(request.auth, region, month)
    p = projection.project(c, selectors.history(region, month), by=query.by or None)
    return c.as_dict() | {"projection": p.as_dict()}


@router.get(
    "/dashboard",
    response={200: DashboardOut, **errors(401, 404, 422)},
    summary="Everything the region's dashboard shows (the charts draw exactly this)",
)
def get_dashboard(request: HttpRequest, query: Query[CoverageQuery], refresh: bool = False):
    region, month = _where(request.auth, query)
    return dashboard.dashboard(request.auth, region, month, refresh=refresh)


class PopulationIn(Strict):
    region: str = Field(max_length=13)
    year: int
    people: int = Field(description="working population; more than zero")
    source: str = Field(description="sakernas, dukcapil, estimate or demo_estimate")
    note: str = Field("", max_length=300)


class TargetIn(Strict):
    region: str = Field(max_length=13)
    year: int
    target_pct: str = Field(description="percentage, e.g. 45 or 40.5", examples=["45"])
    note: str = Field("", max_length=300)


class CountIn(Strict):
    region: str = Field(max_length=13)
    month: str = Field(description="YYYY-MM, not in the future")
    segment: str = Field(description="wage_earners, self_paid or other_funded")
    participants: int
    source: str = Field("", max_length=200)


@router.put(
    "/populations",
    response={200: PopulationOut, **errors(401, 403, 422)},
    summary="Set a region's working population for a year",
)
def put_population(request: HttpRequest, body: PopulationIn):
    row = services.set_population(
        actor=request.auth, region_code=body.region, **body.dict(exclude={"region"})
    )
    return {"region": row.region_id, "year": row.year, "people": row.people, "source": row.source}


@router.put(
    "/targets",
    response={200: TargetOut, **errors(401, 403, 422)},
    summary="Set a region's coverage target for a year (a target below today's is flagged)",
)
def put_target(request: HttpRequest, body: TargetIn):
    row = services.set_target(
        actor=request.auth, region_code=body.region, **body.dict(exclude={"region"})
    )
    return {"region": row.region_id, "year": row.year, "target_pct": str(row.target_pct)}


@router.put(
    "/counts",
    response={200: SegmentCountOut, **errors(401, 403, 422)},
    summary="Set one month's participants of another segment (BPJS branch report)",
)
def put_count(request: HttpRequest, body: CountIn):
    row = services.set_segment_count(
        actor=request.auth, region_code=body.region, **body.dict(exclude={"region"})
    )
    return {
        "region": row.region_id,
        "month": row.month.isoformat()[:7],
        "segment": row.segment,
        "participants": row.participants,
    }


def _with_file(upload: UploadedFile, run):
    suffix = Path(upload.name or "").suffix
    with tempfile.NamedTemporaryFile(suffix=suffix) as f:
        for chunk in upload.chunks():
            f.write(chunk)
        f.flush()
        return run(Path(f.name)).as_dict()


@router.post(
    "/populations/import",
    response={200: FileImportOut, **errors(401, 403, 422)},
    summary="Import working populations (csv/xlsx: region, year, people, source[, note])",
)
def import_populations(request: HttpRequest, file: File[UploadedFile]):
    return _with_file(file, lambda p: services.import_populations(actor=request.auth, path=p))


@router.post(
    "/counts/import",
    response={200: FileImportOut, **errors(401, 403, 422)},
    summary="Import segment counts (csv/xlsx: region, month, segment, participants)",
)
def import_counts(request: HttpRequest, file: File[UploadedFile]):
    return _with_file(
        file,
        lambda p: services.import_segment_counts(
            actor=request.auth, path=p, source=file.name or ""
        ),
    )
