"""When the target is reached at the current pace, and what reaching it by a date would take.

The pace is the least-squares slope of the monthly coverage over the last twelve months with a
percentage (fewer if that is all there is). What it takes by a month (default: December of the
latest target year): the people still missing (the working population held at its latest
figure), spread over the months left, each covered for one term of the region's latest
programme (its funder, benefits, first category's months and income base), priced by
`jaring.rules.budget`; without a programme, twelve months at the lowest base for a city budget.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from jaring.core.errors import DomainError, Problem, ValidationFailed
from jaring.coverage.errors import CoverageError
from jaring.coverage.models import CoverageTarget
from jaring.coverage.selectors import Coverage
from jaring.programs import budget as programme_budget
from jaring.programs.models import Programme
from jaring.regions.models import Region
from jaring.rules import budget as rules_budget
from jaring.rules.errors import RuleError
from jaring.rules.months import add_months
from jaring.rules.tables import month_text, parse_month

PACE_MONTHS = 12
YEAR = 12


@dataclass
class Projection:
    pace_pp_per_month: Decimal | None
    reached_month: str | None  # None: not at this pace (or already reached: see `reached`)
    reached: bool
    by_month: str
    people_needed: int | None
    months_left: int
    per_month: int | None  # enrolments a month to get there
    months_of_cover: int
    budget_needed: int | None
    budget_basis: str
    note_id: str
    note_en: str

    def as_dict(self) -> dict[str, object]:
        return {
            "pace_pp_per_month": None
            if self.pace_pp_per_month is None
            else str(self.pace_pp_per_month),
            "target_reached_month": self.reached_month,
            "target_already_reached": self.reached,
            "by_month": self.by_month,
            "people_needed": self.people_needed,
            "months_left": self.months_left,
            "enrolments_per_month": self.per_month,
            "months_of_cover": self.months_of_cover,
            "budget_needed": self.budget_needed,
            "budget_basis": self.budget_basis,
            "note_id": self.note_id,
            "note_en": self.note_en,
        }


def pace(points: list[dict]) -> Decimal | None:
    """Percentage points per month over the last `PACE_MONTHS` months that have a percentage."""
    known = [p for p in points if p["coverage_pct"] is not None][-PACE_MONTHS:]
    if len(known) < 2:
        return None
    xs = list(range(len(known)))
    ys = [float(p["coverage_pct"]) for p in known]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )
    return Decimal(str(round(slope, 3)))


def _latest_programme(region: Region) -> Programme | None:
    return (
        Programme.objects.filter(region_id__in=[region.code, region.code[:5], region.code[:2]])
        .order_by("-fiscal_year", "-id")
        .first()
    )


def _cost(region: Region, people: int, start: dt.date) -> tuple[int, int, str]:
    """(months of cover, budget, what it is priced at) for `people` more members."""
    programme = _latest_programme(region)
    first = programme.categories.order_by("category__sort").first() if programme else None
    if first is not None:
        result = programme_budget.what_if_cost(
            programme, workers=people, category_code=first.category_id, on=start
        )
        return first.cover_months, int(result["total"]), f"{programme} ({result['rule_version']})"
    result = rules_budget.cost(
        [rules_budget.Group(workers=people, months=YEAR)], start=start, funder="apbd"
    )
    return YEAR, result.total, f"APBD, {result.rule_version}"


def _default_by(c: Coverage) -> dt.date:
    """December of the latest target year from now on, else of this year (next, in December)."""
    year = (
        CoverageTarget.objects.filter(region=c.region, year__gte=c.month.year)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    ) or c.month.year
    by = dt.date(year, 12, 1)
    return by if by > c.month else dt.date(c.month.year + 1, 12, 1)


def _by_month(c: Coverage, by: str) -> dt.date:
    """The month asked for, refused when it is unreadable or not after the month shown."""
    month = parse_month(by)
    if month is None:
        raise ValidationFailed(
            Problem(
                CoverageError.BY_INVALID,
                f"Bulan target '{by}' tidak terbaca; tulis sebagai TTTT-BB, misalnya 2027-12.",
                f"Target month '{by}' is unreadable; write it as YYYY-MM, e.g. 2027-12.",
                field="by",
            )
        )
    if month <= c.month:
        raise ValidationFailed(
            Problem(
                CoverageError.BY_NOT_AFTER,
                f"Bulan target {month_text(month)} harus sesudah bulan yang dihitung "
                f"({month_text(c.month)}).",
                f"The target month {month_text(month)} must come after the month counted "
                f"({month_text(c.month)}).",
                field="by",
            )
        )
    return month


def project(c: Coverage, points: list[dict], *, by: str | None = None) -> Projection:
    """The projection from coverage `c` and its monthly `points`; `by` = YYYY-MM (default Dec)."""
    by_month = _by_month(c, by) if by else _default_by(c)
    speed = pace(points)
    reached = c.gap_people is not None and c.gap_people <= 0
    reached_month = None
    if not reached and speed and speed > 0 and c.gap_pct is not None:
        months = int((c.gap_pct / speed).to_integral_value(rounding="ROUND_CEILING"))
        reached_month = month_text(add_months(c.month, months)) if months <= 600 else None
    months_left = (by_month.year - c.month.year) * 12 + by_month.month - c.month.month
    people = None if c.gap_people is None else max(c.gap_people, 0)
    cost, basis, cover = None, "", YEAR
    note_id = note_en = ""
    if people:
        try:
            cover, cost, basis = _cost(c.region, people, add_months(c.month, 1))
        except RuleError as err:
            note_id, note_en = err.message_id, err.message_en
        except DomainError as exc:  # the programme's terms refused: say why
            note_id, note_en = exc.problems[0].message_id, exc.problems[0].message_en
    elif people is None:
        note_id = "Tanpa target dan jumlah penduduk bekerja, kebutuhan tidak bisa dihitung."
        note_en = "Without a target and a working population, what it takes cannot be computed."
    return Projection(
        pace_pp_per_month=speed,
        reached_month=reached_month,
        reached=reached,
        by_month=month_text(by_month),
        people_needed=people,
        months_left=months_left,
        per_month=None if people is None else -(-people // months_left),
        months_of_cover=cover,
        budget_needed=cost,
        budget_basis=basis,
        note_id=note_id,
        note_en=note_en,
    )
