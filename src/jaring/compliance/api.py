"""Employer compliance over the API: import lists, match, undo a link, read leads and cases,
take steps, add and download their evidence files, close, download a letter, the yearly report.
Amounts in rupiah."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from jaring.compliance import letters, matching, selectors, services, sources
from jaring.compliance.models import Case, CloseReason, Lead, LeadKind, Step
from jaring.compliance.permissions import COMPLIANCE
from jaring.core.api.schemas import Strict, errors, file_response

router = Router(tags=["compliance"])

KindIn = Literal[tuple(LeadKind.values)]  # type: ignore[valid-type]
StepIn = Literal[tuple(Step.values)]  # type: ignore[valid-type]
ListKind = Literal["licence", "umkm", "market", "bpjs"]


class ComplianceLeadOut(Schema):
    id: int
    employer_id: int
    employer: str
    kind: str
    status: str
    from_public: bool
    reason_id: str
    reason_en: str
    figures: dict[str, Any] = Field(description="BPJS's figures and the others', side by side")
    found_on: dt.date


class ComplianceCaseOut(Schema):
    id: int
    employer_id: int
    employer: str
    kind: str
    coaching: bool
    step: str
    deadline: dt.date | None
    status: str
    opened_on: dt.date
    closed_on: dt.date | None
    close_reason: str
    fine: int | None
    workers_added: int | None
    wages_added: int | None


class ComplianceStepOut(Schema):
    id: int
    case_id: int
    step: str
    taken_on: dt.date
    deadline: dt.date | None
    letter_number: str = Field(
        description="given by Jaring: the city's next number of the year, e.g. "
        "560/001/DISNAKER/2026 (empty for a coaching visit)"
    )
    officer_name: str
    figures: dict[str, Any]
    notes: str
    evidence: str


class ComplianceEntryOut(Schema):
    kind: str
    name: str
    address: str
    workers: int | None
    wage_bill: int | None
    programmes: str


class ComplianceEmployerOut(Schema):
    id: int
    name: str
    nib: str
    npp: str
    kbli: str
    address: str
    region_code: str
    size_class: str
    size_criterion: str
    registered: bool
    bpjs_workers: int | None
    bpjs_wage_bill: int | None
    bpjs_programmes: str
    other_workers: int | None
    other_wage_bill: int | None
    entries: list[ComplianceEntryOut]
    leads: list[ComplianceLeadOut]
    cases: list[ComplianceCaseOut]


class ComplianceListOut(Schema):
    list_id: int
    kind: str
    region: str
    rows: int
    created: int
    updated: int
    cases_closed: int


class ComplianceMatchIn(Strict):
    region: str = Field(description="the city, e.g. 61.71")
    on: dt.date | None = Field(None, description="default: today")


class ComplianceMatchOut(Schema):
    region: str
    employers: int
    linked: int
    leads_new: int
    leads_updated: int
    leads_resolved: int
    by_kind: dict[str, int]


class ComplianceOpenIn(Strict):
    on: dt.date | None = None


class ComplianceStepIn(Strict):
    step: StepIn
    taken_on: dt.date | None = Field(None, description="default: today")
    officer_name: str = Field(max_length=150)
    notes: str = Field("", max_length=5000)
    evidence: str = Field("", max_length=5000)
    follow_up: dt.date | None = Field(None, description="a coaching visit's follow-up date")


class ComplianceCloseIn(Strict):
    reason: Literal[tuple(CloseReason.values)]  # type: ignore[valid-type]
    on: dt.date | None = None
    workers_added: int = Field(0, ge=0)
    wages_added: int = Field(0, ge=0, description="monthly wages brought in, rupiah")


class ComplianceReportOut(Schema):
    region: str
    year: int
    leads_by_kind: dict[str, int]
    cases_by_step: dict[str, int]
    closed: int
    employers_brought_in: int
    workers_added: int
    wages_added: int
    fines: int


class ComplianceEvidenceOut(Schema):
    id: int
    step_id: int
    original_name: str
    content_type: str
    size: int
    sha256: str


class ComplianceUnlinkOut(Schema):
    employer_id: int = Field(description="the business, its own employer again (its old id)")
    registered_employer_id: int
    name: str


class ComplianceLeadQuery(Schema):
    region: str = ""
    kind: KindIn | Literal[""] = ""
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0)


class ComplianceCaseQuery(Schema):
    region: str = ""
    due: bool = False
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0)


class ComplianceReportQuery(Schema):
    region: str
    year: int | None = None


def lead_out(lead: Lead) -> dict[str, Any]:
    return {
        "id": lead.pk,
        "employer_id": lead.employer_id,
        "employer": lead.employer.name,
        "kind": lead.kind,
        "status": lead.status,
        "from_public": lead.from_public,
        "reason_id": lead.reason_id,
        "reason_en": lead.reason_en,
        "figures": lead.figures,
        "found_on": lead.found_on,
    }


def case_out(case: Case) -> dict[str, Any]:
    fields = [
        "kind",
        "coaching",
        "step",
        "deadline",
        "status",
        "opened_on",
        "closed_on",
        "close_reason",
        "fine",
        "workers_added",
        "wages_added",
        "employer_id",
    ]
    return {"id": case.pk, "employer": case.employer.name} | {f: getattr(case, f) for f in fields}


@router.get("/leads", response={200: list[ComplianceLeadOut], **errors(401, 403)})
def list_leads(request: HttpRequest, query: Query[ComplianceLeadQuery]):
    COMPLIANCE.check(request.auth, "view")
    found = selectors.leads(request.auth, region=query.region, kind=query.kind)
    return [lead_out(x) for x in found[query.offset : query.offset + query.limit]]


@router.get("/cases", response={200: list[ComplianceCaseOut], **errors(401, 403)})
def list_cases(request: HttpRequest, query: Query[ComplianceCaseQuery]):
    COMPLIANCE.check(request.auth, "view")
    found = selectors.cases(
        request.auth, region=query.region, due=query.due, today=timezone.localdate()
    )
    return [case_out(x) for x in found[query.offset : query.offset + query.limit]]


@router.get(
    "/employers/{employer_id}", response={200: ComplianceEmployerOut, **errors(401, 403, 404)}
)
def employer(request: HttpRequest, employer_id: int):
    COMPLIANCE.check(request.auth, "view")
    page = selectors.employer_page(request.auth, employer_id)
    e = page["employer"]
    plain = [
        "id",
        "name",
        "nib",
        "npp",
        "kbli",
        "address",
        "region_code",
        "size_class",
        "size_criterion",
        "registered",
        "bpjs_workers",
        "bpjs_wage_bill",
        "bpjs_programmes",
        "other_workers",
        "other_wage_bill",
    ]
    return {f: getattr(e, f) for f in plain} | {
        "entries": [
            {
                f: getattr(x, f)
                for f in ("kind", "name", "address", "workers", "wage_bill", "programmes")
            }
            for x in page["entries"]
        ],
        "leads": [lead_out(x) for x in page["leads"]],
        "cases": [case_out(x) for x in page["cases"]],
    }


@router.post(
    "/lists",
    response={200: ComplianceListOut, **errors(401, 403, 422)},
    summary="Import an employer list (csv/xlsx): licence, umkm, market or bpjs",
)
def import_list(
    request: HttpRequest,
    file: File[UploadedFile],
    kind: Form[ListKind],
    region: Form[str] = "",
):
    return sources.import_upload(
        actor=request.auth, upload=file, kind=kind, region_code=region
    ).as_dict()


@router.post("/match", response={200: ComplianceMatchOut, **errors(401, 403, 422)})
def match(request: HttpRequest, body: ComplianceMatchIn):
    services.check_city(request.auth, body.region)
    return matching.find_leads(
        actor=request.auth, region_code=body.region, on=body.on or timezone.localdate()
    ).as_dict()


@router.post(
    "/leads/{lead_id}/case", response={200: ComplianceCaseOut, **errors(401, 403, 404, 409, 422)}
)
def open_case(request: HttpRequest, lead_id: int, body: ComplianceOpenIn):
    case = services.open_case(
        actor=request.auth, lead_id=lead_id, on=body.on or timezone.localdate()
    )
    return case_out(case)


@router.post(
    "/cases/{case_id}/steps",
    response={200: ComplianceStepOut, **errors(401, 403, 404, 409, 422)},
)
def take_step(request: HttpRequest, case_id: int, body: ComplianceStepIn):
    step = services.take_step(
        actor=request.auth,
        case_id=case_id,
        data=services.StepInput(
            step=body.step,
            taken_on=body.taken_on or timezone.localdate(),
            officer_name=body.officer_name,
            notes=body.notes,
            evidence=body.evidence,
            follow_up=body.follow_up,
        ),
    )
    fields = [
        "step",
        "taken_on",
        "deadline",
        "letter_number",
        "officer_name",
        "figures",
        "notes",
        "evidence",
    ]
    return {"id": step.pk, "case_id": step.case_id} | {f: getattr(step, f) for f in fields}


@router.post(
    "/cases/{case_id}/close", response={200: ComplianceCaseOut, **errors(401, 403, 404, 409, 422)}
)
def close_case(request: HttpRequest, case_id: int, body: ComplianceCloseIn):
    case = services.close_case(
        actor=request.auth,
        case_id=case_id,
        reason=body.reason,
        on=body.on or timezone.localdate(),
        workers_added=body.workers_added,
        wages_added=body.wages_added,
    )
    return case_out(case)


@router.get(
    "/steps/{step_id}/letter",
    response={200: None, **errors(401, 403, 404)},
    openapi_extra=file_response(letters.PDF),
)
def letter(request: HttpRequest, step_id: int):
    COMPLIANCE.check(request.auth, "view")
    step = selectors.get_step(request.auth, step_id)
    response = HttpResponse(letters.letter_pdf(step), content_type=letters.PDF)
    response["Content-Disposition"] = f'attachment; filename="{letters.file_name(step)}"'
    return response


@router.post(
    "/steps/{step_id}/evidence",
    response={201: list[ComplianceEvidenceOut], **errors(401, 403, 404, 409, 422)},
    summary="Add evidence files to a step (PDF, JPEG or PNG, checked by content and size)",
)
def add_evidence(request: HttpRequest, step_id: int, files: File[list[UploadedFile]]):
    step = selectors.get_step(request.auth, step_id)
    saved = services.add_evidence_files(
        actor=request.auth, case_id=step.case_id, step_id=step.pk, files=files
    )
    fields = ("id", "step_id", "original_name", "content_type", "size", "sha256")
    return Status(201, [{f: getattr(e, f) for f in fields} for e in saved])


@router.get(
    "/evidence/{evidence_id}",
    response={200: None, **errors(401, 403, 404)},
    openapi_extra=file_response("application/pdf", "image/jpeg", "image/png"),
    summary="Download an evidence file (a recorded read)",
)
def evidence(request: HttpRequest, evidence_id: int):
    COMPLIANCE.check(request.auth, "view")
    found = selectors.get_evidence(request.auth, evidence_id)
    response = FileResponse(
        services.evidence_file(
            actor=request.auth, evidence=found, what=f"GET {request.get_full_path()}"
        ),
        content_type=found.content_type,
        as_attachment=True,
        filename=found.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.post(
    "/links/{link_id}/undo",
    response={200: ComplianceUnlinkOut, **errors(401, 403, 404, 409)},
    summary="Undo a link the matching made: the business is its own employer again",
)
def unlink(request: HttpRequest, link_id: int):
    link = selectors.get_link(request.auth, link_id)
    business = services.unlink(actor=request.auth, link_id=link.pk)
    return {
        "employer_id": business.pk,
        "registered_employer_id": link.employer_id,
        "name": business.name,
    }


@router.get("/report", response={200: ComplianceReportOut, **errors(401, 403)})
def report(request: HttpRequest, query: Query[ComplianceReportQuery]):
    COMPLIANCE.check(request.auth, "report")
    services.check_city(request.auth, query.region)
    return selectors.year_report(
        request.auth, region=query.region, year=query.year or timezone.localdate().year
    ).as_dict()
