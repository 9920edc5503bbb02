"""What a programme costs, and how many workers a budget covers, from `contribution()`.

Each month is priced with the tables in force that month, so a discount that starts or ends
inside the programme's months is counted exactly where it applies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from jaring.rules import inputs
from jaring.rules.contributions import DEFAULT_BENEFITS, Contribution, contribution
from jaring.rules.errors import RuleCode, RuleError
from jaring.rules.messages import Reason
from jaring.rules.months import add_months
from jaring.rules.rates import RuleTables, default_tables
from jaring.rules.tables import month_text

REASONS = {
    "free": Reason(
        RuleCode.BUDGET_COST_ZERO,
        "Iuran untuk periode ini Rp0, jadi jumlah pekerja tidak dibatasi anggaran.",
        "The contribution for this period is Rp0, so the budget does not limit the workers.",
    ),
}


@dataclass(frozen=True, slots=True)
class Group:
    """Workers covered for the same number of months at the same income base."""

    workers: int
    months: int
    base: int | None = None  # None: the lowest base the table in force defines
    label: str = ""


@dataclass(frozen=True, slots=True)
class GroupCost:
    group: Group
    base: int
    monthly: tuple[Contribution, ...]  # one worker, month by month

    @property
    def per_worker(self) -> int:
        return sum(c.total for c in self.monthly)

    @property
    def total(self) -> int:
        return self.group.workers * self.per_worker

    def per_benefit(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self.monthly:
            for benefit, amount in c.amounts.items():
                out[benefit] = out.get(benefit, 0) + self.group.workers * amount
        return out

    def as_dict(self) -> dict[str, object]:
        return {
            "label": self.group.label,
            "workers": self.group.workers,
            "months": self.group.months,
            "base": self.base,
            "monthly_per_worker": self.monthly[0].total,
            "per_worker": self.per_worker,
            "total": self.total,
            "per_benefit": self.per_benefit(),
        }


@dataclass(frozen=True, slots=True)
class BudgetCost:
    start: dt.date
    benefits: tuple[str, ...]
    funder: str
    sector: str
    groups: tuple[GroupCost, ...]
    by_month: dict[dt.date, dict[str, int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(g.total for g in self.groups)

    @property
    def monthly_per_worker(self) -> int:
        """A worker's contribution in the first month (see `by_month` when it changes)."""
        return self.groups[0].monthly[0].total

    def per_benefit(self) -> dict[str, int]:
        out = dict.fromkeys(self.benefits, 0)
        for g in self.groups:
            for benefit, amount in g.per_benefit().items():
                out[benefit] += amount
        return out

    def contributions(self) -> list[Contribution]:
        return [c for g in self.groups for c in g.monthly]

    @property
    def rule_version(self) -> str:
        """Every version id used in any month, once, in order of first use."""
        ids = (part for c in self.contributions() for part in c.rule_version.split("+"))
        return "+".join(dict.fromkeys(ids))

    def as_dict(self) -> dict[str, object]:
        discounts = {d.id: d for c in self.contributions() for d in c.discounts}
        return {
            "start": month_text(self.start),
            "benefits": list(self.benefits),
            "funder": self.funder,
            "sector": self.sector,
            "workers": sum(g.group.workers for g in self.groups),
            "member_months": sum(g.group.workers * g.group.months for g in self.groups),
            "monthly_per_worker": self.monthly_per_worker,
            "total": self.total,
            "per_benefit": self.per_benefit(),
            "groups": [g.as_dict() for g in self.groups],
            "by_month": [
                {"month": month_text(m), **amounts} for m, amounts in sorted(self.by_month.items())
            ],
            "discounts": [
                {k: v for k, v in d.as_dict().items() if k != "amount"} for d in discounts.values()
            ],
            "rule_version": self.rule_version,
        }


def _group_cost(
    group: Group,
    *,
    start: dt.date,
    benefits: tuple[str, ...],
    funder: str,
    sector: str,
    tables: RuleTables,
) -> GroupCost:
    inputs.positive("workers", group.workers)
    inputs.positive("months", group.months)
    base = group.base
    if base is None:
        base = tables.bpu_income_base.in_force(start).bases[0]
    monthly = tuple(
        contribution(
            base=base,
            month=add_months(start, i),
            benefits=benefits,
            funder=funder,
            sector=sector,
            tables=tables,
        )
        for i in range(group.months)
    )
    return GroupCost(group, base, monthly)


def cost(
    groups: Sequence[Group],
    *,
    start: dt.date,
    funder: str,
    sector: str = "other",
    benefits: Iterable[str] = DEFAULT_BENEFITS,
    tables: RuleTables | None = None,
) -> BudgetCost:
    """Cost of groups of workers, all starting in `start`, each for its own number of months."""
    tables = tables or default_tables()
    if not groups:
        raise inputs.refuse("empty", field="groups")
    start = start.replace(day=1)
    benefits = tuple(benefits)
    costs = tuple(
        _group_cost(g, start=start, benefits=benefits, funder=funder, sector=sector, tables=tables)
        for g in groups
    )
    by_month: dict[dt.date, dict[str, int]] = {}
    for g in costs:
        for c in g.monthly:
            row = by_month.setdefault(c.month, {"workers": 0, "total": 0})
            row["workers"] += g.group.workers
            row["total"] += g.group.workers * c.total
    return BudgetCost(
        start=start,
        benefits=costs[0].monthly[0].benefits,
        funder=funder,
        sector=sector,
        groups=costs,
        by_month=by_month,
    )


@dataclass(frozen=True, slots=True)
class Capacity:
    budget: int
    per_worker: BudgetCost  # one worker for the months asked

    @property
    def workers(self) -> int:
        return self.budget // self.per_worker.total

    @property
    def cost(self) -> int:
        return self.workers * self.per_worker.total

    def as_dict(self) -> dict[str, object]:
        one = self.per_worker.as_dict()
        return {
            "budget": self.budget,
            "months": self.per_worker.groups[0].group.months,
            "base": self.per_worker.groups[0].base,
            "start": one["start"],
            "benefits": one["benefits"],
            "funder": self.per_worker.funder,
            "sector": self.per_worker.sector,
            "workers": self.workers,
            "per_worker": self.per_worker.total,
            "monthly_per_worker": self.per_worker.monthly_per_worker,
            "cost": self.cost,
            "remaining": self.budget - self.cost,
            "discounts": one["discounts"],
            "rule_version": self.per_worker.rule_version,
        }


def capacity(
    budget: int,
    *,
    months: int,
    start: dt.date,
    funder: str,
    sector: str = "other",
    base: int | None = None,
    benefits: Iterable[str] = DEFAULT_BENEFITS,
    tables: RuleTables | None = None,
) -> Capacity:
    """How many workers `budget` covers for `months` (whole workers: rounded down)."""
    inputs.positive("budget", budget)
    one = cost(
        [Group(workers=1, months=months, base=base)],
        start=start,
        funder=funder,
        sector=sector,
        benefits=benefits,
        tables=tables,
    )
    if one.total == 0:
        raise RuleError(REASONS["free"], field="budget")
    return Capacity(budget, one)
