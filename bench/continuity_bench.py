"""Self-payment benchmark: the monthly run for 1,000,000 self-paying members, on SQLite and
PostgreSQL.

    .venv/bin/python bench/continuity_bench.py                      # both databases, 1,000,000
    .venv/bin/python bench/continuity_bench.py --db sqlite --members 100000
    .venv/bin/python bench/continuity_bench.py --db postgres --reuse   # keep workers

Each database is a dedicated one, created, migrated and loaded here: SQLite
`var/continuity_bench.sqlite3`, PostgreSQL `jaring_continuity_bench` (`BENCH_PG_URL`). Workers
come from the demo generator through `registry.bulk.insert_workers`; every worker gets an active
self-paid cover from 1 January 2026 at the minimum base (every tenth with JHT), written with one
INSERT … SELECT (setup, not timed).

Timed, through `continuity.services.run_month` as `jaring selfpay run` calls it, January to
July 2026, each month's run as of its first day: the lapse check (months past their due date
still unpaid), then the month's row for every active cover. Between runs the members pay the
month just billed, except 3 % who never pay (they lapse in May: January–April unpaid, more
than 3 months) and 5 % who skip June (arrears, no lapse). Those payments are simulated with
two UPDATEs per month (the auto-debit result file and agents' collections, which turn into
payments, are another area's, issue 16 parts 3–4); `record_payment`, one member's payment as the
page and the API record it, is timed separately, 1,000 times.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from itertools import islice

import common

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/jaring_continuity_bench"
TODAY = dt.date(2026, 1, 1)
START = dt.date(2026, 1, 1)
CHUNK = 200_000
SINGLE_PAYMENTS = 1_000


def main() -> None:
    parser = common.parser(__doc__)
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--region", default="61", help="province the workers live in (61)")
    parser.add_argument("--reuse", action="store_true", help="keep loaded workers")
    args = parser.parse_args()
    common.report(__file__, args, run, markdown)


def run(args) -> dict:
    url = common.bench_database(
        args.db,
        pg_url=DEFAULT_PG,
        sqlite_path=common.ROOT / "var" / "continuity_bench.sqlite3",
        fresh=not args.reuse,
    )
    common.setup_django(url)
    setup = _setup(args.members, args.region)
    common.analyze()
    steps = _measure()
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

    from jaring.continuity.models import SelfPayCover, SelfPayment, SelfPayMonth, SelfPayRate
    from jaring.demo.synthetic import iter_people, people_frame
    from jaring.registry.bulk import insert_workers
    from jaring.registry.models import Worker

    out: dict = {"loadavg": common.loadavg()}
    with connection.cursor() as cur:  # a reused database starts without self-payers
        for model in (SelfPayMonth, SelfPayment, SelfPayRate, SelfPayCover):
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
    started = time.perf_counter()
    first = START.year * 12 + START.month - 1
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cur:
        cur.execute(
            f"""
            INSERT INTO {SelfPayCover._meta.db_table} (worker_id, village_id, province_code,
                regency_code, district_code, income, income_base, jht, sector, channel,
                start_date, first_period, paid_through, status, end_note, created_at, updated_at)
            SELECT id, village_id, province_code, regency_code, district_code, 1000000, 1000000,
                id %% 10 = 0, 'other', 'auto_debit', %s, %s, %s, 'active', '', %s, %s
            FROM {Worker._meta.db_table}
            """,
            [START, first, first - 1, now, now],
        )
    out["covers_s"] = round(time.perf_counter() - started, 1)
    out["covers"] = SelfPayCover.objects.count()
    return out


def _pay_month(period: int, skip_modulo: tuple[int, ...]) -> int:
    """Members pay what they owe up to the month billed, arrears first (all but the covers whose
    id ≡ `skip_modulo` mod 100): one UPDATE of the months and one of the covers, as a set-based
    payment import would."""
    from django.db import connection

    from jaring.continuity.models import SelfPayCover, SelfPayMonth

    m, c = SelfPayMonth._meta.db_table, SelfPayCover._meta.db_table
    skip = " AND ".join(f"cover_id %% 100 <> {k}" for k in skip_modulo) or "1 = 1"
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {m} SET status = 'paid' WHERE status = 'due' AND period <= %s AND {skip}",
            [period],
        )
        paid = cur.rowcount
        cur.execute(
            f"UPDATE {c} SET paid_through = %s WHERE status = 'active' AND paid_through < %s "
            f"AND NOT EXISTS (SELECT 1 FROM {m} x WHERE x.cover_id = {c}.id "
            "AND x.status = 'due' AND x.period <= %s)",
            [period, period, period],
        )
    return paid


def _measure() -> list[dict]:
    from jaring.accounts.scope import SYSTEM
    from jaring.continuity import services
    from jaring.continuity.models import CoverStatus, SelfPayCover

    steps = []

    def timed(name: str, call):
        clock = common.Clock()
        value = call()
        spent = clock.read()
        steps.append({"step": name, **spent} | (value or {}))
        print(f"  {name}: {spent} {value or ''}", file=sys.stderr)

    def month_run(month: dt.date):
        def call():
            r = services.run_month(actor=SYSTEM, month=month, as_of=month)
            return {"billed": r.billed, "lapsed": r.lapsed, "months_lapsed": r.months_lapsed}

        return call

    for number in range(1, 8):
        month = dt.date(2026, number, 1)
        period = month.year * 12 + month.month - 1
        timed(f"{month:%B}, as of {month}", month_run(month))
        if number == 1:
            timed("January again (nothing to add)", month_run(month))
        skips = (0, 1, 2) + ((3, 4, 5, 6, 7) if number == 6 else ())
        timed(
            f"{month:%B} paid (simulated, one UPDATE)",
            lambda p=period, s=skips: {"paid": _pay_month(p, s)},
        )

    covers = list(
        SelfPayCover.objects.filter(status=CoverStatus.ACTIVE, paid_through__gte=2026 * 12 + 6)
        .order_by("id")
        .values_list("pk", flat=True)[:SINGLE_PAYMENTS]
    )
    august = services.rate_for(
        2026 * 12 + 7, base=1_000_000, jht=False, sector="other", tables=services.current_tables()
    )

    def single_payments():
        for i, pk in enumerate(covers):
            cover = SelfPayCover.objects.get(pk=pk)
            amount = august.amount + (20_000 if cover.jht else 0)
            services.record_payment(
                actor=SYSTEM,
                cover_id=pk,
                data=services.PaymentInput(1, amount, "bank", f"BENCH-{i}", dt.date(2026, 7, 20)),
                today=dt.date(2026, 7, 20),
            )
        return {"payments": len(covers)}

    timed(f"{SINGLE_PAYMENTS:,} single payments (record_payment)", single_payments)
    return steps


def markdown(r: dict) -> str:
    lines = [
        f"### {r['database']}, {r['members']:,} self-paying members",
        "",
        f"{r['date']}; {common.describe(r['machine'])}; load average before "
        f"{r['loadavg_before']}, after {r['loadavg_after']}; peak {r['peak_mb']} MiB. "
        f"Setup: {json.dumps(r['setup'])}",
        "",
        "| step | wall s | CPU s | server CPU s | billed | lapsed | paid |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for s in r["steps"]:
        lines.append(
            f"| {s['step']} | {s['wall']} | {s['cpu']} | {s['server_cpu']} "
            f"| {s.get('billed', '')} | {s.get('lapsed', '')} | "
            f"{s.get('paid', s.get('payments', ''))} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
