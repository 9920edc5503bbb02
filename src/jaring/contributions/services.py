"""The monthly run: lapse memberships unpaid too long, then bill every programme for the month.

A bill is one programme-month; its lines are the members whose cover owes the month (a whole
monthly contribution for each month of cover begun, counted from the day the cover started:
`rules.contributions.contribution_months`), each priced from the rule tables. Every distinct
(category, income base) is priced once, and the lines are written with one INSERT … SELECT, so a
run over a million members takes seconds. Running a month again adds the members missing from
its bill (enrolled later) and changes nothing else: lines already billed keep their amount and
rule version.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib import resources

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from jaring.accounts import audit
from jaring.accounts.models import User
from jaring.accounts.scope import SYSTEM, Actor, as_user
from jaring.contributions.access import programmes_managed
from jaring.contributions.models import (
    Bill,
    BillingRun,
    BillLine,
    BillRate,
    LineStatus,
    RunStatus,
)
from jaring.contributions.payment_services import apply_credit, status_of
from jaring.contributions.permissions import CONTRIBUTIONS
from jaring.contributions.rate_tables import current_tables
from jaring.core import events, jobs
from jaring.core.errors import DomainError, NotFound, Problem, ValidationFailed
from jaring.core.rehearsal import rehearse
from jaring.enrolment import services as enrolment
from jaring.enrolment.models import Membership, MembershipStatus
from jaring.programs.budget import rule_problem, rules_funder
from jaring.programs.defaults import sector_of
from jaring.programs.models import Programme, ProgrammeStatus
from jaring.programs.selectors import regencies_of_programmes
from jaring.rules import contributions as rules_contributions
from jaring.rules import due_dates
from jaring.rules.errors import RuleError
from jaring.rules.months import add_months
from jaring.rules.rates import RuleTables
from jaring.rules.tables import month_text, rupiah

Progress = Callable[[str, float], None]

_ANALYZE_AFTER = 50_000
# Statuses whose cover, once given, is billed for every month it owes. An ended membership
# is billed for the contribution months that began before it ended.
_BILLED_STATUSES = (MembershipStatus.ACTIVE, MembershipStatus.EXPIRED, MembershipStatus.RENEWED)


@cache
def arrears_rule() -> dict:
    text = resources.files("jaring.contributions").joinpath("data/arrears.toml").read_text("utf-8")
    return tomllib.loads(text)


def period_of(month: dt.date) -> int:
    return month.year * 12 + month.month - 1


def month_of(period: int) -> dt.date:
    return dt.date(period // 12, period % 12 + 1, 1)


def last_day(month: dt.date) -> dt.date:
    return add_months(month, 1) - dt.timedelta(days=1)


@dataclass
class BillResult:
    programme_id: int
    programme: str
    month: str
    bill_id: int
    created: bool
    added: int
    members: int
    total: int
    paid: int
    due_date: str
    rule_version: str


@dataclass
class LapseResult:
    as_of: str
    memberships: int = 0
    # first unpaid month -> how many memberships lapsed from it
    by_first_unpaid_month: dict[str, int] = field(default_factory=dict)
    lines_lapsed: int = 0


@dataclass
class RunResult:
    month: str
    as_of: str
    lapses: LapseResult
    bills: list[BillResult] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


# --- pricing -----------------------------------------------------------------------------------


def _price(
    programme: Programme, month: dt.date, tables: RuleTables, groups: list[tuple[str, int, int]]
) -> dict[tuple[str, int], rules_contributions.Contribution]:
    """One calculation per distinct (income base, sector); refuses with every undefined base."""
    funder = rules_funder(programme)
    done: dict[tuple[int, str], rules_contributions.Contribution] = {}
    out = {}
    problems = []
    for category, base, members in groups:
        key = (base, sector_of(category))
        try:
            if key not in done:
                done[key] = rules_contributions.contribution(
                    month=month,
                    funder=funder,
                    sector=key[1],
                    base=base,
                    benefits=programme.benefit_list,
                    tables=tables,
                )
            out[(category, base)] = done[key]
        except RuleError as err:
            p = rule_problem(err, "income_base")
            problems.append(
                Problem(
                    p.code,
                    f"{members} peserta kategori {category} (dasar {rupiah(base)}): {p.message_id}",
                    f"{members} member(s) of {category} (base {rupiah(base)}): {p.message_en}",
                    field="income_base",
                    params={"category": category, "income_base": base, "members": members},
                )
            )
    if problems:
        raise ValidationFailed(*problems)
    return out


# --- billing -----------------------------------------------------------------------------------


def _start_day_sql() -> str:
    """The day of the month of a membership's start date, as an integer."""
    if connection.vendor == "postgresql":
        return "CAST(EXTRACT(DAY FROM m.start_date) AS INTEGER)"
    return "CAST(strftime('%%d', m.start_date) AS INTEGER)"


