"""Claim pages: list, register, one claim (entitlements, documents, workflow, history),
document download; the money report with its xlsx/PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jaring.accounts.audit import history
from jaring.claims import report_documents, selectors, services, workflow
from jaring.claims.api import document_response
from jaring.claims.forms import (
    ChildFormSet,
    ClaimForm,
    CorrectionForm,
    DocumentForm,
    HeirFormSet,
    ReportForm,
    StopForm,
    TransitionForm,
    TransportFormSet,
    YearClaimForm,
    YearPayForm,
)
from jaring.claims.models import ClaimKind, ClaimStatus
from jaring.claims.permissions import CLAIMS
from jaring.claims.reports import money_report
from jaring.contributions.access import programmes_managed
from jaring.web.feedback import refusal_kept, refusals_as_messages


def _allowed(request, action: str) -> None:
    if not CLAIMS.may(request.user, action):
        raise Http404


@login_required
def claim_list(request):
    _allowed(request, "view")
    f = selectors.ClaimFilter(
        status=request.GET.get("status", "") if request.GET.get("status") in ClaimStatus else "",
        kind=request.GET.get("kind", "") if request.GET.get("kind") in ClaimKind else "",
        q=request.GET.get("q", ""),
    )
    page = Paginator(selectors.search_claims(request.user, f), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "claims/list.html",
        {
            "page": page,
            "filter": f,
            "statuses": ClaimStatus.choices,
            "kinds": ClaimKind.choices,
            "can_register": CLAIMS.may(request.user, "register"),
            "can_report": CLAIMS.may(request.user, "report"),
        },
    )


@login_required
def claim_new(request):
    _allowed(request, "register")
    post = request.POST if request.method == "POST" else None
    form = ClaimForm(post, request.FILES or None)
    children = ChildFormSet(post, prefix="child")
    transport = TransportFormSet(post, prefix="transport")
    heirs = HeirFormSet(_with_heirs(post), prefix="heir")
    if post and all(x.is_valid() for x in (form, children, transport)) and _valid(heirs):
        data = form.claim_input(
            [c for c in (f.child() for f in children) if c],
            [t for t in (f.transport() for f in transport) if t],
            _heirs_of(heirs),
        )
        with refusal_kept(form) as refused:
            membership = selectors.find_membership(
                request.user, form.cleaned_data["member"], data.event_date
            )
            claim = services.register_claim(
                actor=request.user,
                membership=membership,
                data=data,
                documents=form.cleaned_data["documents"],
            )
        if not refused:
            messages.success(request, _("Claim %(id)s registered.") % {"id": claim.pk})
            return redirect("claims:detail", pk=claim.pk)
    return render(
        request,
        "claims/form.html",
        {"form": form, "children": children, "transport": transport, "heirs": heirs},
    )


@login_required
def claim_correct(request, pk: int):
    _allowed(request, "register")
    claim = _claim(request, pk)
    if claim.status not in workflow.EDITABLE:
        messages.error(
            request, _("An approved, paid or rejected claim can no longer be corrected.")
        )
        return redirect("claims:detail", pk=claim.pk)
    current = services.input_of(claim)
    post = request.POST if request.method == "POST" else None
    form = CorrectionForm(
        post, request.FILES or None, claim=claim, initial=CorrectionForm.initial_of(current)
    )
    children = ChildFormSet(
        post,
        prefix="child",
        initial=[
            {
                f: getattr(c, f)
                for f in ("name", "birth_date", "level", "grade", "married", "working")
            }
            for c in current.children
        ],
    )
    transport = TransportFormSet(
        post,
        prefix="transport",
        initial=[{"mode": t.mode, "cost": t.cost} for t in current.transport],
    )
    heirs = HeirFormSet(
        _with_heirs(post),
        prefix="heir",
        initial=[{"name": h.name, "relation": h.relation, "share": h.share} for h in current.heirs],
    )
    if post and all(x.is_valid() for x in (form, children, transport)) and _valid(heirs):
        data = form.claim_input(
            [c for c in (f.child() for f in children) if c],
            [t for t in (f.transport() for f in transport) if t],
            _heirs_of(heirs),
        )
        with refusal_kept(form) as refused:
            services.correct_claim(
                actor=request.user,
                claim=claim,
                data=data,
                reason=form.cleaned_data["reason"],
                documents=form.cleaned_data["documents"],
                remove_documents=form.cleaned_data["remove_documents"],
            )
        if not refused:
            messages.success(request, _("Claim %(id)s corrected.") % {"id": claim.pk})
            return redirect("claims:detail", pk=claim.pk)
    return render(
        request,
        "claims/form.html",
        {
            "form": form,
            "children": children,
            "transport": transport,
            "heirs": heirs,
            "claim": claim,
        },
    )


def _with_heirs(post):
    """The posted form, or None for the heirs when it sent none (a form without that section)."""
    return post if post is not None and "heir-TOTAL_FORMS" in post else None


def _valid(heirs) -> bool:
    return not heirs.is_bound or heirs.is_valid()


def _heirs_of(heirs) -> list:
    return [h for h in (f.heir() for f in heirs) if h] if heirs.is_bound else []


def _claim(request, pk: int):
    _allowed(request, "view")
    return selectors.get_claim(request.user, pk)


@login_required
def claim_detail(request, pk: int):
    claim = _claim(request, pk)
    actions = workflow.actions_for(request.user, claim.status)
    return render(
        request,
        "claims/detail.html",
        {
            "claim": claim,
            "actions": actions,
            "transition_form": TransitionForm(initial={"paid_on": timezone.localdate()}),
            "document_form": DocumentForm(),
            "can_add_documents": CLAIMS.may(request.user, "register")
            and claim.status not in (ClaimStatus.PAID, ClaimStatus.REJECTED),
            "can_correct": CLAIMS.may(request.user, "register")
            and claim.status in workflow.EDITABLE,
            "events": history(claim),
            "money": selectors.scholarship_money(claim),
            "payments": [
                (
                    p,
                    []
                    if p.scholarship_year_id
                    else selectors.heir_split(p.amount, claim.heirs.all()),
                )
                for p in claim.payments.all()
            ],
            "can_claim_year": CLAIMS.may(request.user, "register")
            and claim.status != ClaimStatus.REJECTED
            and claim.scholarship_years.exists(),
            "can_approve_year": CLAIMS.may(request.user, "approve")
            and claim.status in (ClaimStatus.APPROVED, ClaimStatus.PAID),
            "can_pay_year": CLAIMS.may(request.user, "pay"),
            "year_form": YearClaimForm(claim=claim),
            "year_pay_form": YearPayForm(initial={"paid_on": timezone.localdate()}),
            "stop_form": StopForm(claim=claim),
        },
    )


@login_required
@require_POST
def claim_transition(request, pk: int):
    claim = _claim(request, pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        with refusals_as_messages(request):
            services.transition(
                actor=request.user,
                claim=claim,
                action=d["action"],
                reason=d["reason"],
                paid_on=d["paid_on"],
                reference=d["reference"],
                reference_kind=d["reference_kind"] or "transfer",
                amount=d["amount"],
            )
            messages.success(request, _("The claim was updated."))
    else:
        messages.error(request, _("Check the dates and try again."))
    return redirect("claims:detail", pk=claim.pk)


@login_required
@require_POST
def claim_year(request, pk: int):
    """Claim one school year of a child's scholarship (proof of enrolment)."""
    claim = _claim(request, pk)
    form = YearClaimForm(request.POST, claim=claim)
    if form.is_valid():
        d = form.cleaned_data
        with refusals_as_messages(request):
            row = services.claim_school_year(
                actor=request.user,
                claim=claim,
                child_id=d["child"],
                school_year=d["school_year"],
                proof=d["proof"],
                level=d["level"],
            )
            messages.success(
                request,
                _("School year %(year)s of %(child)s claimed.")
                % {"year": row.label, "child": row.child.name},
            )
    else:
        messages.error(request, _("Choose the child and give the school year and the proof."))
    return redirect("claims:detail", pk=claim.pk)


