"""Loads a scenario through Jaring's own services: programme (budget ceiling priced by the
rules), synthetic workers (bulk insert), enrolment (bulk), BPJS acceptance, monthly bills and
payments, claims through the claim workflow, then the coverage figures.

One shortcut, said here: BPJS acceptance is simulated with one UPDATE per cover group (status
active, a KPJ, the cover dates from the PKS date) instead of a batch file round trip, which the
enrolment tests cover. Loading again does nothing: a scenario whose programme exists is skipped.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.db import transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat, LPad
from django.utils import timezone

from jaring.accounts.models import User
from jaring.claims import services as claim_services
from jaring.claims.entitlements import ChildInput, ClaimInput
from jaring.claims.models import ClaimKind, SchoolLevel
from jaring.contributions import payment_services, rate_services
from jaring.contributions import services as billing
from jaring.contributions.models import Bill, RateImport
from jaring.coverage import selectors as coverage
from jaring.coverage import services as coverage_services
from jaring.coverage.models import PopulationSource, Segment
from jaring.demo.scenarios.specs import SCENARIOS, Scenario
from jaring.demo.services import ensure_users
from jaring.demo.synthetic import iter_people, people_frame
from jaring.enrolment import services as enrolment
from jaring.enrolment.models import Membership, MembershipStatus
from jaring.programs import budget as programme_budget
from jaring.programs import services as programme_services
from jaring.programs.models import CoverStartRule, Programme, ProgrammeStatus
from jaring.regions.models import Region
from jaring.registry.bulk import insert_workers
from jaring.registry.models import Worker
from jaring.rules import budget as rules_budget
from jaring.rules.tables import add_months

INCOME_BASE = 1_000_000  # the lowest base: what city budgets pay for


@dataclass
class Loaded:
    key: str
    skipped: bool = False
    workers: int = 0
    members: int = 0
    budget: int = 0
    budget_groups: list[dict] = field(default_factory=list)
    bills: int = 0
    billed: int = 0
    paid: int = 0
    claims: int = 0
    claims_paid: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    coverage: dict = field(default_factory=dict)


def quotas(weights: dict[str, float], total: int) -> dict[str, int]:
    """Whole quotas in proportion to `weights` that add up to `total` (largest remainder)."""
    whole = sum(weights.values())
    exact = {k: Decimal(total) * Decimal(str(w)) / Decimal(str(whole)) for k, w in weights.items()}
    out = {k: int(v) for k, v in exact.items()}
    for k in sorted(exact, key=lambda k: exact[k] - out[k], reverse=True)[
        : total - sum(out.values())
    ]:
        out[k] += 1
    return out


def scaled(s: Scenario, scale: float) -> list[tuple[str, int, dict[str, int]]]:
    """(label, cover months, quotas) per group, headcounts multiplied by `scale`."""
    out = []
    for g in s.groups:
        n = max(len(g.categories), round(g.headcount * scale))
        out.append((g.label, g.cover_months, quotas(g.categories, n)))
    return out


def planned_budget(s: Scenario, groups) -> tuple[int, list[dict]]:
    """The programme's cost from the rate tables: each group's workers × months × rate."""
    start = s.pks_date.replace(day=1)
    total, parts = 0, []
    for label, months, q in groups:
        cost = rules_budget.cost(
            [rules_budget.Group(workers=sum(q.values()), months=months, base=INCOME_BASE)],
            start=start,
            funder=programme_budget.RULES_FUNDER[s.funder],
        )
        total += cost.total
        parts.append(
            {
                "group": label,
                "workers": sum(q.values()),
                "months": months,
                "monthly_per_worker": cost.monthly_per_worker,
                "total": cost.total,
                "rule_version": cost.rule_version,
            }
        )
    return total, parts


def _admin() -> User:
    ensure_users()
    return User.objects.get(username="admin")


HOLIDAYS = Path(__file__).with_name("holidays.toml")


def ensure_holidays() -> None:
    """The 2023-2025 calendars the scenarios' due dates need, added as an admin would."""
    if RateImport.objects.filter(file_name=HOLIDAYS.name).exists():
        return
    rate_services.import_rates(
        actor=None,
        text=HOLIDAYS.read_text(encoding="utf-8"),
        file_name=HOLIDAYS.name,
        note="demo scenarios: holiday calendars 2023-2025",
    )


