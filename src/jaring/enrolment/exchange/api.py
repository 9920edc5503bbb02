"""The BPJS exchange and cards over the API: the same services, scope and audit as the CLI."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from jaring.core.api.schemas import errors, file_response
from jaring.enrolment.cards import services as cards
from jaring.enrolment.exchange import profiles
from jaring.enrolment.exchange import selectors as exchange_selectors
from jaring.enrolment.exchange import services as exchange_services
from jaring.enrolment.exchange.permissions import EXCHANGE
from jaring.enrolment.exchange.response import required_columns
from jaring.enrolment.exchange.submission import FORMATS
from jaring.programs.selectors import get_programme

router = Router(tags=["bpjs-exchange"])

_CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}
Format = Literal[FORMATS]  # type: ignore[valid-type]


class BatchOut(Schema):
    id: int
    reference: str
    number: int
    region_code: str
    format: str
    profile: str
    lines: int
    pending: int
    accepted: int
    rejected: int
    created_at: dt.datetime
    created_by: str | None
    file_url: str


class BatchPreviewOut(Schema):
    dry_run: bool = True
    lines: int = Field(description="members the batch would hold")
    reference: str = Field(description="the reference the batch would get")
    profile: str
    names: list[str] = Field(description="the first 20 members by name")


class ExportQuery(Schema):
    format: Format = "xlsx"
    village: str = ""
    profile: str = Field("", description="export profile; default: the programme's")
    dry_run: bool = Field(False, description="say what the batch would hold; change nothing")


class ProfileColumnOut(Schema):
    header: str
    field: str = Field(description="what the column holds (empty: a fixed value)")
    value: str = Field(description="the fixed value, for a column without a field")


class ProfileOut(Schema):
    name: str
    title_id: str
    title_en: str
    date_format: str
    columns: list[ProfileColumnOut]
    response_required: list[str] = Field(description="headers a response must have")
    response_optional: list[str]
    status_rule: str = Field(description="column, or from_kpj: a KPJ number means accepted")


class ProfileIn(Schema):
    profile: str


class ProgrammeProfileOut(Schema):
    programme_id: int
    profile: str


class NotSubmittedOut(Schema):
    row: int
    nik: str


class ResponseReportOut(Schema):
    response_id: int
    file_name: str
    already_imported: bool
    accepted: int
    rejected: int
    already_applied: int
    unanswered: int
    not_submitted: list[NotSubmittedOut] = Field(
        description="rows of the file naming a worker Jaring never sent"
    )


class CardQuery(Schema):
    village: str = ""
    language: Literal["id", "en"] = "id"


def _batch_out(batch, counts: dict[str, int] | None = None) -> dict[str, object]:
    counts = counts or {
        "lines": batch.line_count,
        "pending": batch.line_count,
        "accepted": 0,
        "rejected": 0,
    }
    return {
        "id": batch.pk,
        "reference": batch.reference,
        "number": batch.number,
        "region_code": batch.region_code,
        "format": batch.file_format,
        "profile": batch.profile,
        "created_at": batch.created_at,
        "created_by": batch.created_by.username if batch.created_by else None,
        "file_url": reverse("api:bpjs-batch-file", args=[batch.pk]),
        **counts,
    }


def _file(content: bytes, file_name: str, kind: str) -> HttpResponse:
    response = HttpResponse(content, content_type=_CONTENT_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


@router.get(
    "/programmes/{programme_id}/batches",
    response={200: list[BatchOut], **errors(401, 403, 404)},
    summary="List submission batches",
)
def list_batches(request: HttpRequest, programme_id: int):
    """The programme's batches holding members in your region, with BPJS's answers so far."""
    EXCHANGE.check(request.auth, "exchange")
    programme = get_programme(request.auth, programme_id)
    return [
        _batch_out(
            b,
            {
                "lines": b.lines_in_scope,
                "pending": b.pending,
                "accepted": b.accepted,
                "rejected": b.rejected,
            },
        )
        for b in exchange_selectors.batches_for(request.auth, programme)
    ]


@router.post(
    "/programmes/{programme_id}/batches",
    response={201: BatchOut, 200: BatchPreviewOut, **errors(401, 403, 404, 409, 422)},
    summary="Export a submission batch",
)
def create_batch(request: HttpRequest, programme_id: int, query: Query[ExportQuery]):
    """Puts every verified member (in your region, or `village`: any region code) in a new
    batch and marks them submitted. Download the file from `file_url`. With `dry_run`, says
    what the batch would hold (200) and changes nothing."""
    if query.dry_run:
        preview = exchange_services.preview_batch(
            actor=request.auth,
            programme_id=programme_id,
            region_code=query.village or None,
            profile=query.profile or None,
        )
        return Status(200, {"dry_run": True, **asdict(preview)})
    exported = exchange_services.export_batch(
        actor=request.auth,
        programme_id=programme_id,
        region_code=query.village or None,
        file_format=query.format,
        profile=query.profile or None,
    )
    return Status(201, _batch_out(exported.batch))


@router.get(
    "/batches/{batch_id}/file",
    response={200: None, **errors(401, 403, 404, 422)},
    openapi_extra=file_response(_CONTENT_TYPES["xlsx"], _CONTENT_TYPES["csv"]),
    url_name="bpjs-batch-file",
    summary="Download a batch file",
)
def batch_file(
    request: HttpRequest, batch_id: int, format: Format | None = None, profile: str = ""
):
    """The batch exactly as it was sent, in its own format and profile or the ones asked."""
    exported = exchange_services.batch_file(
        actor=request.auth, batch_id=batch_id, file_format=format or "", profile=profile
    )
    kind = exported.file_name.rsplit(".", 1)[1]
    return _file(exported.content, exported.file_name, kind)


@router.post(
    "/programmes/{programme_id}/responses",
    response={200: ResponseReportOut, **errors(401, 403, 404, 409, 422)},
    summary="Import the branch's response",
)
def import_response(
    request: HttpRequest, programme_id: int, file: File[UploadedFile], profile: str = ""
):
    """Applies a response file (xlsx/csv in the programme's export profile, or `profile`; the
    columns it needs: GET /api/bpjs/profiles) as a whole or not at all. The same file again
    answers `already_imported: true` and changes nothing; NIKs never submitted are listed in
    `not_submitted`."""
    report = exchange_services.import_response(
        actor=request.auth,
        programme_id=programme_id,
        data=file.read(),
        file_name=file.name or "response.csv",
        profile=profile or None,
    )
    return report.as_dict()


def _profile_out(p: profiles.Profile) -> dict[str, object]:
    return {
        "name": p.name,
        "title_id": p.title_id,
        "title_en": p.title_en,
        "date_format": p.date_format,
        "columns": [{"header": c.header, "field": c.field, "value": c.value} for c in p.columns],
        "response_required": list(required_columns(p).values()),
        "response_optional": p.optional_headers(),
        "status_rule": p.status_rule,
    }


@router.get(
    "/profiles",
    response={200: list[ProfileOut], **errors(401, 403)},
    summary="List export profiles",
)
def list_profiles(request: HttpRequest):
    """The batch layouts (shipped and added by an administrator) and the columns a response
    in each must have."""
    EXCHANGE.check(request.auth, "exchange")
    return [_profile_out(p) for p in profiles.usable()]


@router.put(
    "/programmes/{programme_id}/profile",
    response={200: ProgrammeProfileOut, **errors(401, 403, 404, 422)},
    summary="Choose a programme's export profile",
)
def choose_profile(request: HttpRequest, programme_id: int, payload: ProfileIn):
    """The layout the programme's next batches are made in (audited)."""
    setting = exchange_services.choose_profile(
        actor=request.auth, programme_id=programme_id, profile=payload.profile
    )
    return {"programme_id": programme_id, "profile": setting.profile}


