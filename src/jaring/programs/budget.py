"""What a programme costs: planned (quota), enrolled and active, from `jaring.rules.budget`.

The memberships come counted by category, income base, months and start month (enrolment's
`selectors.enrolled_groups`, or the coverage facts); the rules price each such group once, so
pricing 100,000 memberships is a handful of calls.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils import timezone

from jaring.core.errors import Problem, ValidationFailed
from jaring.core.rule_tables import current_tables
from jaring.programs.agreement import cover_from
from jaring.programs.defaults import sector_of
from jaring.programs.errors import ProgrammeError
from jaring.programs.models import Funder, Programme
from jaring.rules import budget as rules_budget
from jaring.rules.errors import RuleError
from jaring.rules.rates import RuleTables

# The funder names the rate tables use; PP 50/2025 excludes "apbd" (and "apbn") from its discount,
# and "apbdes" unless the programme says the discount applies (rules_funder).
RULES_FUNDER = {
    Funder.CITY_APBD: "apbd",
    Funder.PROVINCE_APBD: "apbd",
    Funder.VILLAGE_APBDES: "apbdes",
    Funder.CSR: "csr",
    Funder.OTHER: "other",
}


def rules_funder(programme: Programme) -> str:
    """The rate tables' funder of `programme`: a village programme whose setting says PP 50/2025's
    discount applies is "apbdes_pp50" (the tables exclude plain "apbdes": unconfirmed)."""
    if programme.funder == Funder.VILLAGE_APBDES and programme.pp50_discount:
        return "apbdes_pp50"
    return RULES_FUNDER[programme.funder]


def rule_problem(err: RuleError, field: str | None = None) -> Problem:
    return Problem(err.code, err.message_id, err.message_en, field=field or err.field)


def refused(err: RuleError, field: str | None = None) -> ValidationFailed:
    return ValidationFailed(rule_problem(err, field))


@lru_cache(maxsize=4096)
def _per_worker(
    base: int,
    months: int,
    start: dt.date,
    funder: str,
    sector: str,
    benefits: tuple[str, ...],
    tables: RuleTables,
) -> int:
    one = rules_budget.cost(
        [rules_budget.Group(workers=1, months=months, base=base)],
        start=start,
        funder=funder,
        sector=sector,
        benefits=benefits,
        tables=tables,
    )
    return one.total


def per_worker(
    programme: Programme,
    *,
    category_code: str,
    base: int,
    months: int,
    start: dt.date,
    tables: RuleTables | None = None,
) -> int:
    """One worker's contribution over `months` from `start`; RuleError when the base is unknown.
    `tables`: the tables in force, when the caller prices many groups (reading them is a query)."""
    return _per_worker(
        base,
        months,
        start.replace(day=1),
        rules_funder(programme),
        sector_of(category_code),
        programme.benefit_list,
        tables or current_tables(),
    )


@dataclass
class CategoryBudget:
    category_code: str
    category_name: str
    months: int
    income_base: int
    quota: int
    monthly_per_worker: int
    planned: int = 0
    enrolled_workers: int = 0
    enrolled: int = 0
    active_workers: int = 0
    active: int = 0

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


@dataclass
class ProgrammeBudget:
    ceiling: int
    start: dt.date
    categories: list[CategoryBudget] = field(default_factory=list)

    @property
    def planned(self) -> int:
        return sum(c.planned for c in self.categories)

    @property
    def enrolled(self) -> int:
        return sum(c.enrolled for c in self.categories)

    @property
    def active(self) -> int:
        return sum(c.active for c in self.categories)

    @property
    def remaining(self) -> int:
        """What the ceiling still allows after every membership that took a place."""
        return self.ceiling - self.enrolled

    def as_dict(self) -> dict[str, object]:
        return {
            "ceiling": self.ceiling,
            "start": self.start.isoformat(),
            "planned": self.planned,
            "enrolled": self.enrolled,
            "active": self.active,
            "remaining": self.remaining,
            "planned_over_ceiling": max(0, self.planned - self.ceiling),
            "categories": [c.as_dict() for c in self.categories],
        }


def programme_budget(
    programme: Programme, *, groups: Iterable[dict], on: dt.date | None = None
) -> ProgrammeBudget:
    """Planned = quota × months; enrolled = every membership that took a place; active = active.

    `groups`: those memberships counted (`category_id`, `income_base`, `months`, start `month`,
    `n` and `n_active`), e.g. `enrolment.selectors.enrolled_groups` or the coverage facts'. A
    membership whose cover has started is priced from its own start month; one still waiting
    for BPJS from the first day cover could start.
    """
    start = cover_from(programme, on or timezone.localdate())
    out = ProgrammeBudget(ceiling=programme.budget_ceiling, start=start)
    by_code: dict[str, CategoryBudget] = {}
    for pc in programme.categories.select_related("category"):
        try:
            monthly = per_worker(
                programme,
                category_code=pc.category_id,
                base=pc.income_base,
                months=1,
                start=start,
            )
            planned = pc.quota * per_worker(
                programme,
                category_code=pc.category_id,
                base=pc.income_base,
                months=pc.cover_months,
                start=start,
            )
        except RuleError as err:
            raise refused(err, "income_base") from None
        row = CategoryBudget(
            category_code=pc.category_id,
            category_name=str(pc.category),
            months=pc.cover_months,
            income_base=pc.income_base,
            quota=pc.quota,
            monthly_per_worker=monthly,
            planned=planned,
        )
        by_code[pc.category_id] = row
        out.categories.append(row)
    tables = current_tables()
    for g in groups:
        try:
            cost = per_worker(
                programme,
                category_code=g["category_id"],
                base=g["income_base"],
                months=g["months"],
                start=g["month"] or start,
                tables=tables,
            )
        except RuleError as err:
            raise refused(err, "income_base") from None
        row = by_code.get(g["category_id"])
        if row is None:  # a category dropped from the programme after enrolment
            row = CategoryBudget(g["category_id"], g["category_id"], g["months"], 0, 0, 0)
            by_code[g["category_id"]] = row
            out.categories.append(row)
        row.enrolled_workers += g["n"]
        row.enrolled += g["n"] * cost
        row.active_workers += g["n_active"]
        row.active += g["n_active"] * cost
    return out


def cost_of_new(programme: Programme, counts: dict[str, int], *, start: dt.date) -> int:
    """What enrolling `counts` (workers per category code) adds, at the programme's terms."""
    terms = {pc.category_id: pc for pc in programme.categories.all()}
    total = 0
    for code, n in counts.items():
        pc = terms[code]
        try:
            total += n * per_worker(
                programme,
                category_code=code,
                base=pc.income_base,
                months=pc.cover_months,
                start=start,
            )
        except RuleError as err:
            raise refused(err, "income_base") from None
    return total


