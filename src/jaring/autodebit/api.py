"""Auto-debit over the API: mandates (create, list, end), a bank's monthly instruction file out
and its result file in. Amounts are whole rupiah; only the masked account number is answered."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from jaring.autodebit import selectors, services
from jaring.autodebit.models import DebitBatch, Mandate, MandateStatus
from jaring.autodebit.profiles import profiles
from jaring.core.api.params import month_param
from jaring.core.api.schemas import Strict, errors, file_response
from jaring.rules.tables import month_text

router = Router(tags=["autodebit"])

_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class MandateQuery(Schema):
    status: MandateStatus | None = None
    bank: str | None = Field(None, max_length=30)
    offset: int = Field(0, ge=0, le=10_000_000)
    limit: int = Field(200, ge=1, le=1000)


class MandateIn(Strict):
    cover_id: int = Field(ge=1, le=2**62)
    bank: str = Field(description="a bank profile: GET /api/autodebit/banks")
    account_number: str = Field(max_length=40, description="kept masked: the last 4 digits")
    bank_mandate_ref: str = Field(max_length=60)
    debit_day: int = Field(ge=-1000, le=1000, description="1–28")
    consent_date: dt.date
    consent_document: str = Field(max_length=200, description="the signed form's reference")


class MandateOut(Schema):
    id: int
    cover_id: int
    worker_id: int
    name: str
    village: str
    bank: str
    account_masked: str
    bank_mandate_ref: str
    debit_day: int
    status: str
    consent_date: dt.date
    consent_document: str


class MandateEndIn(Strict):
    reason: str = Field("", max_length=500)


class AutodebitBankOut(Schema):
    code: str
    name: str
    format: str


class DebitFileIn(Strict):
    bank: str
    month: str = Field(description="YYYY-MM: every month due up to it, arrears first")
    debit_date: dt.date | None = None


class DebitFileOut(Schema):
    id: int
    bank: str
    month: str
    debit_date: dt.date
    lines: int
    total: int


class DebitResultOut(Schema):
    import_id: int
    rows: int
    paid: int
    failed: int
    already_paid: int
    unchanged: int
    amount_paid: int
    reminders: int
    already_imported: bool


def _mandate(m: Mandate) -> dict[str, object]:
    return {
        "id": m.pk,
        "cover_id": m.cover_id,
        "worker_id": m.cover.worker_id,
        "name": m.cover.worker.full_name,
        "village": m.village_id,
        "bank": m.bank,
        "account_masked": m.account_masked,
        "bank_mandate_ref": m.bank_mandate_ref,
        "debit_day": m.debit_day,
        "status": m.status,
        "consent_date": m.consent_date,
        "consent_document": m.consent_document,
    }


def _batch(b: DebitBatch) -> dict[str, object]:
    return {
        "id": b.pk,
        "bank": b.bank,
        "month": month_text(b.month),
        "debit_date": b.debit_date,
        "lines": b.lines,
        "total": b.total,
    }


@router.get(
    "/banks",
    response={200: list[AutodebitBankOut], **errors(401)},
    summary="The bank file profiles (autodebit/data/banks.toml)",
)
def banks(request: HttpRequest):
    return [{"code": p.code, "name": p.name, "format": p.format} for p in profiles().values()]


@router.get(
    "/mandates",
    response={200: list[MandateOut], **errors(401, 403)},
    summary="Auto-debit mandates in the user's region (an agent: its own members')",
)
def list_mandates(request: HttpRequest, query: Query[MandateQuery]):
    found = selectors.mandate_list(request.auth).order_by("id")
    if query.status:
        found = found.filter(status=query.status)
    if query.bank:
        found = found.filter(bank=query.bank)
    return [_mandate(m) for m in found[query.offset : query.offset + query.limit]]


@router.post(
    "/mandates",
    response={201: MandateOut, **errors(401, 403, 404, 409, 422)},
    summary="Record a member's auto-debit mandate (only the masked account number is kept)",
)
def create_mandate(request: HttpRequest, body: MandateIn):
    m = services.create_mandate(
        actor=request.auth,
        cover_id=body.cover_id,
        data=services.MandateInput(
            bank=body.bank,
            account_number=body.account_number,
            bank_mandate_ref=body.bank_mandate_ref,
            debit_day=body.debit_day,
            consent_date=body.consent_date,
            consent_document=body.consent_document,
        ),
    )
    return Status(201, _mandate(selectors.mandate_list(request.auth).get(pk=m.pk)))


@router.post(
    "/mandates/{mandate_id}/end",
    response={200: MandateOut, **errors(401, 403, 404, 422)},
    summary="End a mandate: the bank is no longer asked to debit the member",
)
def end_mandate(request: HttpRequest, mandate_id: int, body: MandateEndIn):
    services.cancel_mandate(actor=request.auth, mandate_id=mandate_id, reason=body.reason)
    return _mandate(selectors.mandate_list(request.auth).get(pk=mandate_id))


@router.post(
    "/files",
    response={201: DebitFileOut, **errors(401, 403, 409, 422)},
    summary="Make a bank's instruction file for a month; download it at GET /files/{id}",
)
def make_file(request: HttpRequest, body: DebitFileIn):
    batch = services.make_debit_file(
        actor=request.auth,
        bank=body.bank,
        month=month_param(body.month),
        debit_date=body.debit_date,
    )
    return Status(201, _batch(batch))


@router.get(
    "/files/{batch_id}",
    response={200: None, **errors(401, 403, 404)},
    openapi_extra=file_response(_TYPES["csv"], _TYPES["xlsx"]),
    summary="Download a bank's instruction file in its profile (CSV or XLSX)",
)
def download_file(request: HttpRequest, batch_id: int):
    batch = selectors.get_batch(request.auth, batch_id)
    kind = services.profile(batch.bank).format
    response = HttpResponse(services.debit_file(batch), content_type=_TYPES[kind])
    name = f"debet-{batch.bank}-{batch.month:%Y-%m}-{batch.pk}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.post(
    "/results",
    response={200: DebitResultOut, **errors(401, 403, 422)},
    summary="Read a bank's result file: successes pay, failures remind; the same file twice "
    "changes nothing",
)
def import_results(request: HttpRequest, file: File[UploadedFile], bank: Form[str]):
    result, counts = services.import_results(
        actor=request.auth, bank=bank, data=file.read(), file_name=file.name or "hasil.csv"
    )
    return {"import_id": result.pk, **counts.as_dict()}
