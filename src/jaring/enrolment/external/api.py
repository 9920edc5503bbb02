"""Cover outside Jaring over the API: import a list, read the records of your region."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile

from jaring.accounts.masking import display_nik
from jaring.core.api.schemas import errors
from jaring.enrolment.external import selectors as external_selectors
from jaring.enrolment.external import services as external
from jaring.enrolment.external.models import ExternalCover

router = Router(tags=["external cover"])


class ExternalCoverOut(Schema):
    id: int
    nik: str
    worker: int | None
    segment: str
    benefits: list[str]
    kpj: str
    start_date: dt.date
    end_date: dt.date | None
    region: str
    source: str
    imported_by: str | None
    imported_at: dt.datetime


class CoverImportOut(Schema):
    rows: int
    created: int
    updated: int
    registered: int = Field(description="rows whose NIK belongs to a registered worker")
    region: str
    source: str


def cover_out(user, c: ExternalCover) -> dict[str, object]:
    return {
        "id": c.pk,
        "nik": display_nik(user, c.nik),
        "worker": c.worker_id,
        "segment": c.segment,
        "benefits": c.benefits.split(","),
        "kpj": c.kpj,
        "start_date": c.start_date,
        "end_date": c.end_date,
        "region": c.region_id,
        "source": c.source,
        "imported_by": c.imported_by.username if c.imported_by else None,
        "imported_at": c.imported_at,
    }


class ListQuery(Schema):
    nik: str = ""
    segment: str = Field("", description="self_paid, wage_earner or other_funded")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


@router.get("/", response={200: list[ExternalCoverOut], **errors(401)})
def list_external_cover(request: HttpRequest, query: Query[ListQuery]):
    qs = external_selectors.search_external_covers(
        request.auth, nik=query.nik, segment=query.segment
    )
    return [cover_out(request.auth, c) for c in qs[query.offset : query.offset + query.limit]]


@router.post(
    "/import",
    response={200: CoverImportOut, **errors(401, 403, 422)},
    summary="Import cover outside Jaring (csv/xlsx: nik, segment, benefits, start, end[, kpj])",
)
def import_external_cover(request: HttpRequest, file: File[UploadedFile], region: Form[str] = ""):
    """All or nothing: every bad cell is reported with its row and column."""
    return external.import_upload(actor=request.auth, upload=file, region_code=region).as_dict()
