"""Programmes over the API: the same selectors (scope) and services (validation, audit). A
programme's budget and eligibility read its memberships: enrolment's `programme_router`."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from jaring.core.api.schemas import Strict, errors
from jaring.core.errors import CoreError, Problem, ValidationFailed
from jaring.programs import selectors, services
from jaring.programs import what_if as questions
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
    pp50_discount: bool = Field(
        False,
        description="village budgets only: PP 50/2025's discount applies (unconfirmed whether "
        "APBDes is excluded like APBD; default false, the full rate)",
    )
    confirm_over_ceiling: bool = Field(
        False,
        description="save even when the planned cost (quota × months × rate) is over the "
        "budget ceiling; without it such a programme is refused with over_budget_ceiling",
    )


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
    pp50_discount: bool | None = None
    confirm_over_ceiling: bool = Field(
        False,
        description="save even when the planned cost (quota × months × rate) is over the "
        "budget ceiling; without it such a programme is refused with over_budget_ceiling",
    )


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
    pp50_discount: bool = Field(description="village budgets: PP 50/2025's discount applies")
    previous: int | None
    categories: list[CategoryTermsIO]


class BenefitAmountsOut(Schema):
    """Rupiah per benefit the programme carries (JHT only when it does)."""

    JKK: int | None = None
    JKM: int | None = None
    JHT: int | None = None


class MonthCostOut(Schema):
    month: str = Field(description="YYYY-MM")
    workers: int = Field(description="workers covered in the month")
    total: int


class DiscountOut(Schema):
    """A contribution discount the rules applied (PP 50/2025's, for instance)."""

    id: str
    regulation: str
    percent: str
    benefits: list[str]
    status: str
    note: str


class GroupCostOut(Schema):
    label: str
    workers: int
    months: int
    base: int
    monthly_per_worker: int
    per_worker: int
    total: int
    per_benefit: BenefitAmountsOut


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
    per_benefit: BenefitAmountsOut
    groups: list[GroupCostOut]
    by_month: list[MonthCostOut]
    discounts: list[DiscountOut]
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
    discounts: list[DiscountOut]
    rule_version: str


class WhatIfOut(Schema):
    capacity: CapacityOut | None = Field(None, description="only when `budget` is asked")
    cost: CostOut | None = Field(None, description="only when `workers` is asked")


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
        "pp50_discount": p.pp50_discount,
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


# What a PATCH may set to null: what a new programme may leave empty.
_NULLABLE = {name for name, field in ProgrammeIn.model_fields.items() if field.default is None}


def programme_changes(payload: Schema) -> dict[str, object]:
    data = payload.model_dump(exclude_unset=True)
    data.pop("reason", None)
    data.pop("confirm_over_ceiling", None)
    if nulls := sorted(k for k, v in data.items() if v is None and k not in _NULLABLE):
        raise ValidationFailed(
            *(
                Problem(CoreError.REQUIRED, "Wajib diisi.", "This field is required.", field=k)
                for k in nulls
            )
        )
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
    programme = services.save_within_ceiling(
        lambda: services.create_programme(actor=request.auth, data=data),
        over_ceiling_ok=payload.confirm_over_ceiling,
    )
    return Status(201, programme_out(programme))


@router.get(
    "/{programme_id}", response={200: ProgrammeOut, **errors(401, 404)}, url_name="programme"
)
def get_programme(request: HttpRequest, programme_id: int):
    return programme_out(selectors.get_programme(request.auth, programme_id))


@router.patch("/{programme_id}", response={200: ProgrammeOut, **errors(401, 403, 404, 409, 422)})
def update_programme(request: HttpRequest, programme_id: int, payload: ProgrammePatch):
    programme = selectors.get_programme(request.auth, programme_id)
    changes = programme_changes(payload)
    programme = services.save_within_ceiling(
        lambda: services.update_programme(
            actor=request.auth, programme=programme, changes=changes, reason=payload.reason
        ),
        over_ceiling_ok=payload.confirm_over_ceiling,
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