def _workers(s: Scenario, groups, source: str) -> int:
    """Synthetic workers of the programme's categories, exactly the quotas, never a NIK twice."""
    wanted = {code: n for _, _, q in groups for code, n in q.items()}
    total = sum(wanted.values())
    registered = set(Worker.objects.filter(regency_code=s.city).values_list("nik", flat=True))
    rng = random.Random(s.seed)
    people = iter_people(
        total * 3,
        region=s.city,
        seed=s.seed,
        categories={k: float(v) for k, v in wanted.items()},
        age_range=(20, 58),
        today=s.pks_date,
        disability_rate=0.0 if s.disabilities is not None else 0.02,
    )
    chosen, left = [], dict(wanted)
    for p in people:
        if p.nik in registered or not left.get(p.category_code):
            continue
        left[p.category_code] -= 1
        chosen.append(p)
        if len(chosen) == total:
            break
    if len(chosen) < total:
        raise RuntimeError(f"could not generate {total} distinct workers for {s.key}")
    if s.disabilities is not None:
        n = round(s.disabilities * total / s.headcount)
        for p in rng.sample(chosen, n):
            p.has_disability, p.disability_kind = True, "physical"
    return insert_workers(people_frame(chosen), source=source)


def _programme(s: Scenario, groups, admin: User, ceiling: int) -> Programme:
    categories = [
        programme_services.CategoryTerms(code, months, n, INCOME_BASE)
        for _, months, q in groups
        for code, n in q.items()
    ]
    return programme_services.create_programme(
        actor=admin,
        data=programme_services.ProgrammeInput(
            name=s.programme_name,
            funder=s.funder,
            participation_code=s.participation_code,
            region_code=s.city,
            fiscal_year=s.fiscal_year,
            budget_ceiling=ceiling,
            min_age=18,
            max_age=65,
            categories=categories,
            cover_start_rule=CoverStartRule.PKS_DATE,
            legal_basis=s.legal_basis,
            pks_number=s.pks_number,
            pks_date=s.pks_date,
            status=ProgrammeStatus.ACTIVE,
        ),
    )


def _accept(programme: Programme, groups, start: dt.date) -> None:
    """BPJS's answer, simulated: every candidate active with a KPJ from the PKS date."""
    now = timezone.now()
    for _, months, q in groups:
        Membership.objects.filter(programme=programme, category_id__in=list(q)).update(
            status=MembershipStatus.ACTIVE,
            kpj=Concat(
                Value("9"),
                LPad(Cast(F("id"), CharField()), 10, Value("0")),
                output_field=CharField(),
            ),
            start_date=start,
            end_date=enrolment.cover_end(start, months),
            status_changed_at=now,
        )


def _bill_and_pay(s: Scenario, programme: Programme, until: dt.date, unpaid: int) -> None:
    """Monthly bills from the first cover month to `until`; each paid on its due date except
    the last `unpaid` months (arrears to show)."""
    month = s.pks_date.replace(day=1)
    months = []
    while month <= until:
        if billing.bill_programme(programme=programme, month=month) is not None:
            months.append(month)
        month = add_months(month, 1)
    today = timezone.localdate()
    for i, month in enumerate(months):
        bill = Bill.objects.get(programme=programme, month=month)
        if i >= len(months) - unpaid or bill.due_date > today or not bill.open_amount:
            continue
        payment_services.record_payment(
            actor=None,
            programme=programme,
            paid_on=bill.due_date,
            amount=bill.open_amount,
            reference=f"SP2D/{s.key}/{month:%Y-%m}",
            bills=[bill.pk],
        )


def _claims(s: Scenario, programme: Programme, admin: User) -> tuple[int, int]:
    registered = paid = 0
    for i, spec in enumerate(s.claims):
        event = spec["month"].replace(day=10 + i)
        m = (
            Membership.objects.filter(
                programme=programme,
                category_id=spec["category"],
                status=MembershipStatus.ACTIVE,
                start_date__lte=event,
                end_date__gte=event,
            )
            .order_by("id")
            .first()
        )
        if m is None:
            continue
        claimed = event + dt.timedelta(days=7)
        children = tuple(
            ChildInput(
                name=f"Anak {k + 1}",
                birth_date=dt.date(event.year - 8 - 4 * k, 3, 1),
                level=SchoolLevel.SD if k == 0 else SchoolLevel.SMP,
            )
            for k in range(spec.get("children", 0))
        )
        deadly = spec["kind"] in (ClaimKind.DEATH, ClaimKind.WORK_DEATH)
        claim = claim_services.register_claim(
            actor=admin,
            membership=m,
            data=ClaimInput(
                kind=spec["kind"],
                event_date=event,
                claimed_on=claimed,
                description="Klaim contoh untuk demo (data sintetis).",
                claimant_name="Ahli waris" if deadly else "",
                claimant_relation="istri/suami" if deadly else "",
                months_incapacity=spec.get("stmb"),
                children=children,
            ),
            today=claimed,
        )
        registered += 1
        for action in ("verify", "approve", "pay"):
            claim = claim_services.transition(
                actor=admin,
                claim=claim,
                action=action,
                paid_on=claimed + dt.timedelta(days=14),
                reference=f"BPJS/{s.key}/{i + 1}",
            )
        paid += claim.total
    return registered, paid


