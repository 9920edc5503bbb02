"""Billing benchmark: the monthly run for 1,000,000 active members, on SQLite and PostgreSQL.

    .venv/bin/python bench/billing_bench.py                      # both databases, 1,000,000
    .venv/bin/python bench/billing_bench.py --db sqlite --members 100000
    .venv/bin/python bench/billing_bench.py --db postgres --reuse   # keep workers and members

Each database is a dedicated one, created, migrated and loaded here: SQLite
`var/billing_bench.sqlite3`, PostgreSQL `jaring_billing_bench` on the server of `BENCH_PG_URL`
(default postgres://postgres@127.0.0.1:5432/jaring_billing_bench). Workers come from the demo
generator through `registry.bulk.insert_workers`; one province programme (all categories,
12 months of JKK + JKM at the minimum base) gets them all as active members through
`enrolment.bulk.insert_memberships` and one UPDATE for the cover dates.

Timed, through `contributions.services.run_month` as the CLI and the worker call it:
1. May 2026, first run: the bill and 1,000,000 lines;
2. May again: nothing to add (idempotence check over every member);
3. the payment of May in full;
4. June as of 1 June: lapse check (nothing unpaid), the June bill;
5. July as of 1 July, June unpaid: the lapse check walks 1,000,000 unpaid lines, no one has
   more than 3 unpaid months; the July bill;
6. the coverage facts refresh that the runs ask of the background worker (the regencies of the
   programme's province), as the worker runs it.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from itertools import islice

import common

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/jaring_billing_bench"
TODAY = dt.date(2026, 1, 1)
CHUNK = 200_000


def main() -> None:
    parser = common.parser(__doc__)
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--region", default="61", help="province the workers live in (61)")
    parser.add_argument("--reuse", action="store_true", help="keep loaded workers and members")
    args = parser.parse_args()
    common.report(__file__, args, run, markdown)


def run(args) -> dict:
    url = common.bench_database(
        args.db,
        pg_url=DEFAULT_PG,
        sqlite_path=common.ROOT / "var" / "billing_bench.sqlite3",
        fresh=not args.reuse,
    )
    common.setup_django(url)
    setup = _setup(args.members, args.region)
    common.analyze()
    steps = _measure(setup["programme_id"])
    return {
        "db": args.db,
        "database": common.database_version(),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="minutes"),
        "machine": common.machine(),
        "loadavg_before": setup["loadavg"],
        "members": args.members,
        "setup": setup,
        "steps": steps,
        "loadavg_after": common.loadavg(),
        "peak_mb": common.peak_mb(),
    }


def _setup(n: int, region: str) -> dict:
    from django.db import connection
    from django.utils import timezone

    from jaring.contributions.models import Allocation, Bill, BillLine, BillRate, Payment
    from jaring.demo.synthetic import iter_people, people_frame
    from jaring.enrolment import bulk
    from jaring.enrolment.models import Membership
    from jaring.programs.models import Programme, ProgrammeCategory
    from jaring.registry.bulk import insert_workers
    from jaring.registry.models import OccupationCategory, Worker

    out: dict = {"loadavg": common.loadavg()}
    with connection.cursor() as cur:  # a reused database starts without bills
        for model in (Allocation, Payment, BillLine, BillRate, Bill):
            cur.execute(f"DELETE FROM {model._meta.db_table}")
    if Worker.objects.count() != n:
        if Worker.objects.exists():
            raise SystemExit("the bench database holds another number of workers: drop --reuse")
        people = iter_people(n, region=region, seed=2026, today=TODAY)
        started = time.perf_counter()
        while True:
            frame = people_frame(islice(people, CHUNK))
            if frame.is_empty():
                break
            insert_workers(frame, source="bench")
            print(f"  workers {Worker.objects.count():,}", file=sys.stderr)
        out["workers_s"] = round(time.perf_counter() - started, 1)
    programme = Programme.objects.filter(name="Bench").first()
    if programme is None:
        programme = Programme.objects.create(
            name="Bench",
            funder="province_apbd",
            participation_code="SG",
            region_id=region,
            fiscal_year=2026,
            budget_ceiling=10**15,
            min_age=18,
            max_age=65,
            status="active",
        )
        ProgrammeCategory.objects.bulk_create(
            ProgrammeCategory(
                programme=programme,
                category=c,
                cover_months=12,
                quota=n,
                income_base=1_000_000,
            )
            for c in OccupationCategory.objects.all()
        )
    if Membership.objects.filter(programme=programme).count() != n:
        started = time.perf_counter()
        bulk.insert_memberships(
            programme_id=programme.pk,
            workers=Worker.objects.all(),
            status="active",
            now=timezone.now(),
        )
        Membership.objects.filter(programme=programme).update(
            start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31)
        )
        out["memberships_s"] = round(time.perf_counter() - started, 1)
    out["programme_id"] = programme.pk
    out["active_members"] = Membership.objects.filter(programme=programme, status="active").count()
    return out


def _measure(programme_id: int) -> list[dict]:
    from jaring.accounts.scope import SYSTEM
    from jaring.contributions import payment_services, services
    from jaring.contributions.models import Bill
    from jaring.coverage import facts
    from jaring.programs.models import Programme
    from jaring.programs.selectors import regencies_of_programmes

    programme = Programme.objects.get(pk=programme_id)
    steps = []

    def timed(name: str, call):
        clock = common.Clock()
        value = call()
        spent = clock.read()
        steps.append({"step": name, **spent} | (value or {}))
        print(f"  {name}: {spent} {value or ''}", file=sys.stderr)

    def month_run(month: dt.date, as_of: dt.date):
        def call():
            result = services.run_month(actor=SYSTEM, month=month, as_of=as_of)
            [bill] = result.bills
            return {
                "members": bill.members,
                "added": bill.added,
                "total": bill.total,
                "lapsed": result.lapses.memberships,
            }

        return call

    may = dt.date(2026, 5, 1)
    timed("May, first run", month_run(may, may))
    timed("May, run again", month_run(may, may))
    bill = Bill.objects.get(programme=programme, month=may)
    timed(
        "payment of May in full",
        lambda: {
            "amount": payment_services.record_payment(
                actor=SYSTEM,
                programme=programme,
                paid_on=dt.date(2026, 5, 10),
                amount=bill.total,
                reference="SP2D-BENCH-05",
            ).amount
        },
    )
    timed("June as of 1 June", month_run(dt.date(2026, 6, 1), dt.date(2026, 6, 1)))
    timed("July as of 1 July, June unpaid", month_run(dt.date(2026, 7, 1), dt.date(2026, 7, 1)))
    # A run marks the coverage facts of the programme's regencies stale; the background worker
    # then recounts them (`coverage.facts.refresh_facts`): timed here as the worker runs it.
    regencies = sorted(regencies_of_programmes([programme_id]))
    timed(
        "coverage facts refresh after the run (background worker)",
        lambda: (
            facts.refresh(regencies, today=dt.date(2026, 7, 1)) or {"regencies": len(regencies)}
        ),
    )
    return steps


def markdown(r: dict) -> str:
    lines = [
        f"### {r['database']}, {r['members']:,} active members",
        "",
        f"{r['date']}; {common.describe(r['machine'])}; load average before "
        f"{r['loadavg_before']}, after {r['loadavg_after']}; peak {r['peak_mb']} MiB. "
        f"Setup: {json.dumps(r['setup'])}",
        "",
        "| step | wall s | CPU s | server CPU s | members billed | added | lapsed |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for s in r["steps"]:
        lines.append(
            f"| {s['step']} | {s['wall']} | {s['cpu']} | {s['server_cpu']} "
            f"| {s.get('members', '')} | {s.get('added', '')} | {s.get('lapsed', '')} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
