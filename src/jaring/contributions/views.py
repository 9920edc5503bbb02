"""Billing pages: bills and the monthly run, one bill, payments, arrears, rate tables."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from jaring.accounts.masking import display_nik
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
from jaring.contributions.forms import PaymentForm, RateFileForm, RunForm
from jaring.contributions.models import BillingRun, BillStatus, RunStatus
from jaring.contributions.permissions import CONTRIBUTIONS
from jaring.core import formats
from jaring.core.errors import CoreError, Problem, ValidationFailed
from jaring.rules.tables import month_text, parse_month
from jaring.web.feedback import refusal_kept, refusals_as_messages
from jaring.web.preview import Preview, confirming, render_preview


def _viewer(request) -> None:
    if not CONTRIBUTIONS.may(request.user, "view"):
        raise Http404


def _runs(request):
    return BillingRun.objects.filter(created_by=request.user).select_related("programme")[:10]


def _run_preview(request, chosen: dict):
    """The month's run rehearsed: which memberships lapse first, each programme's bill (new or
    added to, members, amount), what would be refused; the confirmation starts the real run."""
    month, programme = chosen["month"], chosen["programme"]
    with refusal_kept() as refused:
        result = services.preview_run(month=month, actor=request.user, programme=programme)
    bills = [] if refused else result.bills
    lapsed = 0 if refused else result.lapses.memberships
    members = sum(b.members for b in bills)
    total = sum(b.total for b in bills)
    facts = [
        (
            b.programme,
            (_("new bill") if b.created else _("%(n)s members added") % {"n": b.added})
            + f" · {formats.number(b.members)} {_('members')} · {formats.rupiah(b.total)}",
        )
        for b in bills
    ]
    notes = []
    if lapsed:
        notes.append(
            ngettext(
                "First %(n)s membership lapses (contributions unpaid too long) and is not billed.",
                "First %(n)s memberships lapse (contributions unpaid too long) and are not billed.",
                lapsed,
            )
            % {"n": formats.number(lapsed)}
        )
    en = (get_language() or "id").startswith("en")
    problems = [] if refused else result.problems
    notes += [str(p["message_en"] if en else p["message_id"]) for p in problems]
    preview = Preview(
        title=_("Monthly billing run"),
        lead=ngettext(
            "%(month)s: %(n)s bill for %(members)s members, %(total)s in all.",
            "%(month)s: %(n)s bills for %(members)s members, %(total)s in all.",
            len(bills),
        )
        % {
            "month": month_text(month),
            "n": formats.number(len(bills)),
            "members": formats.number(members),
            "total": formats.rupiah(total),
        },
        action=reverse("contributions:bills"),
        back=reverse("contributions:bills"),
        back_label=_("Bills"),
        confirm_label=_("Start the run"),
        count=len(bills) + lapsed,
        facts=facts,
        notes=notes,
        problems=refused.problems,
    )
    return render_preview(request, preview)


@login_required
def bill_list(request):
    _viewer(request)
    programmes = programmes_managed(request.user)
    form = RunForm(request.POST or None, programmes=programmes)
    if request.method == "POST":
        if not CONTRIBUTIONS.may(request.user, "bill"):
            raise Http404
        if form.is_valid() and not confirming(request):
            return _run_preview(request, form.cleaned_data)
        if form.is_valid():
            services.request_run(
                actor=request.user,
                month=form.cleaned_data["month"],
                programme=form.cleaned_data["programme"],
            )
            messages.success(request, _("The monthly run has started."))
            return redirect("contributions:bills")
    bills = selectors.bills_for(request.user)
    month = parse_month(request.GET.get("month", ""))
    if month:
        bills = bills.filter(month=month)
    if request.GET.get("programme", "").isdigit():
        bills = bills.filter(programme_id=int(request.GET["programme"]))
    if request.GET.get("status") in BillStatus.values:
        bills = bills.filter(status=request.GET["status"])
    page = Paginator(bills, 50).get_page(request.GET.get("page"))
    runs = _runs(request)
    context = {
        "form": form,
        "page": page,
        "runs": runs,
        "busy": any(r.status in (RunStatus.QUEUED, RunStatus.RUNNING) for r in runs),
        "programmes": programmes,
        "statuses": BillStatus.choices,
        "can_bill": CONTRIBUTIONS.may(request.user, "bill"),
    }
    if request.headers.get("HX-Request"):
        return render(request, "contributions/_runs.html", context)
    return render(request, "contributions/bills.html", context)


def _bill(request, pk: int):
    _viewer(request)
    return selectors.get_bill(request.user, pk)


@login_required
def bill_detail(request, pk: int):
    bill = _bill(request, pk)
    lines = Paginator(selectors.bill_lines(bill), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "contributions/bill.html",
        {
            "bill": bill,
            "rates": bill.rates.select_related("category"),
            "allocations": bill.allocations.select_related("payment"),
            "lines": lines,
            "can_pay": CONTRIBUTIONS.may(request.user, "pay") and bill.status != BillStatus.PAID,
        },
    )


@login_required
def bill_document(request, pk: int, kind: str):
    if kind not in ("xlsx", "pdf"):
        raise Http404
    bill = _bill(request, pk)
    if kind == "xlsx":
        response = HttpResponse(documents.bill_xlsx(bill), content_type=documents.XLSX)
    else:
        response = HttpResponse(documents.bill_pdf(bill), content_type=documents.PDF)
    name = documents.file_name(bill, kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def payments(request):
    _viewer(request)
    programmes = programmes_managed(request.user)
    bills = selectors.bills_for(request.user)
    initial = {"paid_on": timezone.localdate()}
    if request.GET.get("bill", "").isdigit():
        chosen = bills.filter(pk=int(request.GET["bill"])).first()
        if chosen:
            initial |= {
                "programme": chosen.programme,
                "bills": [chosen],
                "amount": chosen.open_amount,
            }
    form = PaymentForm(request.POST or None, programmes=programmes, bills=bills, initial=initial)
    if request.method == "POST":
        if not CONTRIBUTIONS.may(request.user, "pay"):
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            with refusal_kept(form) as refused:
                payment = payment_services.record_payment(
                    actor=request.user,
                    programme=data["programme"],
                    paid_on=data["paid_on"],
                    amount=data["amount"],
                    reference=data["reference"],
                    bills=[b.pk for b in data["bills"]] or None,
                    note=data["note"],
                    excess_to_credit=data["excess_to_credit"],
                )
            if not refused:
                messages.success(
                    request, _("Payment %(reference)s recorded.") % {"reference": payment.reference}
                )
                return redirect("contributions:payments")
    listed = Paginator(selectors.payments_for(request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "contributions/payments.html",
        {"form": form, "page": listed, "can_pay": CONTRIBUTIONS.may(request.user, "pay")},
    )


@login_required
def arrears(request):
    _viewer(request)
    try:
        as_of = dt.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        as_of = timezone.localdate()
    programme = request.GET.get("programme", "")
    rows = selectors.arrears(
        request.user,
        as_of=as_of,
        programme_id=int(programme) if programme.isdigit() else None,
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "contributions/arrears.html",
        {
            "page": page,
            "as_of": as_of,
            "programmes": programmes_managed(request.user),
            "programme": programme,
            "at_risk": sum(1 for r in rows if r.at_risk),
        },
    )


@login_required
def rates(request):
    _viewer(request)
    form = RateFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not CONTRIBUTIONS.may(request.user, "rates"):
            raise Http404
        if form.is_valid():
            upload = form.cleaned_data["file"]
            with refusals_as_messages(request):
                imported = rate_services.import_rates(
                    actor=request.user,
                    text=upload.read().decode("utf-8", errors="replace"),
                    file_name=upload.name,
                    close_previous=form.cleaned_data["close_previous"],
                    note=form.cleaned_data["note"],
                    dry_run=form.cleaned_data["dry_run"],
                )
                if form.cleaned_data["dry_run"]:
                    messages.success(request, _("The file is valid; nothing was added."))
                else:
                    messages.success(request, _("The versions in the file were added."))
                for c in imported.closes:
                    messages.info(
                        request,
                        _("%(table)s %(id)s now ends on %(date)s.")
                        % {"table": c["table"], "id": c["id"], "date": c["effective_to"]},
                    )
                if not form.cleaned_data["dry_run"]:
                    return redirect("contributions:rates")
    return render(
        request,
        "contributions/rates.html",
        {
            "form": form,
            "rows": rate_tables.version_rows(),
            "can_import": CONTRIBUTIONS.may(request.user, "rates"),
        },
    )


@login_required
def statements(request, pk: int):
    """A programme's BPJS monthly statements: upload one for a month, see what differs."""
    if not CONTRIBUTIONS.may(request.user, "reconcile"):
        raise Http404
    programme = programmes_managed(request.user).filter(pk=pk).first()
    if programme is None:
        raise Http404
    report, problems, status = None, [], 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        month = parse_month(request.POST.get("month", ""))
        with refusal_kept() as refused:
            if upload is None or month is None:
                raise ValidationFailed(
                    *(
                        [Problem(CoreError.MONTH_INVALID, "Pilih bulan laporan.",
                                 "Choose the statement's month.", field="month")]
                        if month is None else []
                    ),
                    *(
                        [Problem(CoreError.REQUIRED, "Pilih berkas laporan.",
                                 "Choose the statement file.", field="file")]
                        if upload is None else []
                    ),
                )  # fmt: skip
            report = statement_services.import_statement(
                actor=request.user,
                programme_id=programme.pk,
                month=month,
                data=upload.read(),
                file_name=upload.name,
            ).as_dict()
        if refused:
            problems, status = refused.problems, 400
    done = statement_services.latest(request.user, programme.pk)
    if report is None and request.GET.get("show", "").isdigit():
        shown = next((s for s in done if s.pk == int(request.GET["show"])), None)
        report = shown.report if shown else None
    if report is not None:
        for key in ("bpjs_only", "jaring_only", "amount_differs"):
            for row in report[key]:
                row["nik_shown"] = display_nik(request.user, row["nik"]) if row["nik"] else ""
    return render(
        request,
        "contributions/statements.html",
        {
            "programme": programme,
            "report": report,
            "problems": problems,
            "statements": done,
            "month": request.POST.get("month", ""),
        },
        status=status,
    )