def _billable(programme_id: int, month: dt.date) -> tuple[str, list]:
    """(WHERE clause on memberships `m`, its parameters): the members who owe `month`.

    As `rules.contributions.contribution_months` says: a cover owes the month once it reaches
    the day the member's contribution month begins in it (their start day, or the month's last
    day when shorter). For most members the cover runs past the month and that day is never
    worked out. An ended membership covered until the day it ended.
    """
    statuses = ", ".join(f"'{s}'" for s in _BILLED_STATUSES)
    end = last_day(month)
    begins = [month.replace(day=d) for d in range(1, end.day + 1)]
    case = (
        f"CASE {_start_day_sql()} "
        + " ".join(f"WHEN {d.day} THEN %s" for d in begins[:-1])
        + " ELSE %s END"
    )

    def aware(day: dt.date):
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        return connection.ops.adapt_datetimefield_value(moment)

    sql = (
        f"m.programme_id = %s AND m.start_date <= %s "
        f"AND (m.end_date >= %s OR m.end_date >= {case}) "
        f"AND (m.status IN ({statuses}) OR (m.status = '{MembershipStatus.ENDED}' "
        f"AND (m.status_changed_at >= %s OR m.status_changed_at >= {case})))"
    )
    params = [programme_id, end, end, *begins, aware(end), *map(aware, begins)]
    return sql, params


def _groups(programme: Programme, month: dt.date) -> list[tuple[str, int, int]]:
    """(category, income base, members) among the memberships billable for `month`."""
    where, params = _billable(programme.pk, month)
    sql = f"""
        SELECT m.category_id, m.income_base, COUNT(*)
        FROM {Membership._meta.db_table} m WHERE {where}
        GROUP BY m.category_id, m.income_base ORDER BY m.category_id, m.income_base
    """
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return [tuple(r) for r in cur.fetchall()]


def _insert_lines(bill: Bill, *, new: bool) -> int:
    """Adds a line for each billable member not on the bill yet, after the existing lines."""
    line, rate, m = BillLine._meta.db_table, BillRate._meta.db_table, Membership._meta.db_table
    # A new bill has no lines: looking each member up among them is a million wasted probes.
    missing = (
        ""
        if new
        else f"AND NOT EXISTS (SELECT 1 FROM {line} l "
        "WHERE l.bill_id = %s AND l.membership_id = m.id)"
    )
    where, billable_params = _billable(bill.programme_id, bill.month)
    sql = f"""
        INSERT INTO {line} (bill_id, membership_id, rate_id, amount, cumulative, status)
        SELECT %s, m.id, r.id, r.amount, %s + SUM(r.amount) OVER (ORDER BY m.id), %s
        FROM {m} m
        JOIN {rate} r ON r.bill_id = %s AND r.category_id = m.category_id
            AND r.income_base = m.income_base
        WHERE {where} {missing}
    """
    params = [
        bill.pk,
        bill.total,
        LineStatus.BILLED,
        bill.pk,
        *billable_params,
        *([] if new else [bill.pk]),
    ]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.rowcount