@router.get(
    "/programmes/{programme_id}/cards.pdf",
    response={200: None, **errors(401, 403, 404, 422)},
    openapi_extra=file_response(_CONTENT_TYPES["pdf"]),
    summary="Card sheets (PDF)",
)
def card_sheets(request: HttpRequest, programme_id: int, query: Query[CardQuery]):
    """A4 sheets of ten membership cards with cut marks, village by village, for the active
    members whose cover has not ended."""
    pdf = cards.print_sheets(
        actor=request.auth,
        programme_id=programme_id,
        region_code=query.village or None,
        base_url=_base_url(request),
        language=query.language,
    )
    name = f"kartu-{programme_id}{'-' + query.village if query.village else ''}.pdf"
    return _file(pdf, name, "pdf")


@router.get(
    "/memberships/{membership_id}/card.pdf",
    response={200: None, **errors(401, 403, 404, 409, 422)},
    openapi_extra=file_response(_CONTENT_TYPES["pdf"]),
    summary="One membership card (PDF)",
)
def membership_card(request: HttpRequest, membership_id: int, language: Literal["id", "en"] = "id"):
    """One card; 409 `cover_ended` once the member's cover has ended."""
    pdf = cards.print_card(
        actor=request.auth,
        membership_id=membership_id,
        base_url=_base_url(request),
        language=language,
    )
    return _file(pdf, f"kartu-{membership_id}.pdf", "pdf")
