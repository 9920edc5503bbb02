"""Loads a scenario through Jaring's own services: programme (budget ceiling priced by the
rules), synthetic workers (bulk insert), enrolment (bulk), BPJS acceptance, monthly bills and
payments, claims through the claim workflow, then the coverage figures.

When a group's cover ends, its members' hand-over choices (`ProgrammeSpec.continuation`) are
recorded through `continuity.services`; the self-payers are billed by the monthly self-payment
run and pay through `record_payment` up to today.

One shortcut, said here: BPJS acceptance is simulated with one UPDATE per cover group (status
active, a KPJ, the cover dates from the PKS date) instead of a batch file round trip, which the
enrolment tests cover. Loading again does nothing: a scenario whose programme exists is skipped.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.db import transaction
from django.db.models import CharField, Count, F, Sum, Value
from django.db.models.functions import Cast, Concat, LPad
from django.utils import timezone

from jaring.accounts.models import User
from jaring.accounts.scope import SYSTEM
from jaring.agents import services as agent_services
from jaring.agents.models import AgentCredit, Collection
from jaring.autodebit import services as autodebit
from jaring.autodebit.models import DebitLine
from jaring.claims import reports as claim_reports
from jaring.claims import services as claim_services
from jaring.claims.entitlements import ChildInput, ClaimInput
from jaring.claims.models import DEATH_KINDS, YearStatus
from jaring.continuity import selectors as continuity_selectors
from jaring.continuity import services as continuity
from jaring.continuity.models import CoverStatus, SelfPayCover
from jaring.contributions import payment_services, rate_services
from jaring.contributions import services as billing
from jaring.contributions.models import Bill, RateImport
from jaring.contributions.services import period_of
from jaring.core.errors import DomainError
from jaring.coverage import selectors as coverage
from jaring.coverage import services as coverage_services
from jaring.coverage.models import PopulationSource, Segment
from jaring.demo.scenarios.specs import (
    SCENARIOS,
    Claims,
    Continuation,
    ProgrammeSpec,
    Scenario,
)
from jaring.demo.services import demo_agent, ensure_users
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
from jaring.rules.months import add_months, cover_end, years_before
from jaring.rules.nik import compose

INCOME_BASE = 1_000_000  # the lowest base: what city budgets pay for


@dataclass
class ProgrammeLoaded:
    name: str
    budget: int = 0
    budget_groups: list[dict] = field(default_factory=list)
    workers: int = 0  # synthetic workers added for it (earlier programmes' members come back)
    members: int = 0
    bills: int = 0
    billed: int = 0
    paid: int = 0
    claims: int = 0
    claims_paid: int = 0
    # The hand-over: members by choice, self-payers who lapsed, self-payments recorded.
    choices: dict[str, int] = field(default_factory=dict)
    self_paid_lapsed: int = 0
    self_payments: int = 0
    # Perisai agents and auto-debit: members credited, collections, fees; debits done and failed.
    agents: dict = field(default_factory=dict)
    auto_debit: dict = field(default_factory=dict)


@dataclass
class Loaded:
    key: str
    skipped: bool = False
    programmes: list[ProgrammeLoaded] = field(default_factory=list)
    # The published years' money as Jaring reports it (`claims.reports.money_summary`).
    money: dict[int, dict] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    coverage: dict = field(default_factory=dict)
    # Who stayed covered after the city's months (`continuity.selectors.retention`), and the
    # year's money with the city's and the workers' payments apart, when a group continued.
    retention: dict = field(default_factory=dict)
    continuation_money: dict = field(default_factory=dict)

    @property
    def workers(self) -> int:
        return sum(p.workers for p in self.programmes)

    # The programme the scenario is named after (the last one).
    @property
    def budget(self) -> int:
        return self.programmes[-1].budget

    @property
    def budget_groups(self) -> list[dict]:
        return self.programmes[-1].budget_groups

    @property
    def claims(self) -> int:
        return self.programmes[-1].claims


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


def scaled(p: ProgrammeSpec | Scenario, scale: float) -> list[tuple[str, int, dict[str, int]]]:
    """(label, cover months, quotas) per group, headcounts multiplied by `scale` (a scenario:
    its named programme's groups)."""
    out = []
    for g in p.groups:
        n = max(len(g.categories), round(g.headcount * scale))
        out.append((g.label, g.cover_months, quotas(g.categories, n)))
    return out


def planned_budget(p: ProgrammeSpec | Scenario, groups) -> tuple[int, list[dict]]:
    """The programme's cost from the rate tables: each group's workers × months × rate."""
    start = p.pks_date.replace(day=1)
    total, parts = 0, []
    for label, months, q in groups:
        cost = rules_budget.cost(
            [rules_budget.Group(workers=sum(q.values()), months=months, base=INCOME_BASE)],
            start=start,
            funder=programme_budget.RULES_FUNDER[p.funder],
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
        actor=SYSTEM,
        text=HOLIDAYS.read_text(encoding="utf-8"),
        file_name=HOLIDAYS.name,
        note="demo scenarios: holiday calendars 2023-2025",
    )


def _workers(s: Scenario, p: ProgrammeSpec, groups, source: str, seed: int) -> int:
    """Synthetic workers of the programme's categories, never a NIK twice: as many as its quotas
    need beyond the scenario's living workers of each category (an earlier programme's)."""
    living = dict(
        Worker.objects.filter(source=source, died_on__isnull=True)
        .order_by()
        .values_list("category_id")
        .annotate(n=Count("pk"))
    )
    wanted = {code: n - living.get(code, 0) for _, _, q in groups for code, n in q.items()}
    wanted = {code: n for code, n in wanted.items() if n > 0}
    total = sum(wanted.values())
    if not total:
        return 0
    registered = set(Worker.objects.filter(regency_code=s.city).values_list("nik", flat=True))
    rng = random.Random(seed)
    people = iter_people(
        total * 3,
        region=s.city,
        seed=seed,
        categories={k: float(v) for k, v in wanted.items()},
        age_range=(20, 58),
        today=p.pks_date,
        disability_rate=0.0 if p.disabilities is not None else 0.02,
    )
    chosen, left = [], dict(wanted)
    for person in people:
        if person.nik in registered or not left.get(person.category_code):
            continue
        left[person.category_code] -= 1
        chosen.append(person)
        if len(chosen) == total:
            break
    if len(chosen) < total:
        raise RuntimeError(f"could not generate {total} distinct workers for {s.key}")
    if p.disabilities is not None:
        n = round(p.disabilities * total / p.headcount)
        for person in rng.sample(chosen, n):
            person.has_disability, person.disability_kind = True, "physical"
    return insert_workers(people_frame(chosen), source=source)


def _programme(s: Scenario, p: ProgrammeSpec, groups, admin: User, ceiling: int) -> Programme:
    categories = [
        programme_services.CategoryTerms(code, months, n, INCOME_BASE)
        for _, months, q in groups
        for code, n in q.items()
    ]
    return programme_services.create_programme(
        actor=admin,
        data=programme_services.ProgrammeInput(
            name=p.name,
            funder=p.funder,
            participation_code=p.participation_code,
            region_code=s.city,
            fiscal_year=p.fiscal_year,
            budget_ceiling=ceiling,
            min_age=18,
            max_age=65,
            categories=categories,
            cover_start_rule=CoverStartRule.PKS_DATE,
            legal_basis=p.legal_basis,
            pks_number=p.pks_number,
            pks_date=p.pks_date,
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
            end_date=cover_end(start, months),
            status_changed_at=now,
        )


def _bill_and_pay(s: Scenario, p: ProgrammeSpec, programme: Programme, until: dt.date) -> None:
    """Monthly bills from the first cover month to `until`; each paid on its due date (not
    before the cover starts), except this month's (arrears to show)."""
    month = p.pks_date.replace(day=1)
    months = []
    while month <= until:
        if billing.bill_programme(programme=programme, month=month, actor=SYSTEM) is not None:
            months.append(month)
        month = add_months(month, 1)
    today = timezone.localdate()
    for month in months:
        bill = Bill.objects.get(programme=programme, month=month)
        if month == today.replace(day=1) or bill.due_date > today or not bill.open_amount:
            continue
        payment_services.record_payment(
            actor=SYSTEM,
            programme=programme,
            paid_on=max(bill.due_date, p.pks_date),
            amount=bill.open_amount,
            reference=f"SP2D/{s.key}/{month:%Y-%m}",
            bills=[bill.pk],
        )


def _event_days(c: Claims, n: int) -> list[dt.date]:
    if n == 1 or c.last is None:
        return [c.first] * n
    span = (c.last - c.first).days
    return [c.first + dt.timedelta(days=span * i // (n - 1)) for i in range(n)]


def _claims(s: Scenario, p: ProgrammeSpec, programme: Programme, admin: User, scale: float):
    """Each claim through the claim workflow to paid; returns (claims, benefits paid)."""
    registered = paid = 0
    for c in p.claims:
        n = c.count if scale == 1 else max(1, round(c.count * scale))
        for event in _event_days(c, n):
            members = Membership.objects.filter(
                programme=programme,
                status=MembershipStatus.ACTIVE,
                start_date__lte=event,
                end_date__gte=event,
                worker__died_on__isnull=True,
                claims__isnull=True,
            )
            if c.category:
                members = members.filter(category_id=c.category)
            m = members.order_by("id").first()
            if m is None:
                raise RuntimeError(f"{s.key}: no member left for a {c.kind} claim on {event}")
            registered += 1
            claim = _claim(s, c, m, event, admin, registered)
            paid += sum(p.amount for p in claim.payments.all())
    return registered, paid


def _claim(s: Scenario, c: Claims, m: Membership, event: dt.date, admin: User, number: int):
    claimed = event + dt.timedelta(days=c.days_to_claim)
    children = tuple(
        ChildInput(
            name=f"Anak {k + 1}",
            # Turned `age` a month before the event.
            birth_date=years_before(event, child.age) - dt.timedelta(days=30),
            level=child.level,
            grade=child.grade,
        )
        for k, child in enumerate(c.children)
    )
    deadly = c.kind in DEATH_KINDS
    claim = claim_services.register_claim(
        actor=admin,
        membership=m,
        data=ClaimInput(
            kind=c.kind,
            event_date=event,
            claimed_on=claimed,
            description="Klaim contoh untuk demo (data sintetis).",
            claimant_name="Ahli waris" if deadly else "",
            claimant_relation="istri/suami" if deadly else "",
            months_incapacity=c.months_incapacity,
            children=children,
            prior_months=c.prior_months,
        ),
        today=claimed,
    )
    paid_on = claimed + dt.timedelta(days=c.days_to_pay)
    for action in ("verify", "approve", "pay"):
        claim = claim_services.transition(
            actor=admin,
            claim=claim,
            action=action,
            paid_on=paid_on,
            reference=f"BPJS/{s.key}/{number}",
        )
    # The first school year, claimed with the claim, approved and paid with the lump sums;
    # the later years wait for their own claim (proof that the child is still in school).
    for k, year in enumerate(claim.scholarship_years.filter(status=YearStatus.CLAIMED)):
        claim_services.approve_school_year(actor=admin, claim=claim, year_id=year.pk)
        claim_services.pay_school_year(
            actor=admin,
            claim=claim,
            year_id=year.pk,
            paid_on=paid_on,
            reference=f"BPJS/{s.key}/{number}/beasiswa/{k + 1}",
        )
    return claim


def _split(n: int, c: Continuation) -> dict[str, int]:
    """How many of `n` members make each choice (whole numbers, largest remainder)."""
    shares = {"self_paid": c.self_paid, "renewed": c.renewed, "stop": c.stop}
    return quotas(shares | {"": max(0.0, 1 - sum(shares.values()))}, n)


def _agents(s: Scenario, c: Continuation, taken: list[int]) -> list[int]:
    """The scenario's Perisai agents, working in the whole city (registered as the system); the
    demo's agent login is the first of them where it works in the city."""
    ids = []
    login = demo_agent(s.city)
    if c.agents and login is not None and login.pk not in taken:
        ids.append(login.pk)
    for n in range(len(ids) + 1, c.agents + 1):
        agent = agent_services.register_agent(
            actor=SYSTEM,
            data=agent_services.AgentInput(
                full_name=f"Agen Perisai {s.key} {n}",
                nik=compose(f"{s.city}.01", dt.date(1985, 3, n), "F" if n % 2 else "M", 9000 + n),
                phone=f"0812{9000 + n:04d}{n:04d}",
                area=s.city,
                bpjs_agent_number=f"PERISAI/{s.key}/{n:03d}",
                joined_on=dt.date(2025, 1, 6),
            ),
        )
        ids.append(agent.pk)
    return ids


def _debit_month(s: Scenario, month: dt.date, failing: set[int], today: dt.date) -> tuple[int, int]:
    """The generic bank's file for the month and its answer: (debited, failed)."""
    debit_day = month.replace(day=10)
    if debit_day > today:
        return 0, 0
    try:
        batch = autodebit.make_debit_file(
            actor=SYSTEM, bank="generic", month=month, debit_date=debit_day
        )
    except DomainError:  # nothing due this month
        return 0, 0
    rows = ["REFERENSI,STATUS,KETERANGAN,REF_BANK"]
    for line in DebitLine.objects.filter(batch=batch).order_by("id"):
        fails = line.cover_id in failing
        rows.append(
            f"{line.reference},{'51' if fails else '00'},"
            f"{'Saldo tidak cukup' if fails else ''},DEMO{line.pk}"
        )
    _, counts = autodebit.import_results(
        actor=SYSTEM,
        bank="generic",
        data="\n".join(rows).encode(),
        file_name=f"hasil-{s.key}-{month:%Y-%m}.csv",
        paid_on=debit_day,
    )
    return counts.paid, counts.failed


def _continuation(
    s: Scenario, p: ProgrammeSpec, programme: Programme, admin: User, until: dt.date
) -> tuple[dict[str, int], int, int, dict, dict]:
    """Records the hand-over choices a few weeks before each group's cover ends, then bills the
    self-payers month by month and records their payments up to `until` (never after today).
    Cash payers are credited to the scenario's agents in turn, auto-debit payers get a mandate
    and pay through the bank's monthly file.
    Returns (members by choice, self-payers lapsed, payments, agents, auto-debit)."""
    today = timezone.localdate()
    rng = random.Random(s.seed)
    counts: dict[str, int] = defaultdict(int)
    covers: list[tuple[int, bool]] = []  # (cover id, lapses)
    debited: dict[int, bool] = {}  # auto-debit cover id -> lapses
    agents: list[int] = []
    for c in p.continuation:
        agents += _agents(s, c, agents)
        group = next(g for g in p.groups if g.label == c.group)
        members = list(
            Membership.objects.filter(
                programme=programme,
                status=MembershipStatus.ACTIVE,
                category_id__in=list(group.categories),
                end_date__isnull=False,
            ).order_by("id")
        )
        rng.shuffle(members)
        split = _split(len(members), c)
        channels = quotas(c.channels, split["self_paid"])
        picks = [k for k, n in split.items() for _ in range(n)]
        channel_of = iter([k for k, n in channels.items() for _ in range(n)])
        lapsing = round(split["self_paid"] * c.lapse_share)
        for m, choice in zip(members, picks, strict=True):
            if not choice:
                continue
            chosen = continuity.record_choice(
                actor=admin,
                membership_id=m.pk,
                data=continuity.ChoiceInput(
                    choice,
                    income=c.income if choice == "self_paid" else None,
                    channel=next(channel_of) if choice == "self_paid" else "",
                    note=f"demo scenario {s.key}",
                ),
                today=m.end_date - dt.timedelta(days=20),
            )
            counts[choice] += 1
            if chosen.cover_id:
                lapses = len(covers) + len(debited) < lapsing
                cover = chosen.cover
                if cover.channel == "cash_agent" and agents:
                    agent_services.credit_cover(
                        actor=SYSTEM, cover_id=cover.pk, agent_id=agents[len(covers) % len(agents)]
                    )
                if cover.channel == "auto_debit":
                    autodebit.create_mandate(
                        actor=SYSTEM,
                        cover_id=cover.pk,
                        data=autodebit.MandateInput(
                            bank="generic",
                            account_number=f"{7000000000 + cover.pk}",
                            bank_mandate_ref=f"DEMO/{s.key}/{cover.pk}",
                            debit_day=10,
                            consent_date=m.end_date - dt.timedelta(days=20),
                            consent_document=f"Formulir auto-debet {s.key}/{cover.pk}",
                        ),
                        today=m.end_date - dt.timedelta(days=20),
                    )
                    debited[cover.pk] = lapses
                else:
                    covers.append((chosen.cover_id, lapses))
    payments = 0
    if not covers and not debited:
        return dict(counts), 0, 0, {}, {}
    first = min(
        SelfPayCover.objects.filter(pk__in=[c for c, _ in covers] + list(debited)).values_list(
            "start_date", flat=True
        )
    ).replace(day=1)
    debits = {"mandates": len(debited), "debited": 0, "failed": 0}
    last = min(until, today.replace(day=1))
    month, index = first, 0
    while month <= last:
        continuity.run_month(actor=SYSTEM, month=month, as_of=month)
        # A lapsing auto-debit member's first debit goes through, the later ones fail.
        failing = {k for k, lapses in debited.items() if lapses and index}
        done, failed = _debit_month(s, month, failing, today)
        debits["debited"] += done
        debits["failed"] += failed
        payments += done
        for cover_id, lapses in covers:
            if (lapses and index) or index % 3:
                continue
            cover = SelfPayCover.objects.get(pk=cover_id)
            if cover.status != CoverStatus.ACTIVE or cover.paid_through >= period_of(month):
                continue
            months = 1 if lapses else 3
            paid_on = continuity.due_date_of(cover, period_of(month))
            if paid_on > today:
                continue
            continuity.record_payment(
                actor=SYSTEM,
                cover_id=cover_id,
                data=continuity.PaymentInput(
                    months,
                    continuity.quote(cover, months),
                    cover.channel,
                    f"DEMO/{s.key}/{cover_id}/{month:%Y-%m}",
                    paid_on,
                ),
                today=paid_on,
            )
            payments += 1
        month, index = add_months(month, 1), index + 1
    # The lapse of those who stopped paying, as of today (the run of the running month).
    continuity.apply_lapses(actor=SYSTEM, as_of=min(today, add_months(last, 1)))
    lapsed = SelfPayCover.objects.filter(
        pk__in=[c for c, _ in covers] + list(debited), status=CoverStatus.LAPSED
    ).count()
    return dict(counts), lapsed, payments, _agent_summary(agents), debits


def _agent_summary(agents: list[int]) -> dict:
    """The agents' members, collections and fees (each month with activity, as the system)."""
    if not agents:
        return {}
    fees = 0
    for row in (
        Collection.objects.filter(agent_id__in=agents)
        .values("agent_id", "month")
        .distinct()
        .order_by("agent_id", "month")
    ):
        fees += agent_services.calculate_fee(
            actor=SYSTEM, agent_id=row["agent_id"], month=row["month"]
        ).total
    return {
        "agents": len(agents),
        "members": AgentCredit.objects.filter(agent_id__in=agents).count(),
        "collected": Collection.objects.filter(agent_id__in=agents).aggregate(s=Sum("amount"))["s"]
        or 0,
        "fees": fees,
    }


def _coverage_figures(s: Scenario, region: Region, until: dt.date) -> None:
    """Working population, targets and monthly other-segment counts that reproduce the points."""
    for year, people in s.working_population.items():
        coverage_services.set_population(
            actor=SYSTEM,
            region_code=s.city,
            year=year,
            people=people,
            source=PopulationSource.DEMO,
            note="estimate for the demo, chosen to reproduce the published UCJ",
        )
    for year, target in s.targets.items():
        coverage_services.set_target(actor=SYSTEM, region_code=s.city, year=year, target_pct=target)

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
                actor=SYSTEM,
                region_code=s.city,
                month=month,
                segment=segment,
                participants=count,
                source="demo: interpolated from the published UCJ",
            )
        month = add_months(month, 1)


def _load_programme(
    s: Scenario, p: ProgrammeSpec, index: int, scale: float, until: dt.date, admin: User
) -> ProgrammeLoaded:
    groups = scaled(p, scale)
    out = ProgrammeLoaded(name=p.name)
    out.budget, out.budget_groups = planned_budget(p, groups)
    source = f"demo:{s.key}"
    out.workers = _workers(s, p, groups, source, seed=s.seed + index)
    programme = _programme(s, p, groups, admin, out.budget)
    out.members = enrolment.enrol(
        actor=admin,
        programme=programme,
        workers=Worker.objects.filter(
            source=source,
            died_on__isnull=True,
            category_id__in=[code for _, _, q in groups for code in q],
        ),
        on=p.pks_date,
        reason=f"demo scenario {s.key}",
    )
    _accept(programme, groups, p.pks_date)
    _bill_and_pay(s, p, programme, until)
    bills = Bill.objects.filter(programme=programme)
    out.bills = bills.count()
    out.billed = sum(b.total for b in bills)
    out.paid = sum(b.paid for b in bills)
    out.claims, out.claims_paid = _claims(s, p, programme, admin, scale)
    (
        out.choices,
        out.self_paid_lapsed,
        out.self_payments,
        out.agents,
        out.auto_debit,
    ) = _continuation(s, p, programme, admin, until)
    return out


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

    for index, p in enumerate(s.programmes):
        out.programmes.append(_load_programme(s, p, index, scale, until, admin))
        lap(f"programme {p.fiscal_year}")
    _coverage_figures(s, region, until)
    lap("coverage")
    for published in s.published:
        out.money[published.year] = claim_reports.money_summary(region, year=published.year)
    if any(p.continuation for p in s.programmes):
        last = min(until, timezone.localdate().replace(day=1))
        out.retention = continuity_selectors.retention(SYSTEM, s.city, last).as_dict()
        out.continuation_money = claim_reports.money_summary(region, year=last.year)
        lap("continuation")
    c = coverage.coverage(SYSTEM, region, s.reference_month)
    out.coverage = {
        "month": s.reference_month.isoformat()[:7],
        "coverage_pct": str(c.coverage_pct),
        "target_pct": str(c.target_pct),
        "participants": c.participants,
        "jaring_members": c.jaring,
        "working_population": c.working_population,
    }
    return out