def _coverage_figures(s: Scenario, region: Region, until: dt.date) -> None:
    """Working population, targets and monthly other-segment counts that reproduce the points."""
    for year, people in s.working_population.items():
        coverage_services.set_population(
            actor=None,
            region_code=s.city,
            year=year,
            people=people,
            source=PopulationSource.DEMO,
            note="estimate for the demo, chosen to reproduce the published UCJ",
        )
    for year, target in s.targets.items():
        coverage_services.set_target(actor=None, region_code=s.city, year=year, target_pct=target)

    def population(month: dt.date) -> int:
        known = [y for y in s.working_population if y <= month.year]
        return s.working_population[max(known)]

    def jaring(month: dt.date) -> int:
        day = coverage.day_counted(month)
        return coverage.members_on(region, day).values("worker_id").distinct().count()

    # Other segments' share at each published point, then month by month.
    points = sorted(s.coverage_points.items())
    others = {
        m: Decimal(round(pct * population(m) / 100) - jaring(m)) / population(m)
        for m, pct in points
    }
    month = points[0][0]
    last = points[-1][0]
    today_month = timezone.localdate().replace(day=1)
    while month <= min(until, today_month):
        before = [p for p in others if p <= month]
        after = [p for p in others if p >= month]
        a = max(before)
        if month > last:
            share = others[last] + s.growth_pp / 100 * (
                (month.year - last.year) * 12 + month.month - last.month
            )
        elif after and min(after) != a:
            b = min(after)
            span = (b.year - a.year) * 12 + b.month - a.month
            done = (month.year - a.year) * 12 + month.month - a.month
            share = others[a] + (others[b] - others[a]) * done / span
        else:
            share = others[a]
        n = int((share * population(month)).to_integral_value(ROUND_HALF_UP))
        wage = int((n * s.wage_earner_share).to_integral_value(ROUND_HALF_UP))
        for segment, count in ((Segment.WAGE_EARNERS, wage), (Segment.SELF_PAID, n - wage)):
            coverage_services.set_segment_count(
                actor=None,
                region_code=s.city,
                month=month,
                segment=segment,
                participants=count,
                source="demo: interpolated from the published UCJ",
            )
        month = add_months(month, 1)


@transaction.atomic
def load(key: str, *, scale: float = 1.0, until: dt.date | None = None) -> Loaded:
    """Loads scenario `key` whole or not at all; `scale` shrinks the headcounts (tests)."""
    s = SCENARIOS[key]
    out = Loaded(key=key)
    if Programme.objects.filter(region_id=s.city, name=s.programme_name).exists():
        out.skipped = True
        return out
    if not 0 < scale <= 1:
        raise ValueError("scale must be above 0 and at most 1")
    groups = scaled(s, scale)
    until = until or timezone.localdate().replace(day=1)
    admin = _admin()
    ensure_holidays()
    region = Region.objects.get(code=s.city)
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        out.seconds[name] = round(now - clock, 2)
        clock = now

    out.budget, out.budget_groups = planned_budget(s, groups)
    source = f"demo:{s.key}"
    out.workers = _workers(s, groups, source)
    lap("workers")
    programme = _programme(s, groups, admin, out.budget)
    out.members = enrolment.enrol(
        actor=admin,
        programme=programme,
        workers=Worker.objects.filter(source=source),
        on=s.pks_date,
        reason=f"demo scenario {s.key}",
    )
    _accept(programme, groups, s.pks_date)
    lap("enrolment")
    _bill_and_pay(
        s, programme, until, unpaid=1 if until >= timezone.localdate().replace(day=1) else 0
    )
    bills = Bill.objects.filter(programme=programme)
    out.bills = bills.count()
    out.billed = sum(b.total for b in bills)
    out.paid = sum(b.paid for b in bills)
    lap("billing")
    out.claims, out.claims_paid = _claims(s, programme, admin)
    lap("claims")
    _coverage_figures(s, region, until)
    lap("coverage")
    c = coverage.coverage(None, region, s.reference_month)
    out.coverage = {
        "month": s.reference_month.isoformat()[:7],
        "coverage_pct": str(c.coverage_pct),
        "target_pct": str(c.target_pct),
        "participants": c.participants,
        "jaring_members": c.jaring,
        "working_population": c.working_population,
    }
    return out