def _what_if_terms(
    programme: Programme, category_code: str | None, months: int | None, base: int | None
) -> tuple[str, int, int | None]:
    pc = None
    if category_code:
        pc = programme.categories.filter(category_id=category_code).first()
        if pc is None:
            raise ValidationFailed(
                Problem(
                    ProgrammeError.CATEGORY_NOT_COVERED,
                    "Kategori pekerjaan ini tidak termasuk program.",
                    "The programme does not cover this occupation category.",
                    field="category",
                )
            )
    code = category_code or "other"
    return code, months or (pc.cover_months if pc else 0), base or (pc.income_base if pc else None)


def _rule_terms(programme: Programme, category_code: str, on: dt.date | None) -> dict[str, object]:
    """What the rules need to price this programme's cover from `on` (default today)."""
    return {
        "start": cover_from(programme, on or timezone.localdate()),
        "funder": rules_funder(programme),
        "sector": sector_of(category_code),
        "benefits": programme.benefit_list,
        "tables": current_tables(),
    }


def what_if_capacity(
    programme: Programme,
    *,
    budget: int,
    months: int | None = None,
    category_code: str | None = None,
    base: int | None = None,
    on: dt.date | None = None,
) -> dict[str, object]:
    """How many workers `budget` covers for `months` under this programme's funder and benefits."""
    code, months, base = _what_if_terms(programme, category_code, months, base)
    try:
        result = rules_budget.capacity(
            budget, months=months, base=base, **_rule_terms(programme, code, on)
        )
    except RuleError as err:
        raise refused(err) from None
    return result.as_dict()


def what_if_cost(
    programme: Programme,
    *,
    workers: int,
    months: int | None = None,
    category_code: str | None = None,
    base: int | None = None,
    on: dt.date | None = None,
) -> dict[str, object]:
    """The budget `workers` need for `months` under this programme's funder and benefits."""
    code, months, base = _what_if_terms(programme, category_code, months, base)
    try:
        result = rules_budget.cost(
            [rules_budget.Group(workers=workers, months=months, base=base)],
            **_rule_terms(programme, code, on),
        )
    except RuleError as err:
        raise refused(err) from None
    return result.as_dict()
