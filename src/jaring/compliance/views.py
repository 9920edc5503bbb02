"""Compliance pages: the officer's work list, leads, an employer's page, a case with its steps
and letters, list imports, the yearly report; and the public "my employer does not register
me" form (no login, rate-limited)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from jaring.accounts.audit import history
from jaring.compliance import letters, matching, selectors, services, sources
from jaring.compliance.forms import (
    CloseForm,
    EvidenceForm,
    ImportForm,
    OpenForm,
    PublicReportForm,
    ReportForm,
    StepForm,
)
from jaring.compliance.ladder import next_steps
from jaring.compliance.models import LeadKind, Step
from jaring.compliance.permissions import COMPLIANCE
from jaring.core.errors import DomainError
from jaring.core.http import client_address
from jaring.enrolment.cards.public import TooManyAttempts, throttle
from jaring.web.feedback import refusals_as_messages

# A client may send this many reports in this many seconds.
PUBLIC_LIMIT = (5, 60 * 60)


def _allowed(request, action: str = "view") -> None:
    if not COMPLIANCE.may(request.user, action):
        raise Http404


def _put_errors(form, exc: DomainError) -> None:
    for problem in exc.problems:
        field = (problem.field or "").split(".")[0]
        form.add_error(field if field in form.fields else None, problem.message)


@login_required
def work_list(request):
    _allowed(request)
    today = timezone.localdate()
    work = selectors.work_list(request.user, today=today)
    return render(
        request,
        "compliance/work.html",
        {
            "work": work,
            "today": today,
            "by_step": [
                (label, work.by_step[value])
                for value, label in [("", _("No step yet")), *Step.choices]
            ],
            "can_act": COMPLIANCE.may(request.user, "act"),
            "can_import": COMPLIANCE.may(request.user, "import"),
        },
    )


@login_required
def lead_list(request):
    _allowed(request)
    kind = request.GET.get("kind", "") if request.GET.get("kind") in LeadKind.values else ""
    found = selectors.leads(request.user, kind=kind)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "compliance/leads.html",
        {
            "page": page,
            "kind": kind,
            "kinds": LeadKind.choices,
            "can_act": COMPLIANCE.may(request.user, "act"),
        },
    )


@login_required
def employer_detail(request, pk: int):
    _allowed(request)
    context = selectors.employer_page(request.user, pk)
    context["history"] = history(context["employer"])
    context["can_unlink"] = COMPLIANCE.may(request.user, "match")
    return render(request, "compliance/employer.html", context)


@login_required
@require_POST
def unlink(request, pk: int):
    """A wrong link undone: the business comes back as its own employer."""
    _allowed(request, "match")
    link = selectors.get_link(request.user, pk)
    with refusals_as_messages(request):
        business = services.unlink(actor=request.user, link_id=link.pk)
        messages.success(
            request,
            _("The link is undone: %(name)s is its own employer again.") % {"name": business.name},
        )
        return redirect("compliance:employer", pk=business.pk)
    return redirect("compliance:employer", pk=link.employer_id)


@login_required
def case_detail(request, pk: int):
    _allowed(request)
    case = selectors.get_case(request.user, pk)
    can_act = COMPLIANCE.may(request.user, "act") and case.status == "open"
    allowed = next_steps(case.coaching, case.step) if can_act else ()
    steps = list(case.steps.prefetch_related("files"))
    return render(
        request,
        "compliance/case.html",
        {
            "case": case,
            "steps": steps,
            "evidence_form": EvidenceForm(steps=steps) if can_act and steps else None,
            "step_form": StepForm(
                steps=allowed,
                initial={"officer_name": request.user.get_full_name() or request.user.username},
            )
            if allowed
            else None,
            "close_form": CloseForm() if can_act else None,
            "history": history(case),
        },
    )


@login_required
@require_POST
def open_case(request, pk: int):
    _allowed(request, "act")
    form = OpenForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect("compliance:leads")
    on = form.cleaned_data["opened_on"] or timezone.localdate()
    with refusals_as_messages(request):
        case = services.open_case(actor=request.user, lead_id=pk, on=on)
        messages.success(request, _("Case opened."))
        return redirect("compliance:case", pk=case.pk)
    return redirect("compliance:leads")


@login_required
@require_POST
def take_step(request, pk: int):
    _allowed(request, "act")
    case = selectors.get_case(request.user, pk)
    form = StepForm(request.POST, steps=next_steps(case.coaching, case.step))
    if form.is_valid():
        with refusals_as_messages(request):
            services.take_step(
                actor=request.user, case_id=case.pk, data=services.StepInput(**form.cleaned_data)
            )
            messages.success(request, _("Step recorded."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("compliance:case", pk=case.pk)


@login_required
@require_POST
def add_evidence(request, pk: int):
    _allowed(request, "act")
    case = selectors.get_case(request.user, pk)
    form = EvidenceForm(request.POST, request.FILES, steps=case.steps.all())
    if form.is_valid():
        with refusals_as_messages(request):
            saved = services.add_evidence_files(
                actor=request.user,
                case_id=case.pk,
                step_id=form.cleaned_data["step"],
                files=form.cleaned_data["files"],
            )
            messages.success(request, _("%(n)s evidence files added.") % {"n": len(saved)})
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("compliance:case", pk=case.pk)


@login_required
def evidence(request, pk: int):
    """An evidence file, only to a user whose region covers the case; each download recorded."""
    _allowed(request)
    found = selectors.get_evidence(request.user, pk)
    response = FileResponse(
        services.evidence_file(
            actor=request.user, evidence=found, what=f"GET {request.get_full_path()}"
        ),
        content_type=found.content_type,
        as_attachment=True,
        filename=found.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def close_case(request, pk: int):
    _allowed(request, "act")
    case = selectors.get_case(request.user, pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        with refusals_as_messages(request):
            services.close_case(actor=request.user, case_id=case.pk, **form.cleaned_data)
            messages.success(request, _("Case closed."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("compliance:case", pk=case.pk)


@login_required
def letter(request, pk: int):
    _allowed(request)
    step = selectors.get_step(request.user, pk)
    response = HttpResponse(letters.letter_pdf(step), content_type=letters.PDF)
    response["Content-Disposition"] = f'inline; filename="{letters.file_name(step)}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_list(request):
    _allowed(request, "import")
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            result = sources.import_upload(
                actor=request.user,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                region_code=form.cleaned_data["region"],
            )
        except DomainError as exc:
            _put_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(rows)s rows imported: %(created)s new employers, %(updated)s updated.")
                % result.as_dict(),
            )
            return redirect("compliance:work")
    return render(
        request,
        "compliance/import.html",
        {"form": form, "lists": selectors.lists(request.user)[:20]},
    )


@login_required
@require_POST
def match(request):
    _allowed(request, "match")
    region = request.POST.get("region", "")
    with refusals_as_messages(request):
        services.check_city(request.user, region)
        result = matching.find_leads(
            actor=request.user, region_code=region, on=timezone.localdate()
        )
        messages.success(
            request,
            _("%(linked)s businesses linked to registered employers; %(leads_new)s new leads.")
            % result.as_dict(),
        )
    return redirect("compliance:leads")


@login_required
def report(request):
    _allowed(request, "report")
    form = ReportForm(request.GET or None, user=request.user)
    result = None
    if form.is_valid():
        with refusals_as_messages(request):
            services.check_city(request.user, form.cleaned_data["region"])
            result = selectors.year_report(
                request.user, region=form.cleaned_data["region"], year=form.cleaned_data["year"]
            )
    labels = {**dict(LeadKind.choices), **dict(Step.choices), "": _("No step yet")}
    return render(
        request,
        "compliance/report.html",
        {
            "form": form,
            "report": result,
            "leads_by_kind": [(labels[k], n) for k, n in result.leads_by_kind.items()]
            if result
            else [],
            "cases_by_step": [(labels[k], n) for k, n in result.cases_by_step.items()]
            if result
            else [],
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def public_report(request):
    """No login: anyone may tell the city that an employer does not register its workers."""
    form = PublicReportForm(request.POST or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            throttle([("employer-report", client_address(request), PUBLIC_LIMIT)])
        except TooManyAttempts as exc:
            context["limited"] = exc.problems[0].message
            return render(request, "compliance/public_report.html", context, status=429)
        try:
            services.report_employer(report=services.PublicReport(**form.cleaned_data))
        except DomainError as exc:
            _put_errors(form, exc)
        else:
            context["sent"] = True
            context["form"] = PublicReportForm()
    response = render(request, "compliance/public_report.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response
