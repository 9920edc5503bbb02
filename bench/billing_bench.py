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
   more than 3 unpaid months; the July bill.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/jaring_billing_bench"
TODAY = dt.date(2026, 1, 1)
CHUNK = 200_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--region", default="61", help="province the workers live in (61)")
    parser.add_argument("--reuse", action="store_true", help="keep loaded workers and members")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.db == "both":
        # Django settles on one database per process: one child process per database.
        for db in ("sqlite", "postgres"):
            argv = [__file__, "--db", db, "--members", str(args.members), "--region", args.region]
            argv += ["--reuse"] * args.reuse + ["--json"] * args.json
            subprocess.run([sys.executable, *argv], check=True)
        return
    result = run(args)
    print(json.dumps(result, indent=2) if args.json else markdown(result))


def run(args) -> dict:
    os.environ["DATABASE_URL"] = _prepare_database(args.db, fresh=not args.reuse)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jaring.settings")
    os.environ.setdefault("JARING_HOME", str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    setup = _setup(args.members, args.region)
    _analyze()
    steps = _measure(setup["programme_id"])
    return {
        "db": args.db,
        "database": _version(),
        "date": dt.datetime.now().isoformat(timespec="minutes"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
        "loadavg_before": setup["loadavg"],
        "members": args.members,
        "setup": setup,
        "steps": steps,
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
    }


def _prepare_database(db: str, *, fresh: bool) -> str:
    if db == "sqlite":
        path = ROOT / "var" / "billing_bench.sqlite3"
        path.parent.mkdir(exist_ok=True)
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    url = os.environ.get("BENCH_PG_URL", DEFAULT_PG)
    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        if not exists or fresh:
            conn.execute(f'CREATE DATABASE "{name}"')
    return url


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

    out: dict = {"loadavg": [round(x, 2) for x in os.getloadavg()]}
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


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _measure(programme_id: int) -> list[dict]:
    from jaring.contributions import payment_services, services
    from jaring.contributions.models import Bill
    from jaring.programs.models import Programme

    programme = Programme.objects.get(pk=programme_id)
    steps = []

    def timed(name: str, call):
        started = time.perf_counter()
        value = call()
        seconds = round(time.perf_counter() - started, 2)
        steps.append({"step": name, "seconds": seconds} | (value or {}))
        print(f"  {name}: {seconds} s {value or ''}", file=sys.stderr)

    def month_run(month: dt.date, as_of: dt.date):
        def call():
            result = services.run_month(month=month, as_of=as_of)
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
                actor=None,
                programme=programme,
                paid_on=dt.date(2026, 5, 10),
                amount=bill.total,
                reference="SP2D-BENCH-05",
            ).amount
        },
    )
    timed("June as of 1 June", month_run(dt.date(2026, 6, 1), dt.date(2026, 6, 1)))
    timed("July as of 1 July, June unpaid", month_run(dt.date(2026, 7, 1), dt.date(2026, 7, 1)))
    return steps


def _version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]}"
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def markdown(r: dict) -> str:
    lines = [
        f"### {r['database']}, {r['members']:,} active members",
        "",
        f"{r['date']}; {r['machine']}; load average before {r['loadavg_before']}, "
        f"after {r['loadavg_after']}. Setup: {json.dumps(r['setup'])}",
        "",
        "| step | seconds | members billed | added | lapsed |",
        "|---|---:|---:|---:|---:|",
    ]
    for s in r["steps"]:
        lines.append(
            f"| {s['step']} | {s['seconds']} | {s.get('members', '')} | {s.get('added', '')} "
            f"| {s.get('lapsed', '')} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