@login_required
@require_POST
def year_action(request, pk: int, year: int):
    """Approve a claimed school year, or record the payment of an approved one."""
    claim = _claim(request, pk)
    action = request.POST.get("action")
    with refusals_as_messages(request):
        if action == "approve":
            services.approve_school_year(actor=request.user, claim=claim, year_id=year)
            messages.success(request, _("The school year was approved."))
        elif action == "pay":
            form = YearPayForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Check the dates and try again."))
                return redirect("claims:detail", pk=claim.pk)
            d = form.cleaned_data
            services.pay_school_year(
                actor=request.user,
                claim=claim,
                year_id=year,
                paid_on=d["paid_on"],
                reference=d["reference"],
                reference_kind=d["reference_kind"],
            )
            messages.success(request, _("The payment of the school year was recorded."))
        else:
            raise Http404
    return redirect("claims:detail", pk=claim.pk)


@login_required
@require_POST
def stop_scholarship(request, pk: int):
    claim = _claim(request, pk)
    form = StopForm(request.POST, claim=claim)
    if form.is_valid():
        d = form.cleaned_data
        with refusals_as_messages(request):
            n = services.stop_scholarship(
                actor=request.user,
                claim=claim,
                child_id=d["child"],
                school_year=d["school_year"],
                reason=d["reason"],
            )
            messages.success(request, _("%(n)s school year(s) stopped.") % {"n": n})
    else:
        messages.error(request, _("Choose the child and give the school year and the reason."))
    return redirect("claims:detail", pk=claim.pk)


@login_required
@require_POST
def claim_documents(request, pk: int):
    claim = _claim(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        with refusals_as_messages(request):
            services.add_documents(
                actor=request.user, claim=claim, documents=form.cleaned_data["documents"]
            )
            messages.success(request, _("The documents were added."))
    else:
        messages.error(request, _("Choose a file."))
    return redirect("claims:detail", pk=claim.pk)


@login_required
def document(request, pk: int):
    _allowed(request, "view")
    return document_response(selectors.get_document(request.user, pk))


_EXPORTS = {
    "xlsx": (report_documents.report_xlsx, report_documents.XLSX),
    "pdf": (report_documents.report_pdf, report_documents.PDF),
}


@login_required
def report(request):
    _allowed(request, "report")
    programmes = programmes_managed(request.user)
    initial = {"year": timezone.localdate().year}
    form = ReportForm(request.GET or initial, programmes=programmes)
    result = None
    if form.is_valid():
        d = form.cleaned_data
        with refusal_kept(form) as refused:
            result = money_report(
                request.user,
                year=d["year"],
                programme_id=d["programme"].pk if d["programme"] else None,
                region_code=d["region"] or None,
                as_of=d["as_of"],
            )
        if not refused:
            kind = request.GET.get("export")
            if kind in _EXPORTS:
                make, content_type = _EXPORTS[kind]
                response = HttpResponse(make(result), content_type=content_type)
                name = report_documents.file_name(result, kind)
                response["Content-Disposition"] = f'attachment; filename="{name}"'
                return response
    query = request.GET.copy()
    query.pop("export", None)
    return render(
        request,
        "claims/report.html",
        {"form": form, "report": result, "kinds": ClaimKind.choices, "query": query.urlencode()},
    )