def refresh_totals(bill: Bill) -> Bill:
    """Members, per-benefit amounts, rule versions and status from the bill's lines."""
    rates = {r.pk: r for r in bill.rates.all()}
    counts: dict[tuple[str, int], list[int]] = {}
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT status, rate_id, COUNT(*), SUM(amount) FROM {BillLine._meta.db_table} "
            "WHERE bill_id = %s GROUP BY status, rate_id",
            [bill.pk],
        )
        for status, rate_id, n, amount in cur.fetchall():
            counts[(status, rate_id)] = [n, int(amount)]
    billed = {rid: v for (s, rid), v in counts.items() if s == LineStatus.BILLED}
    lapsed = [v for (s, _), v in counts.items() if s == LineStatus.LAPSED]
    bill.members = sum(n for n, _ in billed.values())
    bill.total = sum(a for _, a in billed.values())
    for benefit in ("jkk", "jkm", "jht"):
        setattr(
            bill, benefit, sum(getattr(rates[rid], benefit) * n for rid, (n, _) in billed.items())
        )
    bill.rule_version = "; ".join(sorted({rates[rid].rule_version for rid in billed}))
    bill.lapsed_members = sum(n for n, _ in lapsed)
    bill.lapsed_amount = sum(a for _, a in lapsed)
    bill.status = status_of(bill)
    bill.save()
    return bill


@transaction.atomic
def bill_programme(*, programme: Programme, month: dt.date, actor: Actor) -> BillResult | None:
    """The programme's bill for `month`, made or completed; None when nobody is billable."""
    CONTRIBUTIONS.check(actor, "bill")
    month = month.replace(day=1)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    groups = _groups(programme, month)
    bill = Bill.objects.filter(programme=programme, month=month).first()
    if not groups and bill is None:
        return None
    tables = current_tables()
    created = bill is None
    if created:
        try:
            due = due_dates.due_date(month, tables=tables)
        except RuleError as err:
            raise ValidationFailed(rule_problem(err, "month")) from None
        bill = Bill.objects.create(
            programme=programme,
            month=month,
            period=period_of(month),
            due_date=due.date,
            due_rule="; ".join([due.rule.id, *due.calendar_sources]),
            created_by=as_user(actor),
        )
    known = set(bill.rates.values_list("category_id", "income_base"))
    missing = [g for g in groups if (g[0], g[1]) not in known]
    priced = _price(programme, month, tables, missing)
    BillRate.objects.bulk_create(
        BillRate(
            bill=bill,
            category_id=category,
            income_base=base,
            sector=c.sector,
            jkk=c.jkk,
            jkm=c.jkm,
            jht=c.jht,
            amount=c.total,
            rule_version=c.rule_version,
            detail=c.as_dict(),
        )
        for (category, base), c in priced.items()
    )
    added = _insert_lines(bill, new=created)
    if added > _ANALYZE_AFTER and connection.vendor == "postgresql":
        # Fresh statistics, or the next lapse check is planned for an empty table (minutes).
        with connection.cursor() as cur:
            cur.execute(f"ANALYZE {BillLine._meta.db_table}")
    refresh_totals(bill)
    if added or created:
        audit.record(
            actor=actor,
            action="bill.created" if created else "bill.members_added",
            target=bill,
            region_code=programme.region_id,
            before=None,
            after={
                "month": month_text(month),
                "added": added,
                "members": bill.members,
                "total": bill.total,
            },
        )
    apply_credit(programme=programme, actor=actor)
    bill.refresh_from_db()
    return BillResult(
        programme_id=programme.pk,
        programme=str(programme),
        month=month_text(month),
        bill_id=bill.pk,
        created=created,
        added=added,
        members=bill.members,
        total=bill.total,
        paid=bill.paid,
        due_date=bill.due_date.isoformat(),
        rule_version=bill.rule_version,
    )


