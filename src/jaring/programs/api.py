"""Programmes over the API: the same selectors (scope) and services (validation, audit)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from jaring.accounts.masking import display_nik
from jaring.core.api.schemas import ProblemOut, Strict, errors
from jaring.core.errors import Problem, ValidationFailed
from jaring.enrolment import selectors as enrolment_selectors
from jaring.programs import budget, selectors, services
from jaring.programs import what_if as questions
from jaring.programs.eligibility import REASON_BY_CODE, REASONS
from jaring.programs.errors import ProgrammeError
from jaring.programs.models import Programme

router = Router(tags=["programmes"])


class CategoryTermsIO(Schema):
    category: str = Field(max_length=40, description="occupation category code")
    cover_months: int
    quota: int
    income_base: int = Field(description="declared income base, rupiah per month")


class ProgrammeIn(Strict):
    name: str = Field(max_length=200)
    funder: str = Field(description="city_apbd, province_apbd, village_apbdes, csr, other")
    participation_code: str = Field(description="SG, SA, SD, SL, SC, SB")
    region: str = Field(max_length=13, examples=["61.72"])
    fiscal_year: int
    budget_ceiling: int = Field(description="rupiah")
    min_age: int
    max_age: int
    categories: list[CategoryTermsIO]
    benefits: str = "JKK,JKM"
    cover_start_rule: str = Field("acceptance", description="pks_date or acceptance")
    legal_basis: str = ""
    pks_number: str = ""
    pks_date: dt.date | None = None
    status: str = "draft"


class ProgrammePatch(Strict):
    reason: str = ""
    name: str | None = None
    funder: str | None = None
    participation_code: str | None = None
    region: str | None = None
    fiscal_year: int | None = None
    budget_ceiling: int | None = None
    min_age: int | None = None
    max_age: int | None = None
    categories: list[CategoryTermsIO] | None = None
    benefits: str | None = None
    cover_start_rule: str | None = None
    legal_basis: str | None = None
    pks_number: str | None = None
    pks_date: dt.date | None = None
    status: str | None = None


class CopyIn(Strict):
    name: str = ""
    budget_ceiling: int | None = None


class ProgrammeOut(Schema):
    id: int
    name: str
    funder: str
    participation_code: str
    region: str
    region_name: str
    fiscal_year: int
    benefits: list[str]
    budget_ceiling: int
    cover_start_rule: str
    min_age: int
    max_age: int
    legal_basis: str
    pks_number: str
    pks_date: dt.date | None
    status: str
    previous: int | None
    categories: list[CategoryTermsIO]


class CategoryBudgetOut(Schema):
    category_code: str
    category_name: str
    months: int
    income_base: int
    quota: int
    monthly_per_worker: int
    planned: int
    enrolled_workers: int
    enrolled: int
    active_workers: int
    active: int


class BudgetOut(Schema):
    ceiling: int
    start: str = Field(description="YYYY-MM-DD: the first day cover could start")
    planned: int
    enrolled: int
    active: int
    remaining: int
    planned_over_ceiling: int
    categories: list[CategoryBudgetOut]


class GroupCostOut(Schema):
    label: str
    workers: int
    months: int
    base: int
    monthly_per_worker: int
    per_worker: int
    total: int
    per_benefit: dict[str, int]


class CostOut(Schema):
    """What `workers` cost (rules.budget.BudgetCost)."""

    start: str = Field(description="YYYY-MM")
    benefits: list[str]
    funder: str
    sector: str
    workers: int
    member_months: int
    monthly_per_worker: int
    total: int
    per_benefit: dict[str, int]
    groups: list[GroupCostOut]
    by_month: list[dict[str, str | int]] = Field(description="month (YYYY-MM) and each benefit")
    discounts: list[dict[str, Any]]
    rule_version: str


class CapacityOut(Schema):
    """How many workers `budget` covers (rules.budget.Capacity)."""

    budget: int
    months: int
    base: int
    start: str = Field(description="YYYY-MM")
    benefits: list[str]
    funder: str
    sector: str
    workers: int
    per_worker: int
    monthly_per_worker: int
    cost: int
    remaining: int
    discounts: list[dict[str, Any]]
    rule_version: str


class WhatIfOut(Schema):
    capacity: CapacityOut | None = Field(None, description="only when `budget` is asked")
    cost: CostOut | None = Field(None, description="only when `workers` is asked")


class EligibilityFilterOut(Schema):
    eligible: str
    reason: str
    q: str
    district: str
    village: str
    category: str


class EligibleWorkerOut(Schema):
    worker: int
    nik: str = Field(description="masked (6172********0001) for viewers")
    full_name: str
    village: str
    category: str
    eligible: bool
    reasons: list[ProblemOut]


class EligibilityOut(Schema):
    counts: dict[str, int] = Field(description="workers held back per reason (and totals)")
    reasons: dict[str, ProblemOut] = Field(description="each reason's message, by code")
    filter: EligibilityFilterOut
    items: list[EligibleWorkerOut]


def programme_out(p: Programme) -> dict[str, object]:
    return {
        "id": p.pk,
        "name": p.name,
        "funder": p.funder,
        "participation_code": p.participation_code,
        "region": p.region_id,
        "region_name": p.region.name,
        "fiscal_year": p.fiscal_year,
        "benefits": list(p.benefit_list),
        "budget_ceiling": p.budget_ceiling,
        "cover_start_rule": p.cover_start_rule,
        "min_age": p.min_age,
        "max_age": p.max_age,
        "legal_basis": p.legal_basis,
        "pks_number": p.pks_number,
        "pks_date": p.pks_date,
        "status": p.status,
        "previous": p.previous_id,
        "categories": [
            {
                "category": c.category_id,
                "cover_months": c.cover_months,
                "quota": c.quota,
                "income_base": c.income_base,
            }
            for c in p.categories.all()
        ],
    }


def _terms(items: list[CategoryTermsIO]) -> list[services.CategoryTerms]:
    return [
        services.CategoryTerms(i.category, i.cover_months, i.quota, i.income_base) for i in items
    ]


def programme_changes(payload: Schema) -> dict[str, object]:
    data = payload.model_dump(exclude_unset=True)
    data.pop("reason", None)
    if "region" in data:
        data["region_code"] = data.pop("region")
    if "categories" in data:
        data["categories"] = _terms(payload.categories or [])
    return data


@router.get("/", response={200: list[ProgrammeOut], **errors(401)}, url_name="programmes")
def list_programmes(request: HttpRequest, year: int | None = None, status: str = ""):
    qs = selectors.search_programmes(request.auth, year=year, status=status)
    return [programme_out(p) for p in qs.prefetch_related("categories")]


@router.post("/", response={201: ProgrammeOut, **errors(401, 403, 409, 422)})
def create_programme(request: HttpRequest, payload: ProgrammeIn):
    data = services.ProgrammeInput(**programme_changes(payload))
    programme = services.create_programme(actor=request.auth, data=data)
    return Status(201, programme_out(programme))


@router.get(
    "/{programme_id}", response={200: ProgrammeOut, **errors(401, 404)}, url_name="programme"
)
def get_programme(request: HttpRequest, programme_id: int):
    return programme_out(selectors.get_programme(request.auth, programme_id))


@router.patch("/{programme_id}", response={200: ProgrammeOut, **errors(401, 403, 404, 409, 422)})
def update_programme(request: HttpRequest, programme_id: int, payload: ProgrammePatch):
    programme = selectors.get_programme(request.auth, programme_id)
    programme = services.update_programme(
        actor=request.auth,
        programme=programme,
        changes=programme_changes(payload),
        reason=payload.reason,
    )
    return programme_out(programme)


@router.post(
    "/{programme_id}/copy", response={201: ProgrammeOut, **errors(401, 403, 404, 409, 422)}
)
def copy_programme(request: HttpRequest, programme_id: int, payload: CopyIn):
    programme = selectors.get_programme(request.auth, programme_id)
    copy = services.copy_to_next_year(
        actor=request.auth,
        programme=programme,
        name=payload.name,
        budget_ceiling=payload.budget_ceiling,
    )
    return Status(201, programme_out(copy))


@router.get("/{programme_id}/budget", response={200: BudgetOut, **errors(401, 404, 422)})
def programme_budget(request: HttpRequest, programme_id: int):
    """Planned (quota × months), enrolled, active and remaining, per category, in rupiah."""
    programme = selectors.get_programme(request.auth, programme_id)
    return budget.programme_budget(programme).as_dict()


class WhatIfQuery(Schema):
    budget: int | None = Field(None, description="rupiah: how many workers does it cover?")
    workers: int | None = Field(None, description="how much do this many workers need?")
    months: int | None = Field(None, description="default: the category's cover length")
    category: str = ""
    base: int | None = Field(None, description="income base; default: the category's")


@router.get(
    "/{programme_id}/what-if",
    response={200: WhatIfOut, **errors(401, 404, 422)},
    exclude_unset=True,
)
def what_if(request: HttpRequest, programme_id: int, query: Query[WhatIfQuery]):
    """`budget=` gives `workers`; `workers=` gives `total`. Funder and benefits: the programme's."""
    programme = selectors.get_programme(request.auth, programme_id)
    return questions.answer(
        programme,
        budget_rp=query.budget,
        workers=query.workers,
        months=query.months,
        category=query.category,
        base=query.base,
    )


