"""Contributions over the API: bills and their documents, the monthly run, payments, arrears,
rate-table versions. Amounts are whole rupiah."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from jaring.contributions import (
    documents,
    payment_services,
    rate_services,
    rate_tables,
    selectors,
    services,
    statement_services,
)
from jaring.contributions.access import programmes_managed
from jaring.contributions.models import BillingRun
from jaring.contributions.serialise import bill_detail, bill_dict, payment_dict, payment_dicts
from jaring.core.api.params import month_param
from jaring.core.api.schemas import ProblemOut, RuleVersionOut, Strict, errors, file_response
from jaring.core.errors import NotFound

router = Router(tags=["contributions"])


class BillQuery(Schema):
    programme_id: int | None = None
    month: str | None = None
    status: str | None = None


class BillingRunIn(Strict):
    month: str
    programme_id: int | None = None
    as_of: dt.date | None = None
    dry_run: bool = Field(
        False, description="answer what the run would do (200, its result); change nothing"
    )


class PaymentIn(Strict):
    programme_id: int
    paid_on: dt.date
    amount: int
    reference: str
    bills: list[int] | None = None
    note: str = ""
    excess_to_credit: bool = False


class BillOut(Schema):
    id: int
    programme_id: int
    programme: str
    month: str = Field(description="YYYY-MM")
    due_date: dt.date
    due_rule: str
    rule_version: str
    members: int
    jkk: int
    jkm: int
    jht: int
    total: int
    paid: int
    open: int
    lapsed_members: int
    lapsed_amount: int
    status: str


class BillRateOut(Schema):
    category: str
    income_base: int
    sector: str
    jkk: int
    jkm: int
    jht: int
    amount: int
    rule_version: str
    formulas: dict[str, str] = Field(description="per benefit (jkk, jkm, jht): how it is reckoned")
    regulations: dict[str, str] = Field(description="per benefit: the regulation it follows")


class AllocationOut(Schema):
    amount: int
    source: str
    payment_id: int | None


class BillDetailOut(BillOut):
    rates: list[BillRateOut]
    allocations: list[AllocationOut]


class PaidBillOut(Schema):
    bill_id: int
    month: str = Field(description="YYYY-MM")
    amount: int


class PaymentOut(Schema):
    id: int
    programme_id: int
    paid_on: dt.date
    amount: int
    reference: str
    to_credit: int
    note: str
    bills: list[PaidBillOut]
    credit_balance: int = Field(description="the programme's unused credit now")


class LapsesOut(Schema):
    as_of: str
    memberships: int
    by_first_unpaid_month: dict[str, int] = Field(description="YYYY-MM: memberships lapsed")
    lines_lapsed: int


class BilledOut(Schema):
    programme_id: int
    programme: str
    month: str
    bill_id: int
    created: bool
    added: int
    members: int
    total: int
    paid: int
    due_date: str
    rule_version: str


class RunProblemOut(ProblemOut):
    programme_id: int


class RunResultOut(Schema):
    month: str
    as_of: str
    lapses: LapsesOut
    bills: list[BilledOut]
    problems: list[RunProblemOut]


class BillingRunOut(Schema):
    id: int
    month: str = Field(description="YYYY-MM")
    programme_id: int | None
    as_of: dt.date
    status: str
    result: RunResultOut | None = Field(description="lapses and bills made; null until it has run")
    problems: list[ProblemOut]


class ArrearsOut(Schema):
    membership_id: int
    worker_id: int
    name: str
    nik: str
    kpj: str
    programme: str
    months: list[str] = Field(description="unpaid months, YYYY-MM")
    months_unpaid: int
    amount: int
    consecutive_unpaid: int
    at_risk: bool = Field(description="one more unpaid month and the membership lapses")


class RateVersionOut(RuleVersionOut):
    origin: str = Field(description="shipped, or import #N")


class ClosedVersionOut(Schema):
    table: str
    id: str
    effective_to: dt.date


class RateImportOut(Schema):
    import_id: int | None = Field(description="null on a dry run")
    dry_run: bool
    closes: list[ClosedVersionOut] = Field(description="versions this import ends")
    bills_in_range: int = Field(description="bills already made for months it covers")


def _programme(user, pk: int | None):
    if pk is None:
        return None
    programme = programmes_managed(user).filter(pk=pk).first()
    if programme is None:
        raise NotFound.of("Program", "Programme", "programme_id")
    return programme


def _run_dict(run: BillingRun) -> dict[str, object]:
    return {
        "id": run.pk,
        "month": run.month.strftime("%Y-%m"),
        "programme_id": run.programme_id,
        "as_of": run.as_of.isoformat(),
        "status": run.status,
        "result": run.result or None,
        "problems": run.problems,
    }


@router.get("/bills", response={200: list[BillOut], **errors(401, 403, 422)}, summary="Bills")
def list_bills(request: HttpRequest, query: Query[BillQuery]):
    bills = selectors.bills_for(request.auth)
    if query.programme_id:
        bills = bills.filter(programme_id=query.programme_id)
    if query.month:
        bills = bills.filter(month=month_param(query.month))
    if query.status:
        bills = bills.filter(status=query.status)
    return [bill_dict(b) for b in bills]


@router.get(
    "/bills/{bill_id}", response={200: BillDetailOut, **errors(401, 403, 404)}, summary="A bill"
)
def get_bill(request: HttpRequest, bill_id: int):
    return bill_detail(selectors.get_bill(request.auth, bill_id))


@router.get(
    "/bills/{bill_id}/document.{kind}",
    response={200: None, **errors(401, 403, 404)},
    openapi_extra=file_response(documents.XLSX, documents.PDF),
    summary="The bill document (xlsx or pdf) for a payment request",
)
def bill_document(request: HttpRequest, bill_id: int, kind: str):
    bill = selectors.get_bill(request.auth, bill_id)
    if kind == "pdf":
        response = HttpResponse(documents.bill_pdf(bill), content_type=documents.PDF)
    else:
        kind = "xlsx"
        response = HttpResponse(documents.bill_xlsx(bill), content_type=documents.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{documents.file_name(bill, kind)}"'
    return response


@router.post(
    "/runs",
    response={202: BillingRunOut, 200: RunResultOut, **errors(401, 403, 404, 422)},
    summary="Start the monthly run in the background (lapses, then bills)",
)
def start_run(request: HttpRequest, body: BillingRunIn):
    if body.dry_run:
        return Status(
            200,
            services.preview_run(
                actor=request.auth,
                month=month_param(body.month),
                programme=_programme(request.auth, body.programme_id),
                as_of=body.as_of,
            ).as_dict(),
        )
    run = services.request_run(
        actor=request.auth,
        month=month_param(body.month),
        programme=_programme(request.auth, body.programme_id),
        as_of=body.as_of,
    )
    run.refresh_from_db()
    return Status(202, _run_dict(run))


@router.get(
    "/runs/{run_id}", response={200: BillingRunOut, **errors(401, 404)}, summary="A run's status"
)
def get_run(request: HttpRequest, run_id: int):
    run = BillingRun.objects.filter(pk=run_id, created_by=request.auth).first()
    if run is None:
        raise NotFound.of("Proses", "Run")
    return _run_dict(run)


@router.get("/payments", response={200: list[PaymentOut], **errors(401, 403)}, summary="Payments")
def list_payments(request: HttpRequest, programme_id: int | None = None):
    payments = selectors.payments_for(request.auth)
    if programme_id:
        payments = payments.filter(programme_id=programme_id)
    return payment_dicts(payments)


@router.post(
    "/payments",
    response={201: PaymentOut, **errors(401, 403, 404, 409, 422)},
    summary="Record a payment against bills (all or nothing)",
)
def record_payment(request: HttpRequest, body: PaymentIn):
    payment = payment_services.record_payment(
        actor=request.auth,
        programme=_programme(request.auth, body.programme_id),
        paid_on=body.paid_on,
        amount=body.amount,
        reference=body.reference,
        bills=body.bills,
        note=body.note,
        excess_to_credit=body.excess_to_credit,
    )
    return Status(201, payment_dict(payment))


@router.get("/arrears", response={200: list[ArrearsOut], **errors(401, 403)}, summary="Arrears")
def list_arrears(
    request: HttpRequest,
    as_of: dt.date | None = None,
    programme_id: int | None = None,
    limit: int = 1000,
):
    rows = selectors.arrears(
        request.auth,
        as_of=as_of or timezone.localdate(),
        programme_id=programme_id,
        limit=max(1, min(limit, 100_000)),
    )
    return [a.as_dict() for a in rows]


@router.get(
    "/rates", response={200: list[RateVersionOut], **errors(401)}, summary="Rate-table versions"
)
def list_rates(request: HttpRequest, table: str | None = None):
    return [r.as_dict() for r in rate_tables.version_rows(table)]


@router.post(
    "/rates",
    response={201: RateImportOut, 200: RateImportOut, **errors(401, 403, 422)},
    summary="Add rate-table versions from a TOML or JSON file (admin)",
)
def import_rates(
    request: HttpRequest,
    file: File[UploadedFile],
    close_previous: Form[bool] = False,
    dry_run: Form[bool] = False,
    note: Form[str] = "",
):
    imported = rate_services.import_rates(
        actor=request.auth,
        text=file.read().decode("utf-8", errors="replace"),
        file_name=file.name or "rates.toml",
        close_previous=close_previous,
        note=note,
        dry_run=dry_run,
    )
    body = {
        "import_id": imported.pk,
        "dry_run": dry_run,
        "closes": imported.closes,
        "bills_in_range": imported.bills_in_range,
    }
    return Status(200 if dry_run else 201, body)


# --- BPJS's monthly statement ---------------------------------------------------------------


class BpjsOnlyOut(Schema):
    row: int = Field(description="the statement's row")
    kpj: str
    nik: str
    name: str
    amount: int


class JaringOnlyOut(Schema):
    membership_id: int
    kpj: str
    nik: str
    name: str
    amount: int = Field(description="what Jaring billed")
    bpjs_status: str = Field(description="the statement's status; empty when it has no row")
    row: int | None


class AmountDiffersOut(Schema):
    row: int
    membership_id: int
    kpj: str
    nik: str
    name: str
    jaring: int
    bpjs: int
    difference: int = Field(description="BPJS's amount less Jaring's")


class StatementReportOut(Schema):
    statement_id: int
    file_name: str
    month: str = Field(description="YYYY-MM")
    already_imported: bool
    rows: int
    matched: int = Field(description="members both count, with the same or another amount")
    bpjs_total: int = Field(description="rupiah BPJS lists for its active members")
    jaring_total: int = Field(description="rupiah Jaring billed for the month")
    bpjs_only: list[BpjsOnlyOut] = Field(description="BPJS counts, Jaring did not bill")
    jaring_only: list[JaringOnlyOut] = Field(description="Jaring billed, BPJS does not count")
    amount_differs: list[AmountDiffersOut]


class StatementOut(Schema):
    id: int
    month: str
    file_name: str
    imported_at: dt.datetime
    imported_by: str | None
    bpjs_only: int
    jaring_only: int
    amount_differs: int


@router.post(
    "/programmes/{programme_id}/statements",
    response={200: StatementReportOut, **errors(401, 403, 404, 409, 422)},
    summary="Reconcile BPJS's monthly statement",
)
def import_statement(request: HttpRequest, programme_id: int, month: str, file: File[UploadedFile]):
    """The branch's monthly list (xlsx/csv: KPJ or NIK, month, amount, status) beside the
    programme's bill of `month` (YYYY-MM): who BPJS counts that Jaring did not bill, who Jaring
    billed that BPJS does not count, and amount differences. All or nothing; the same file
    again answers `already_imported: true`."""
    report = statement_services.import_statement(
        actor=request.auth,
        programme_id=programme_id,
        month=month_param(month),
        data=file.read(),
        file_name=file.name or "statement.csv",
    )
    return report.as_dict()


@router.get(
    "/programmes/{programme_id}/statements",
    response={200: list[StatementOut], **errors(401, 403, 404)},
    summary="BPJS statements reconciled",
)
def list_statements(request: HttpRequest, programme_id: int):
    return [
        {
            "id": s.pk,
            "month": s.month.strftime("%Y-%m"),
            "file_name": s.file_name,
            "imported_at": s.imported_at,
            "imported_by": s.imported_by.username if s.imported_by else None,
            "bpjs_only": len(s.report.get("bpjs_only", [])),
            "jaring_only": len(s.report.get("jaring_only", [])),
            "amount_differs": len(s.report.get("amount_differs", [])),
        }
        for s in statement_services.latest(request.auth, programme_id)
    ]
