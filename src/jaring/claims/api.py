"""Claims over the API: register (JSON, then documents as multipart), list, show, move through
the workflow, download documents; the money report as JSON, xlsx or PDF. Amounts in rupiah."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from jaring.claims import entitlements, report_documents, selectors, services
from jaring.claims.entitlements import ChildInput, ClaimInput, HeirInput, Transport, corrected
from jaring.claims.models import ClaimKind, ClaimStatus, ReferenceKind, SchoolLevel
from jaring.claims.reports import money_report
from jaring.claims.workflow import ACTIONS
from jaring.core.api.schemas import RuleVersionOut, Strict, errors, file_response
from jaring.core.errors import CoreError, Problem, ValidationFailed
from jaring.enrolment.selectors import get_membership

router = Router(tags=["claims"])

KindIn = Literal[tuple(ClaimKind.values)]  # type: ignore[valid-type]
LevelIn = Literal[tuple(SchoolLevel.values)]  # type: ignore[valid-type]


class TransportIn(Strict):
    mode: Literal["land", "sea", "air"]
    cost: int = Field(ge=0)


class ChildIn(Strict):
    name: str = Field(max_length=150)
    birth_date: dt.date
    level: LevelIn = Field("", description="school level; empty: not in school yet")
    grade: int = Field(1, ge=1, description="year within the level (1 = first)")
    married: bool = False
    working: bool = False


class HeirIn(Strict):
    name: str = Field(max_length=150)
    relation: str = Field(max_length=60, description="e.g. istri, suami, anak")
    share: Decimal = Field(
        gt=0, le=100, decimal_places=2, description="percent of the lump sums; shares sum to 100"
    )


RefKindIn = Literal[tuple(ReferenceKind.values)]  # type: ignore[valid-type]


class ClaimIn(Strict):
    membership_id: int | None = Field(None, description="or give `member`")
    member: str = Field(
        "", max_length=20, description="NIK or KPJ: the membership covering the event date"
    )
    kind: KindIn
    event_date: dt.date
    claimed_on: dt.date | None = Field(None, description="default: today")
    description: str = Field(max_length=5000)
    claimant_name: str = Field("", max_length=150)
    claimant_relation: str = Field("", max_length=60)
    medical_care: bool = Field(False, description="medical care, paid to the health facility")
    medical_cost: int | None = Field(None, ge=0, description="the facility's bill, when known")
    months_incapacity: int | None = Field(None, ge=1, le=600)
    disability: Literal["", "partial", "total"] = ""
    disability_percent: str = Field("", max_length=10)
    body_part: str = Field("", max_length=40)
    function_lost_percent: str = Field("", max_length=10)
    home_care_cost: int | None = Field(None, ge=0)
    transport: list[TransportIn] = Field(default_factory=list, max_length=20)
    children: list[ChildIn] = Field(default_factory=list, max_length=20)
    prior_months: int = Field(0, ge=0, le=1200, description="months contributed before Jaring")
    heirs: list[HeirIn] = Field(
        default_factory=list, max_length=20, description="death claims: the heirs and shares"
    )


class CorrectionIn(Strict):
    """Only the fields given change; the entitlements are computed again."""

    reason: str = Field(max_length=2000, description="why the claim is corrected")
    kind: KindIn | None = None
    event_date: dt.date | None = None
    claimed_on: dt.date | None = None
    description: str | None = Field(None, max_length=5000)
    claimant_name: str | None = Field(None, max_length=150)
    claimant_relation: str | None = Field(None, max_length=60)
    medical_care: bool | None = None
    medical_cost: int | None = Field(None, ge=0)
    months_incapacity: int | None = Field(None, ge=1, le=600)
    disability: Literal["", "partial", "total"] | None = None
    disability_percent: str | None = Field(None, max_length=10)
    body_part: str | None = Field(None, max_length=40)
    function_lost_percent: str | None = Field(None, max_length=10)
    home_care_cost: int | None = Field(None, ge=0)
    transport: list[TransportIn] | None = Field(None, max_length=20)
    children: list[ChildIn] | None = Field(None, max_length=20)
    prior_months: int | None = Field(None, ge=0, le=1200)
    heirs: list[HeirIn] | None = Field(None, max_length=20)
    remove_documents: list[int] = Field(default_factory=list, description="document ids")


class TransitionIn(Strict):
    action: Literal[tuple(ACTIONS)]  # type: ignore[valid-type]
    reason: str = Field("", max_length=2000)
    paid_on: dt.date | None = None
    reference: str = Field("", max_length=100, description="pay: the SP2D or transfer number")
    reference_kind: RefKindIn = Field("transfer", description="pay: sp2d or transfer")
    amount: int | None = Field(
        None, ge=0, description="pay: rupiah paid of the lump sums (default: all still due)"
    )


class ScholarshipYearClaimIn(Strict):
    child_id: int
    school_year: str = Field(max_length=9, examples=["2024/2025"])
    proof: str = Field(
        max_length=300, description="the school's letter that the child is in school"
    )
    level: LevelIn = Field("", description="the level this year, if not the schedule's")


class ScholarshipYearActionIn(Strict):
    action: Literal["approve", "pay"]
    paid_on: dt.date | None = None
    reference: str = Field("", max_length=100)
    reference_kind: RefKindIn = "transfer"


class ScholarshipStopIn(Strict):
    child_id: int
    school_year: str = Field(max_length=9, description="the first school year not paid")
    reason: str = Field(max_length=300, description="left school, married, works")


class ClaimQuery(Schema):
    status: Literal["", *ClaimStatus.values] = ""  # type: ignore[valid-type]
    kind: Literal["", *ClaimKind.values] = ""  # type: ignore[valid-type]
    programme_id: int | None = None
    q: str = Field("", max_length=150, description="NIK, KPJ or the start of the name")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class ReportQuery(Schema):
    year: int = Field(ge=2000, le=2100)
    programme_id: int | None = None
    region: str = Field("", max_length=13, description="a province, city, district or village")
    as_of: dt.date | None = Field(None, description="arrears as of this day (default today)")
    format: Literal["json", "xlsx", "pdf"] = "json"


class ClaimOut(Schema):
    id: int
    status: str
    kind: str
    event_date: dt.date
    claimed_on: dt.date
    membership_id: int
    kpj: str
    programme_id: int
    programme: str
    worker_id: int
    worker: str = Field(description="the member's full name")
    nik: str = Field(description="masked (6172********0001) for viewers")
    village: str
    total: int = Field(description="every entitlement, rupiah")
    rule_version: str
    paid_on: dt.date | None
    payment_reference: str
    rejection_reason: str
    correctable: bool


class ClaimPage(Schema):
    count: int = Field(description="all matching claims, not only this page")
    limit: int
    offset: int
    items: list[ClaimOut]


class InstalmentOut(Schema):
    school_year: str = Field(examples=["2024/2025"])
    level: str
    amount: int


class EntitlementOut(Schema):
    code: str
    name: str
    name_en: str
    amount: int
    formula: str
    regulation: str
    basis: str
    payee: str
    schedule: list[InstalmentOut] = Field(
        None, description="instalments, only for benefits paid over time"
    )


class ChildOut(Schema):
    name: str
    birth_date: dt.date
    level: str
    grade: int
    married: bool
    working: bool


class ClaimHeirOut(Schema):
    name: str
    relation: str
    share: str = Field(description="percent")


class ScholarshipYearOut(Schema):
    id: int
    child_id: int
    child: str
    school_year: str = Field(examples=["2024/2025"])
    level: str
    amount: int
    status: str = Field(description="expected, claimed, approved, paid or stopped")
    proof: str
    claimed_on: dt.date | None
    stop_reason: str


class HeirShareOut(ClaimHeirOut):
    amount: int


class ClaimPaymentOut(Schema):
    id: int
    paid_on: dt.date
    reference_kind: str
    reference: str
    amount: int
    scholarship_year: str | None = Field(description="the school year paid, or null: lump sums")
    shares: list[HeirShareOut] = Field(description="each heir's part of a lump-sum payment")


class DocumentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    url: str


class TransportOut(Schema):
    mode: str = Field(description="land, sea or air")
    cost: int


class RefusalOut(Schema):
    subject: str = Field(description="the benefit refused")
    code: str
    message_id: str
    message_en: str


class ClaimDetailOut(ClaimOut):
    description: str
    claimant_name: str
    claimant_relation: str
    wage: int
    months_contributed: int
    prior_months: int
    medical_care: bool
    medical_cost: int | None
    months_incapacity: int | None
    disability: str
    disability_percent: str
    body_part: str
    function_lost_percent: str
    home_care_cost: int | None
    transport: list[TransportOut]
    items: list[EntitlementOut]
    refused: list[RefusalOut] = Field(description="benefits refused, with the reason")
    sources: list[RuleVersionOut] = Field(description="the rule versions used")
    children: list[ChildOut]
    documents: list[DocumentOut]
    heirs: list[ClaimHeirOut]
    scholarship_years: list[ScholarshipYearOut]
    payments: list[ClaimPaymentOut]
    lump_sum_due: int = Field(description="lump sums still to pay")
    scholarships_paid: int
    scholarships_owed: int = Field(description="school years still in the schedule, not paid")


class MoneyRowOut(Schema):
    programme_id: int | None
    programme: str
    participation_code: str
    regency_code: str
    city: str
    segment: str
    segment_name: str
    members: int
    member_months: int
    billed: int
    paid: int
    arrears: int
    members_in_arrears: int
    claims: dict[str, dict[str, int]] = Field(description="count and amount per claim kind")
    claims_count: int
    claims_amount: int
    claims_paid: int
    benefits_paid: int = Field(description="payments made in the year, lump sums and school years")
    benefits_owed_later: int = Field(
        description="scholarship years after the year still owed (future liability)"
    )
    ratio: str | None = Field(description="benefits paid ÷ contributions paid, two decimals")


class MoneyReportOut(Schema):
    year: int
    as_of: dt.date
    programme_id: int | None
    programme: str | None
    region: str | None
    region_name: str | None
    rows: list[MoneyRowOut]
    total: MoneyRowOut


def claim_input(body: ClaimIn) -> ClaimInput:
    return entitlements.claim_input(
        body,
        transport=(Transport(t.mode, t.cost) for t in body.transport),
        children=(ChildInput(**c.dict()) for c in body.children),
        heirs=(HeirInput(**h.dict()) for h in body.heirs),
    )


def _membership(user, body: ClaimIn):
    if body.membership_id is not None:
        return get_membership(user, body.membership_id)
    if not body.member.strip():
        raise ValidationFailed(
            Problem(
                CoreError.REQUIRED,
                "Isi membership_id, atau NIK/KPJ pada member.",
                "Give membership_id, or a NIK or KPJ as member.",
                field="member",
            )
        )
    return selectors.find_membership(user, body.member, body.event_date)


def _detail(user, claim_id: int) -> dict:
    """The claim as it stands after a write (read again: the write changed its parts)."""
    return selectors.claim_dict(user, selectors.get_claim(user, claim_id), detail=True)


@router.get("/", response={200: ClaimPage, **errors(401, 403)}, summary="Claims in your region")
def list_claims(request: HttpRequest, query: Query[ClaimQuery]):
    qs = selectors.search_claims(
        request.auth,
        selectors.ClaimFilter(
            status=query.status, kind=query.kind, programme=query.programme_id, q=query.q
        ),
    )
    page = qs[query.offset : query.offset + query.limit]
    return {
        "count": qs.count(),
        "limit": query.limit,
        "offset": query.offset,
        "items": [selectors.claim_dict(request.auth, c) for c in page],
    }


@router.post(
    "/",
    response={201: ClaimDetailOut, **errors(401, 403, 404, 409, 422)},
    exclude_unset=True,
    summary="Register a claim: cover and lapse checked, every entitlement computed",
)
def create_claim(request: HttpRequest, body: ClaimIn):
    claim = services.register_claim(
        actor=request.auth, membership=_membership(request.auth, body), data=claim_input(body)
    )
    return Status(
        201,
        _detail(request.auth, claim.pk),
    )


@router.get(
    "/reports/money",
    response={200: MoneyReportOut, **errors(401, 403, 404)},
    openapi_extra=file_response(report_documents.XLSX, report_documents.PDF),
    summary="Money report: members, contributions, claims, benefit-to-contribution ratio",
)
def report(request: HttpRequest, query: Query[ReportQuery]):
    result = money_report(
        request.auth,
        year=query.year,
        programme_id=query.programme_id,
        region_code=query.region or None,
        as_of=query.as_of,
    )
    if query.format == "json":
        return result.as_dict()
    if query.format == "xlsx":
        response = HttpResponse(report_documents.report_xlsx(result), report_documents.XLSX)
    else:
        response = HttpResponse(report_documents.report_pdf(result), report_documents.PDF)
    name = report_documents.file_name(result, query.format)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get(
    "/documents/{document_id}",
    response={200: None, **errors(401, 403, 404)},
    openapi_extra=file_response("application/pdf", "image/jpeg", "image/png"),
    summary="Download a claim document",
)
def document(request: HttpRequest, document_id: int):
    return document_response(selectors.get_document(request.auth, document_id))


def document_response(doc) -> FileResponse:
    response = FileResponse(
        doc.file.open("rb"),
        content_type=doc.content_type,
        as_attachment=True,
        filename=doc.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.get(
    "/{claim_id}",
    response={200: ClaimDetailOut, **errors(401, 403, 404)},
    exclude_unset=True,
    summary="A claim",
)
def get_claim(request: HttpRequest, claim_id: int):
    return _detail(request.auth, claim_id)


@router.patch(
    "/{claim_id}",
    response={200: ClaimDetailOut, **errors(401, 403, 404, 409, 422)},
    exclude_unset=True,
    summary="Correct a claim before approval (event date, description, heirs, children, "
    "JKK facts, documents to remove); entitlements computed again, audited",
)
def correct(request: HttpRequest, claim_id: int, body: CorrectionIn):
    claim = selectors.get_claim(request.auth, claim_id)
    changes = body.dict(exclude_unset=True, exclude={"reason", "remove_documents"})
    services.correct_claim(
        actor=request.auth,
        claim=claim,
        data=corrected(services.input_of(claim), changes),
        reason=body.reason,
        remove_documents=body.remove_documents,
    )
    return _detail(request.auth, claim.pk)


@router.post(
    "/{claim_id}/transition",
    response={200: ClaimDetailOut, **errors(401, 403, 404, 409, 422)},
    exclude_unset=True,
    summary="Verify, approve, pay (paid_on, reference) or reject (reason) a claim",
)
def transition(request: HttpRequest, claim_id: int, body: TransitionIn):
    claim = services.transition(
        actor=request.auth,
        claim=selectors.get_claim(request.auth, claim_id),
        action=body.action,
        reason=body.reason,
        paid_on=body.paid_on,
        reference=body.reference,
        reference_kind=body.reference_kind,
        amount=body.amount,
    )
    return _detail(request.auth, claim.pk)


@router.post(
    "/{claim_id}/scholarship-years",
    response={200: ClaimDetailOut, **errors(401, 403, 404, 409, 422)},
    exclude_unset=True,
    summary="Claim one school year of a child's scholarship, with the proof of enrolment",
)
def claim_year(request: HttpRequest, claim_id: int, body: ScholarshipYearClaimIn):
    claim = selectors.get_claim(request.auth, claim_id)
    services.claim_school_year(
        actor=request.auth,
        claim=claim,
        child_id=body.child_id,
        school_year=body.school_year,
        proof=body.proof,
        level=body.level,
    )
    return _detail(request.auth, claim_id)


@router.post(
    "/scholarship-years/{year_id}",
    response={200: ClaimDetailOut, **errors(401, 403, 404, 409, 422)},
    exclude_unset=True,
    summary="Approve a claimed school year, or pay an approved one (date, reference)",
)
def year_action(request: HttpRequest, year_id: int, body: ScholarshipYearActionIn):
    row = selectors.get_scholarship_year(request.auth, year_id)
    claim, claim_id = row.claim, row.claim_id
    if body.action == "approve":
        services.approve_school_year(actor=request.auth, claim=claim, year_id=year_id)
    else:
        services.pay_school_year(
            actor=request.auth,
            claim=claim,
            year_id=year_id,
            paid_on=body.paid_on,
            reference=body.reference,
            reference_kind=body.reference_kind,
        )
    return _detail(request.auth, claim_id)


@router.post(
    "/{claim_id}/scholarship-stop",
    response={200: ClaimDetailOut, **errors(401, 403, 404, 409, 422)},
    exclude_unset=True,
    summary="Stop a child's scholarship from a school year on (left school, married, works)",
)
def stop_year(request: HttpRequest, claim_id: int, body: ScholarshipStopIn):
    claim = selectors.get_claim(request.auth, claim_id)
    services.stop_scholarship(
        actor=request.auth,
        claim=claim,
        child_id=body.child_id,
        school_year=body.school_year,
        reason=body.reason,
    )
    return _detail(request.auth, claim_id)


@router.post(
    "/{claim_id}/documents",
    response={201: ClaimDetailOut, **errors(401, 403, 404, 409, 422)},
    exclude_unset=True,
    summary="Add documents (PDF, JPEG or PNG, checked by content and size)",
)
def add_documents(request: HttpRequest, claim_id: int, documents: File[list[UploadedFile]]):
    services.add_documents(
        actor=request.auth,
        claim=selectors.get_claim(request.auth, claim_id),
        documents=documents,
    )
    claim = selectors.get_claim(request.auth, claim_id)
    return Status(201, selectors.claim_dict(request.auth, claim, detail=True))