def run_month(
    *,
    month: dt.date,
    actor: Actor,
    programme: Programme | None = None,
    as_of: dt.date | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Lapses first (so a lapsed member is not billed again), then one bill per programme.

    With `programme`, its refusal is raised; over all programmes, each refusal is collected and
    the other programmes are billed.
    """
    CONTRIBUTIONS.check(actor, "bill")
    month = month.replace(day=1)
    as_of = as_of or timezone.localdate()
    programmes = programmes_managed(actor).exclude(status=ProgrammeStatus.DRAFT)
    if programme is not None:
        programmes = programmes.filter(pk=programme.pk)
        if not programmes.exists():
            raise NotFound.of("Program", "Programme")
    result = RunResult(month=month_text(month), as_of=as_of.isoformat(), lapses=LapseResult(""))
    result.lapses = apply_lapses(as_of=as_of, actor=actor, programmes=programmes)
    chosen = list(programmes.order_by("id"))
    for i, p in enumerate(chosen):
        if progress:
            progress(str(p), i / len(chosen))
        try:
            bill = bill_programme(programme=p, month=month, actor=actor)
        except DomainError as exc:
            if programme is not None:
                raise
            result.problems.extend({"programme_id": p.pk} | q.as_dict() for q in exc.problems)
            continue
        if bill is not None:
            result.bills.append(bill)
    if progress:
        progress("", 1.0)
    return result


def preview_run(
    *,
    month: dt.date,
    actor: Actor,
    programme: Programme | None = None,
    as_of: dt.date | None = None,
) -> RunResult:
    """What `run_month` would do (rehearsed: core.rehearsal; nothing kept): the page's
    confirmation, the API's `dry_run`, `jaring billing run --dry-run`. Its bill ids are of bills
    that were never kept."""
    return rehearse(lambda: run_month(month=month, actor=actor, programme=programme, as_of=as_of))


# --- lapse -------------------------------------------------------------------------------------


def _unpaid_runs(as_of: dt.date, programme_ids: list[int], longer_than: int) -> dict[int, int]:
    """{membership id: first period of its earliest run of > `longer_than` unpaid months}.

    A month is unpaid when its due date is before `as_of` and the member's line is not fully
    paid. Only members with more unpaid months than that in all are looked at closely; their
    runs are "gaps and islands": consecutive periods minus their row number are constant.
    """
    line, bill, m = BillLine._meta.db_table, Bill._meta.db_table, Membership._meta.db_table
    ids = ", ".join(str(int(i)) for i in programme_ids)
    sql = f"""
        WITH unpaid AS (
            SELECT l.membership_id AS mid, b.period AS period
            FROM {line} l JOIN {bill} b ON b.id = l.bill_id
            WHERE l.status = %s AND l.cumulative > b.paid AND b.due_date < %s
                AND b.programme_id IN ({ids})
        ), candidates AS (
            SELECT mid FROM unpaid GROUP BY mid HAVING COUNT(*) > %s
        ), runs AS (
            SELECT u.mid, u.period,
                u.period - ROW_NUMBER() OVER (PARTITION BY u.mid ORDER BY u.period) AS grp
            FROM unpaid u
            JOIN candidates c ON c.mid = u.mid
            JOIN {m} m ON m.id = u.mid AND m.status = %s
        )
        SELECT mid, MIN(period) FROM runs GROUP BY mid, grp HAVING COUNT(*) > %s
    """
    out: dict[int, int] = {}
    with connection.cursor() as cur:
        cur.execute(
            sql, [LineStatus.BILLED, as_of, longer_than, MembershipStatus.ACTIVE, longer_than]
        )
        for mid, first in cur.fetchall():
            out[mid] = min(first, out.get(mid, first))
    return out


def recompute_cumulative(bill_id: int) -> None:
    line = BillLine._meta.db_table
    sql = f"""
        UPDATE {line} SET cumulative = s.c
        FROM (SELECT id, SUM(amount) OVER (ORDER BY id) AS c FROM {line}
              WHERE bill_id = %s AND status = %s) AS s
        WHERE {line}.id = s.id AND {line}.cumulative <> s.c
    """
    with connection.cursor() as cur:
        cur.execute(sql, [bill_id, LineStatus.BILLED])


_CHUNK = 5000


def _lapse_note(first: int, limit: int, as_of: dt.date) -> str:
    return (
        f"more than {limit} consecutive months unpaid from {month_text(month_of(first))} "
        f"(as of {as_of.isoformat()})"
    )


@transaction.atomic
def apply_lapses(*, as_of: dt.date, actor: Actor, programmes=None) -> LapseResult:
    """Ends every active membership with more than the allowed consecutive unpaid months.

    The membership ends ("berakhir", reason lapsed) and its cover ends the day before its first
    unpaid contribution month begins; those months' unpaid lines are taken off their bills (no
    longer payable). Fewer unpaid months are arrears that can still be paid. Audited per
    membership.
    """
    CONTRIBUTIONS.check(actor, "bill")
    programmes = programmes if programmes is not None else programmes_managed(actor)
    programme_ids = list(programmes.values_list("pk", flat=True))
    result = LapseResult(as_of=as_of.isoformat())
    if not programme_ids:
        return result
    limit = arrears_rule()["max_consecutive_unpaid_months"]
    lapsed = _unpaid_runs(as_of, programme_ids, limit)
    # Cover ends the day before the first unpaid contribution month begins (the member's start
    # day in that month): the months paid keep their whole cover.
    by_end: dict[tuple[int, dt.date], list[int]] = defaultdict(list)
    ids = list(lapsed)
    for i in range(0, len(ids), _CHUNK):
        starts = Membership.objects.filter(pk__in=ids[i : i + _CHUNK]).values_list(
            "pk", "start_date"
        )
        for mid, start in starts:
            begins = rules_contributions.contribution_month_start(start, lapsed[mid])
            by_end[(lapsed[mid], begins - dt.timedelta(days=1))].append(mid)
    groups = sorted(by_end.items())
    enrolment.lapse(
        actor=actor,
        lapses=[
            enrolment.Lapse(
                membership_ids=mids, end_date=ends_on, note=_lapse_note(first, limit, as_of)
            )
            for (first, ends_on), mids in groups
        ],
    )
    bills: set[int] = set()
    for (first, _ends_on), mids in groups:
        for i in range(0, len(mids), _CHUNK):
            lines = BillLine.objects.filter(
                membership_id__in=mids[i : i + _CHUNK],
                status=LineStatus.BILLED,
                bill__period__gte=first,
                cumulative__gte=F("amount") + F("bill__paid"),
            )
            bills.update(lines.values_list("bill_id", flat=True).distinct())
            result.lines_lapsed += lines.update(status=LineStatus.LAPSED)
        key = month_text(month_of(first))
        result.by_first_unpaid_month[key] = result.by_first_unpaid_month.get(key, 0) + len(mids)
        result.memberships += len(mids)
    for bill_id in sorted(bills):
        recompute_cumulative(bill_id)
        refresh_totals(Bill.objects.select_for_update().get(pk=bill_id))
    events.memberships_changed.send(
        sender="contributions", regencies=regencies_of_programmes(programme_ids)
    )
    return result


def lapses_daily(on: dt.date) -> dict[str, int]:
    """The daily job (core.daily): memberships whose contributions went unpaid too long end
    without waiting for the monthly run."""
    result = apply_lapses(as_of=on, actor=SYSTEM)
    return {"lapsed": result.memberships}


# --- in the background -------------------------------------------------------------------------


def request_run(
    *,
    actor: User,
    month: dt.date,
    programme: Programme | None = None,
    as_of: dt.date | None = None,
) -> BillingRun:
    """A run for the background worker (the page's button); the page follows its status."""
    CONTRIBUTIONS.check(actor, "bill")
    run = BillingRun.objects.create(
        month=month.replace(day=1),
        programme=programme,
        as_of=as_of or timezone.localdate(),
        created_by=actor,
    )
    result = run_billing.enqueue(run.pk)
    BillingRun.objects.filter(pk=run.pk, task_id="").update(task_id=str(result.id))
    return run


def perform_run(*, run_id: int) -> BillingRun:
    """Carries out a requested run; a refusal is stored on it, never raised."""
    run = BillingRun.objects.select_related("created_by", "programme").get(pk=run_id)
    jobs.claim(BillingRun.objects.filter(pk=run.pk), status=RunStatus.RUNNING)
    with jobs.heartbeat(BillingRun, run.pk):
        return _perform(run)


def _perform(run: BillingRun) -> BillingRun:
    try:
        result = run_month(
            month=run.month, actor=run.created_by, programme=run.programme, as_of=run.as_of
        )
    except DomainError as exc:
        run.status, run.problems = RunStatus.FAILED, [p.as_dict() for p in exc.problems]
    else:
        run.result = result.as_dict()
        run.problems = result.problems
        run.status = RunStatus.FAILED if result.problems else RunStatus.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "result", "problems", "finished_at"])
    return run


@task()
def run_billing(run_id: int) -> str:
    """The monthly run in the background: `jaring db_worker` carries out what the page asked."""
    return perform_run(run_id=run_id).status
