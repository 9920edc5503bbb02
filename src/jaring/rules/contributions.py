"""The monthly BPU contribution of one worker, from the tables in force that month.

A contribution month uses the table versions in force on its first day. Discounts are taken off
each benefit's amount (the cut rounded half up to a whole rupiah) only where the regulation
applies: its months, sector, benefits, and not for the funders it excludes.

Which months a cover owes (`contribution_months`): contributions are monthly amounts, due each
month by the 15th of that month, and no rule prorates them (RULES.md, "Contributions": "Rp16,800
per worker per month"; PP 44/2015 as amended). A cover that starts on the 20th therefore owes
whole months counted from that day: its first contribution month is the calendar month it starts
in and runs to the 19th of the next; each month of cover begun owes the whole contribution.
Twelve months of cover cost twelve contributions whatever day they start, and a renewal that
continues the cover the next day does not pay the changeover month twice.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from jaring.rules import inputs
from jaring.rules.rates import BENEFITS, FUNDERS, SECTORS, RuleTables, default_tables
from jaring.rules.tables import Meta, month_text, percent_of, percent_text, rupiah

DEFAULT_BENEFITS = ("JKK", "JKM")


@dataclass(frozen=True, slots=True)
class AppliedDiscount:
    id: str
    regulation: str
    percent: str
    benefits: tuple[str, ...]
    amount: int
    status: str
    note: str

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "regulation": self.regulation,
            "percent": self.percent,
            "benefits": list(self.benefits),
            "amount": self.amount,
            "status": self.status,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class Contribution:
    month: dt.date
    income: int | None
    base: int
    benefits: tuple[str, ...]
    funder: str
    sector: str
    gross: Mapping[str, int]  # per chosen benefit, before discounts
    amounts: Mapping[str, int]  # per chosen benefit, payable
    formulas: Mapping[str, str]  # per chosen benefit, with the figures, before discounts
    regulations: Mapping[str, str]
    discounts: tuple[AppliedDiscount, ...]
    versions: tuple[Meta, ...]

    @property
    def jkk(self) -> int:
        return self.amounts.get("JKK", 0)

    @property
    def jkm(self) -> int:
        return self.amounts.get("JKM", 0)

    @property
    def jht(self) -> int:
        return self.amounts.get("JHT", 0)

    @property
    def total(self) -> int:
        return sum(self.amounts.values())

    @property
    def rule_version(self) -> str:
        """The ids of every table version and discount used: enough to redo the calculation."""
        return "+".join([*(m.id for m in self.versions), *(d.id for d in self.discounts)])

    def as_dict(self) -> dict[str, object]:
        return {
            "month": month_text(self.month),
            "income": self.income,
            "base": self.base,
            "benefits": list(self.benefits),
            "funder": self.funder,
            "sector": self.sector,
            "jkk": self.jkk,
            "jkm": self.jkm,
            "jht": self.jht,
            "total": self.total,
            "gross": dict(self.gross),
            "gross_total": sum(self.gross.values()),
            "formulas": dict(self.formulas),
            "regulations": dict(self.regulations),
            "discounts": [d.as_dict() for d in self.discounts],
            "rule_version": self.rule_version,
            "sources": [m.as_dict() | {"table": m.table} for m in self.versions],
        }


def contribution(
    *,
    month: dt.date,
    funder: str,
    sector: str = "other",
    income: int | None = None,
    base: int | None = None,
    benefits: Iterable[str] = DEFAULT_BENEFITS,
    tables: RuleTables | None = None,
) -> Contribution:
    """One worker's contribution for `month`, from a declared income or directly from a base."""
    tables = tables or default_tables()
    chosen = inputs.choices("benefits", benefits, BENEFITS)
    inputs.choice("funder", funder, FUNDERS)
    inputs.choice("sector", sector, SECTORS)
    if (income is None) == (base is None):
        raise inputs.refuse("one_of", field="income", fields="income, base")
    first_day = month.replace(day=1)
    base_table = tables.bpu_income_base.in_force(first_day)
    if income is not None:
        base = base_table.row_for_income(inputs.positive("income", income)).base
    else:
        base = base_table.row_for_base(inputs.positive("base", base)).base
    rates = tables.bpu_rates.in_force(first_day)

    gross: dict[str, int] = {}
    formulas: dict[str, str] = {}
    regulations: dict[str, str] = {}
    for benefit in chosen:
        row = rates.rows[benefit]
        gross[benefit] = row.amount(base)
        formulas[benefit] = row.formula(base)
        regulations[benefit] = row.cited.source
        cap = base_table.max_jkk
        if benefit == "JKK" and cap is not None and gross[benefit] > cap:
            gross[benefit] = cap
            formulas[benefit] = f"min({formulas[benefit]}, {rupiah(cap)})"
            regulations[benefit] += f"; maximum JKK: {base_table.meta.source}"

    amounts = dict(gross)
    applied = []
    for discount in tables.contribution_discounts:
        cut = {
            b: percent_of(gross[b], discount.percent)
            for b in chosen
            if discount.applies(benefit=b, month=first_day, sector=sector, funder=funder)
        }
        if not cut:
            continue
        for b, amount in cut.items():
            amounts[b] -= amount
        applied.append(
            AppliedDiscount(
                id=discount.id,
                regulation=discount.regulation,
                percent=percent_text(discount.percent),
                benefits=tuple(cut),
                amount=sum(cut.values()),
                status=discount.status,
                note=discount.note,
            )
        )
    return Contribution(
        month=first_day,
        income=income,
        base=base,
        benefits=chosen,
        funder=funder,
        sector=sector,
        gross=gross,
        amounts=amounts,
        formulas=formulas,
        regulations=regulations,
        discounts=tuple(applied),
        versions=(base_table.meta, rates.meta),
    )


def month_index(day: dt.date) -> int:
    """year * 12 + month - 1: consecutive months differ by one."""
    return day.year * 12 + day.month - 1


def contribution_month_start(start: dt.date, index: int) -> dt.date:
    """The day the contribution month `index` (a `month_index`) of a cover from `start` begins:
    the start's day of the month, or the month's last day when it is shorter."""
    year, month = divmod(index, 12)
    days = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(start.day, days))


def contribution_months(start: dt.date, last_covered: dt.date) -> range:
    """The contribution months (as `month_index`) a cover from `start` to `last_covered` owes:
    each one it reaches the first day of (`contribution_month_start`), and at least the first.
    """
    if last_covered < start:
        return range(0)
    first, last = month_index(start), month_index(last_covered)
    begun = last - first + (last_covered >= contribution_month_start(start, last))
    return range(first, first + max(begun, 1))
