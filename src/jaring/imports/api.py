"""Imports over the API: upload, progress, preview, mapping, commit, rejected rows, template."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from jaring.accounts.masking import display_nik
from jaring.accounts.models import User
from jaring.core.api.schemas import ProblemOut, errors, file_response
from jaring.imports import exports, selectors, services, values
from jaring.imports.models import ImportBatch, ImportRow, ValueSynonym
from jaring.imports.staging import decode_json

router = Router(tags=["imports"])


CodedField = Literal[
    "category", "village", "sex", "disability", "disability_kind", "marital_status"
]


class UnrecognisedValueOut(Schema):
    field: str
    value: str = Field(description="the commonest spelling in the file")
    key: str = Field(description="what cells are matched on (case, spaces, punctuation aside)")
    rows: int
    suggestions: list[str] = Field(description="the closest codes, best first")
    decided: bool = Field(description="the officer answered this value for this import")
    decision: str | None = Field(description="the code chosen; null when decided: rejected")


class ImportCountsOut(Schema):
    """Rows per outcome once checked; a file already uploaded names only the earlier batch."""

    rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicate_in_file: int = 0
    duplicate_in_registry: int = 0
    rejected: int = 0
    probable_duplicates: int | None = Field(
        None, description="pairs queued for review, the file against the registry and itself"
    )
    same_file_as: int | None = Field(None, description="the earlier batch of the same file")


class RowReasonOut(Schema):
    code: str
    field: str | None
    message_id: str
    message_en: str


class ImportBatchOut(Schema):
    id: int
    file: str
    sha256: str
    size: int
    file_format: str
    region_code: str
    status: str
    stage: str
    progress: int
    headers: list[str]
    header_row: int
    mapping: dict[str, str]
    counts: ImportCountsOut
    unrecognised: list[UnrecognisedValueOut]
    value_map: dict[str, dict[str, str | None]]
    errors: list[ProblemOut]
    created_at: dt.datetime
    created_by: str
    committed_at: dt.datetime | None


class ImportRowOut(Schema):
    row: int
    outcome: str
    nik: str
    full_name: str
    birth_date: dt.date | None
    sex: str
    village_code: str
    category_code: str
    worker_id: int | None
    changes: dict[str, list[str | int | bool | None]] | None = Field(
        description="each field the row changes: [registered, imported]"
    )
    reasons: list[RowReasonOut]


class ImportRowPage(Schema):
    count: int
    page: int
    pages: int
    results: list[ImportRowOut]


class MappingIn(Schema):
    mapping: dict[str, str]
    header_row: int | None = Field(None, ge=1, le=1_000_000, description="1 is the first row")


class ValueMappingIn(Schema):
    field: str = Field(max_length=40, description=f"one of {', '.join(values.CODED)}")
    value: str = Field(max_length=100, description="the value as the file writes it")
    code: str | None = Field(
        None, max_length=40, description="the code every row with the value takes; null: reject"
    )


class ValueMappingsIn(Schema):
    mappings: list[ValueMappingIn] = Field(min_length=1, max_length=500)
    remember: bool = Field(True, description="remember each value for the city's next imports")


class ValueSynonymOut(Schema):
    id: int
    region_code: str
    field: str
    value: str
    code: str
    created_by: str
    created_at: dt.datetime
    updated_at: dt.datetime


class ValueSynonymIn(Schema):
    field: CodedField
    value: str = Field(max_length=100)
    code: str = Field(max_length=40)
    region: str | None = Field(None, max_length=13, description="default: your region's city")


class ValueSynonymPatch(Schema):
    code: str = Field(max_length=40)


def synonym_out(synonym: ValueSynonym) -> ValueSynonymOut:
    return ValueSynonymOut(
        id=synonym.pk,
        region_code=synonym.region_code,
        field=synonym.field,
        value=synonym.value,
        code=synonym.code,
        created_by=synonym.created_by.username,
        created_at=synonym.created_at,
        updated_at=synonym.updated_at,
    )


class TemplateQuery(Schema):
    region: str | None = Field(
        None,
        max_length=13,
        pattern=r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$",
        description="a region code: its villages become the xlsx's drop-down list",
    )


class RowQuery(Schema):
    outcome: str | None = None
    page: int = 1
    page_size: int = 100


def batch_out(batch: ImportBatch) -> ImportBatchOut:
    return ImportBatchOut(
        id=batch.pk,
        file=batch.original_name,
        sha256=batch.sha256,
        size=batch.size,
        file_format=batch.file_format,
        region_code=batch.region_code,
        status=batch.status,
        stage=batch.stage,
        progress=batch.progress,
        headers=batch.headers,
        header_row=batch.header_row,
        mapping=batch.mapping,
        counts=batch.counts,
        unrecognised=[
            UnrecognisedValueOut(
                field=u["field"],
                value=u["value"],
                key=u["key"],
                rows=u["rows"],
                suggestions=u["suggestions"],
                decided="decision" in u,
                decision=u.get("decision"),
            )
            for u in batch.unrecognised
        ],
        value_map=batch.value_map,
        errors=batch.problems,
        created_at=batch.created_at,
        created_by=batch.created_by.username,
        committed_at=batch.committed_at,
    )


def row_out(user: User, row: ImportRow) -> ImportRowOut:
    return ImportRowOut(
        row=row.row_number,
        outcome=row.outcome,
        nik=display_nik(user, row.nik),
        full_name=row.full_name,
        birth_date=row.birth_date,
        sex=row.sex,
        village_code=row.village_code,
        category_code=row.category_code,
        worker_id=row.worker_id,
        changes=selectors.changes_shown(user, decode_json(row.changes)) or None,
        reasons=decode_json(row.reasons) or [],
    )


@router.get(
    "/template.{kind}",
    auth=None,
    response={200: None},
    openapi_extra=file_response(exports.XLSX, "text/csv"),
    summary="Empty import template (xlsx or csv)",
)
def template(request: HttpRequest, kind: str, query: Query[TemplateQuery]):
    if kind == "csv":
        response = HttpResponse(exports.template_csv(), content_type="text/csv; charset=utf-8")
    else:
        xlsx = exports.template_xlsx(query.region or "")
        response = HttpResponse(xlsx, content_type=exports.XLSX)
        kind = "xlsx"
    response["Content-Disposition"] = f'attachment; filename="template-impor-jaring.{kind}"'
    return response


# Before the routes "/{batch_id}": Ninja would take "synonyms" for a batch id.
@router.get(
    "/synonyms",
    response={200: list[ValueSynonymOut], **errors(401)},
    summary="The city's remembered values (synonyms) you may see",
)
def list_synonyms(request: HttpRequest):
    return [synonym_out(s) for s in selectors.synonyms_for(request.auth)]


@router.post(
    "/synonyms",
    response={201: ValueSynonymOut, **errors(401, 403, 409, 422)},
    summary="Remember a value for a city's imports",
)
def add_synonym(request: HttpRequest, body: ValueSynonymIn):
    synonym = services.add_synonym(
        actor=request.auth,
        field=body.field,
        value=body.value,
        code=body.code,
        region_code=body.region,
    )
    return Status(201, synonym_out(selectors.get_synonym(request.auth, synonym.pk)))


@router.patch(
    "/synonyms/{synonym_id}",
    response={200: ValueSynonymOut, **errors(401, 403, 404, 422)},
    summary="Change the code a remembered value stands for",
)
def change_synonym(request: HttpRequest, synonym_id: int, body: ValueSynonymPatch):
    synonym = selectors.get_synonym(request.auth, synonym_id)
    services.change_synonym(actor=request.auth, synonym=synonym, code=body.code)
    return synonym_out(selectors.get_synonym(request.auth, synonym_id))


@router.delete(
    "/synonyms/{synonym_id}",
    response={200: ValueSynonymOut, **errors(401, 403, 404)},
    summary="Forget a remembered value (answers what it was)",
)
def delete_synonym(request: HttpRequest, synonym_id: int):
    synonym = selectors.get_synonym(request.auth, synonym_id)
    forgotten = synonym_out(synonym)
    services.delete_synonym(actor=request.auth, synonym=synonym)
    return forgotten


@router.get(
    "/",
    response={200: list[ImportBatchOut], **errors(401)},
    summary="Imports you may see, newest first",
)
def list_batches(request: HttpRequest):
    return [batch_out(b) for b in selectors.batches_for(request.auth).select_related("created_by")]


@router.post(
    "/", response={201: ImportBatchOut, **errors(401, 403, 422)}, summary="Upload a list to check"
)
def upload(request: HttpRequest, file: File[UploadedFile], region: Form[str | None] = None):
    batch = services.create_batch(
        actor=request.auth, upload=file, name=file.name or "upload", region_code=region
    )
    services.enqueue(batch)
    return Status(201, batch_out(selectors.get_batch(request.auth, batch.pk)))


@router.get("/{batch_id}", response={200: ImportBatchOut, **errors(401, 404)}, summary="Progress")
def status(request: HttpRequest, batch_id: int):
    return batch_out(selectors.get_batch(request.auth, batch_id))


@router.get(
    "/{batch_id}/rows", response={200: ImportRowPage, **errors(401, 404)}, summary="Preview rows"
)
def rows(request: HttpRequest, batch_id: int, query: Query[RowQuery]):
    batch = selectors.get_batch(request.auth, batch_id)
    found = selectors.batch_rows(batch, outcome=query.outcome)
    size = max(1, min(query.page_size, 1000))
    count = found.count()
    page = max(1, query.page)
    chosen = found[(page - 1) * size : page * size]
    return ImportRowPage(
        count=count,
        page=page,
        pages=-(-count // size),
        results=[row_out(request.auth, r) for r in chosen],
    )


@router.post(
    "/{batch_id}/mapping",
    response={202: ImportBatchOut, **errors(401, 403, 404, 409, 422)},
    summary="Correct the column mapping and check again",
)
def remap(request: HttpRequest, batch_id: int, body: MappingIn):
    batch = selectors.get_batch(request.auth, batch_id)
    batch = services.remap(
        actor=request.auth, batch=batch, mapping=body.mapping, header_row=body.header_row
    )
    services.enqueue(batch)
    return Status(202, batch_out(selectors.get_batch(request.auth, batch_id)))


@router.post(
    "/{batch_id}/values",
    response={202: ImportBatchOut, **errors(401, 403, 404, 409, 422)},
    summary="Map values not recognised (every row with the value follows) and check again",
)
def map_values(request: HttpRequest, batch_id: int, body: ValueMappingsIn):
    batch = selectors.get_batch(request.auth, batch_id)
    batch, _ = services.map_values(
        actor=request.auth,
        batch=batch,
        mappings=[values.ValueMapping(m.field, m.value, m.code) for m in body.mappings],
        remember=body.remember,
    )
    services.enqueue(batch)
    return Status(202, batch_out(selectors.get_batch(request.auth, batch_id)))


@router.post(
    "/{batch_id}/check",
    response={202: ImportBatchOut, **errors(401, 403, 404, 409)},
    summary="Check again: an interrupted check or commit (then commit), or a stale check",
)
def check_again(request: HttpRequest, batch_id: int):
    batch = selectors.get_batch(request.auth, batch_id)
    services.enqueue(services.check_again(actor=request.auth, batch=batch))
    return Status(202, batch_out(selectors.get_batch(request.auth, batch_id)))


@router.post(
    "/{batch_id}/commit",
    response={200: ImportBatchOut, **errors(401, 403, 404, 409)},
    summary="Save the approved rows to the registry (all or nothing)",
)
def commit(request: HttpRequest, batch_id: int):
    batch = selectors.get_batch(request.auth, batch_id)
    return batch_out(services.commit_batch(actor=request.auth, batch=batch))


@router.get(
    "/{batch_id}/rejected.xlsx",
    response={200: None, **errors(401, 404)},
    openapi_extra=file_response(exports.XLSX),
    summary="Rows not imported, with the reasons (xlsx)",
)
def rejected(request: HttpRequest, batch_id: int):
    batch = selectors.get_batch(request.auth, batch_id)
    xlsx = services.rejected_file(
        actor=request.auth, batch=batch, what=f"{request.method} {request.get_full_path()}"
    )
    response = HttpResponse(xlsx, content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="ditolak-impor-{batch.pk}.xlsx"'
    return response