class EligibilityQuery(Schema):
    eligible: str = Field("", description="'', 'yes' or 'no'")
    reason: str = Field("", description=", ".join(r.code for r in REASONS))
    q: str = ""
    district: str = ""
    village: str = ""
    category: str = ""
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


def eligibility_out(
    user, programme: Programme, f: enrolment_selectors.EligibilityFilter, *, limit: int, offset: int
) -> dict[str, object]:
    """Counts per reason, the reasons' messages, and one page of workers with their reasons."""
    if f.reason and f.reason not in REASON_BY_CODE:
        raise ValidationFailed(
            Problem(
                ProgrammeError.REASON_UNKNOWN,
                f"Alasan '{f.reason}' tidak dikenal; yang ada: {', '.join(REASON_BY_CODE)}.",
                f"Unknown reason '{f.reason}'; choose from: {', '.join(REASON_BY_CODE)}.",
                field="reason",
            )
        )
    judge, qs, counts = enrolment_selectors.eligibility_list(user, programme, f)
    return {
        "counts": counts,
        "reasons": {r.code: r.problem(programme).as_dict() for r in REASONS},
        "filter": asdict(f),
        "items": [
            {
                "worker": w.pk,
                "nik": display_nik(user, w.nik),
                "full_name": w.full_name,
                "village": w.village_id,
                "category": w.category_id,
                "eligible": not any(getattr(w, f"r_{r.code}") for r in REASONS),
                "reasons": [p.as_dict() for p in judge.reasons_of(w)],
            }
            for w in qs[offset : offset + limit]
        ],
    }


@router.get("/{programme_id}/eligibility", response={200: EligibilityOut, **errors(401, 404, 422)})
def eligibility(request: HttpRequest, programme_id: int, query: Query[EligibilityQuery]):
    """Counts per reason, and the workers on one page with every reason they are held back."""
    programme = selectors.get_programme(request.auth, programme_id)
    f = enrolment_selectors.EligibilityFilter(**query.model_dump(exclude={"limit", "offset"}))
    return eligibility_out(request.auth, programme, f, limit=query.limit, offset=query.offset)
