"""Reads of employer compliance; every one starts from the actor's region (accounts.scope)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum

from jaring.accounts.scope import Actor, region_q, scope_q
from jaring.compliance.models import (
    Case,
    CaseStatus,
    CaseStep,
    Employer,
    EmployerLink,
    EmployerList,
    Lead,
    LeadStatus,
    Step,
    StepEvidence,
)
from jaring.core.errors import CoreError, NotFound, Problem

_FIELD = {"field": "region_code"}


def employers(actor: Actor) -> QuerySet[Employer]:
    return Employer.objects.filter(scope_q(actor, **_FIELD))


def get_employer(actor: Actor, pk: int) -> Employer:
    employer = employers(actor).filter(pk=pk).first()
    if employer is None:
        raise NotFound(
            Problem(CoreError.NOT_FOUND, "Pemberi kerja tidak ada.", "No such employer.")
        )
    return employer


def leads(
    actor: Actor, *, region: str = "", kind: str = "", status: str = LeadStatus.OPEN
) -> QuerySet[Lead]:
    q = Lead.objects.filter(scope_q(actor, **_FIELD)).select_related("employer")
    if region:
        q = q.filter(region_q(region, **_FIELD))
    if kind:
        q = q.filter(kind=kind)
    if status:
        q = q.filter(status=status)
    return q.order_by("-found_on", "employer__name", "pk")


def cases(
    actor: Actor, *, region: str = "", due: bool = False, step: str = "", today: dt.date
) -> QuerySet[Case]:
    """Open cases; `due`: those whose step's deadline is today or past."""
    q = Case.objects.filter(scope_q(actor, **_FIELD), status=CaseStatus.OPEN)
    if region:
        q = q.filter(region_q(region, **_FIELD))
    if due:
        q = q.filter(deadline__lte=today)
    if step:
        q = q.filter(step="" if step == "none" else step)
    return q.select_related("employer", "lead").order_by("deadline", "pk")


def get_case(actor: Actor, pk: int) -> Case:
    case = (
        Case.objects.filter(scope_q(actor, **_FIELD), pk=pk)
        .select_related("employer", "lead")
        .first()
    )
    if case is None:
        raise NotFound(Problem(CoreError.NOT_FOUND, "Kasus tidak ada.", "No such case."))
    return case


def get_step(actor: Actor, pk: int) -> CaseStep:
    step = (
        CaseStep.objects.filter(scope_q(actor, prefix="case__", **_FIELD), pk=pk)
        .select_related("case__employer", "case__lead")
        .first()
    )
    if step is None:
        raise NotFound(Problem(CoreError.NOT_FOUND, "Surat tidak ada.", "No such letter."))
    return step


def get_link(actor: Actor, pk: int) -> EmployerLink:
    link = EmployerLink.objects.filter(scope_q(actor, **_FIELD), pk=pk).first()
    if link is None:
        raise NotFound(Problem(CoreError.NOT_FOUND, "Tautan tidak ada.", "No such link."))
    return link


def get_evidence(actor: Actor, pk: int) -> StepEvidence:
    """An evidence file of a case the actor's region covers (else not found)."""
    found = (
        StepEvidence.objects.filter(scope_q(actor, prefix="step__case__", **_FIELD), pk=pk)
        .select_related("step__case")
        .first()
    )
    if found is None:
        raise NotFound(Problem(CoreError.NOT_FOUND, "Berkas bukti tidak ada.", "No such file."))
    return found


@dataclass
class WorkList:
    due_today: list[Case]
    overdue: list[Case]
    by_step: dict[str, int]
    open_leads: int


def work_list(actor: Actor, *, today: dt.date) -> WorkList:
    open_cases = cases(actor, today=today)
    due = list(open_cases.filter(deadline__lte=today))
    counts = dict(open_cases.order_by().values_list("step").annotate(n=Count("pk")))
    return WorkList(
        due_today=[c for c in due if c.deadline == today],
        overdue=[c for c in due if c.deadline < today],
        by_step={s: counts.get(s, 0) for s in ["", *Step.values]},
        open_leads=leads(actor).count(),
    )


def employer_page(actor: Actor, pk: int) -> dict:
    employer = get_employer(actor, pk)
    return {
        "employer": employer,
        "entries": list(employer.entries.select_related("source_list")),
        "leads": list(employer.leads.all()),
        "cases": list(employer.cases.prefetch_related("steps")),
        # The businesses the matching folded in, newest first (an undone one stays listed).
        "links": list(employer.links.select_related("undone_by")),
    }


def lists(actor: Actor) -> QuerySet[EmployerList]:
    return EmployerList.objects.filter(scope_q(actor, field="regency_code"))


@dataclass
class YearReport:
    region: str
    year: int
    leads_by_kind: dict[str, int]
    cases_by_step: dict[str, int]
    closed: int
    employers_brought_in: int
    workers_added: int
    wages_added: int
    fines: int

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def year_report(actor: Actor, *, region: str, year: int) -> YearReport:
    """Leads found, cases by step, employers brought in, workers and wages added, fines."""
    in_year = Q(found_on__year=year)
    lead_q = Lead.objects.filter(scope_q(actor, **_FIELD), region_q(region, **_FIELD), in_year)
    case_q = Case.objects.filter(scope_q(actor, **_FIELD), region_q(region, **_FIELD))
    opened = case_q.filter(opened_on__year=year)
    closed = case_q.filter(closed_on__year=year, status=CaseStatus.CLOSED)
    totals = closed.aggregate(
        employers=Count("employer", distinct=True, filter=Q(workers_added__gt=0)),
        workers=Sum("workers_added"),
        wages=Sum("wages_added"),
    )
    fines = (
        CaseStep.objects.filter(case__in=case_q, step=Step.FINE, taken_on__year=year)
        .values_list("figures", flat=True)
        .order_by()
    )
    return YearReport(
        region=region,
        year=year,
        leads_by_kind=dict(lead_q.order_by().values_list("kind").annotate(n=Count("pk"))),
        cases_by_step=dict(
            opened.filter(status=CaseStatus.OPEN)
            .order_by()
            .values_list("step")
            .annotate(n=Count("pk"))
        ),
        closed=closed.count(),
        employers_brought_in=totals["employers"] or 0,
        workers_added=totals["workers"] or 0,
        wages_added=totals["wages"] or 0,
        fines=sum((f or {}).get("fine", {}).get("fine", 0) for f in fines),
    )
