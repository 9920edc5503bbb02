"""The monthly self-payment run with auto-debit, and 100,000 reminders through a fake gateway.

    .venv/bin/python bench/autodebit_bench.py                       # both databases, 1,000,000
    .venv/bin/python bench/autodebit_bench.py --db sqlite --members 100000
    .venv/bin/python bench/autodebit_bench.py --db postgres --reuse     # keep workers

Each database is a dedicated one (SQLite `var/autodebit_bench.sqlite3`, PostgreSQL
`jaring_autodebit_bench`). Set-up as bench/continuity_bench.py: workers from the demo generator,
every one an active self-paid cover from January 2026 at the minimum base (every tenth with
JHT); 40 % of them (cover id mod 10 < 4) have an auto-debit mandate at the generic bank
(INSERT … SELECT, not timed).

Timed, January to May 2026, each month as `jaring selfpay run` and `jaring autodebit` do it:
the monthly run (lapses, then the month's rows for every member), the bank's instruction file
(lines INSERT … SELECT, the CSV written), the bank's result file read back (95 % debited, 5 %
"51 saldo tidak cukup", every one of those a reminder queued), and the other 60 % paying by
cash or bank (simulated, one UPDATE, as in continuity_bench). Members with cover id mod 100 in
(0, 1, 2) never pay: their debits fail, they lapse in May. Then the outbox: 100,000 reminders
queued and sent through a local fake HTTP gateway (tests/notify/gateway.py's server), with
throughput and the process's peak memory.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
import time

import common
import continuity_bench

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/jaring_autodebit_bench"
MESSAGES = 100_000


def main() -> None:
    parser = common.parser(__doc__)
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--region", default="61")
    parser.add_argument("--months", type=int, default=5)
    parser.add_argument("--messages", type=int, default=MESSAGES)
    parser.add_argument("--reuse", action="store_true", help="keep loaded workers")
    args = parser.parse_args()
    common.report(__file__, args, run, markdown)


def run(args) -> dict:
    url = common.bench_database(
        args.db,
        pg_url=DEFAULT_PG,
        sqlite_path=common.ROOT / "var" / "autodebit_bench.sqlite3",
        fresh=not args.reuse,
    )
    common.setup_django(url)
    _clear()
    setup = continuity_bench._setup(args.members, args.region)
    setup["mandates"] = _mandates()
    common.analyze()
    steps = _measure(args.months)
    steps += _messages(args.messages)
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


def _clear() -> None:
    from django.db import connection

    from jaring.autodebit.models import DebitBatch, DebitLine, Mandate, ResultImport
    from jaring.notify.models import Message

    with connection.cursor() as cur:
        for model in (DebitLine, DebitBatch, ResultImport, Mandate, Message):
            cur.execute(f"DELETE FROM {model._meta.db_table}")


def _mandates() -> int:
    from django.db import connection
    from django.utils import timezone

    from jaring.autodebit.models import Mandate
    from jaring.continuity.models import SelfPayCover

    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cur:
        cur.execute(
            f"""
            INSERT INTO {Mandate._meta.db_table} (cover_id, bank, account_masked,
                bank_mandate_ref, debit_day, status, consent_date, consent_document,
                province_code, regency_code, district_code, village_id, created_at)
            SELECT id, 'generic', '••••1234', 'M' || id, 10, 'active', %s, 'bench',
                province_code, regency_code, district_code, village_id, %s
            FROM {SelfPayCover._meta.db_table} WHERE id %% 10 < 4
            """,
            [dt.date(2025, 12, 1), now],
        )
        return cur.rowcount


def _result_file(data: bytes) -> bytes:
    """The bank's answer: 95 % debited, 5 % and every never-paying member refused."""
    import csv

    lines = data.decode().splitlines()[1:]
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["REFERENSI", "STATUS", "KETERANGAN", "REF_BANK"])
    for i, line in enumerate(csv.reader(lines)):
        ref, mandate = line[0], int(line[1][1:])  # mandate ref "M" + cover id
        fails = mandate % 100 in (0, 1, 2) or i % 20 == 7
        w.writerow([ref, "51" if fails else "00", "Saldo tidak cukup" if fails else "", f"B{i}"])
    return out.getvalue().encode()


def _others_pay(period: int) -> int:
    """The members without a mandate pay (simulated as continuity_bench: one UPDATE each)."""
    from django.db import connection

    from jaring.continuity.models import SelfPayCover, SelfPayMonth

    m, c = SelfPayMonth._meta.db_table, SelfPayCover._meta.db_table
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {m} SET status = 'paid' WHERE status = 'due' AND period <= %s "
            "AND cover_id %% 10 >= 4 AND cover_id %% 100 NOT IN (0, 1, 2)",
            [period],
        )
        paid = cur.rowcount
        cur.execute(
            f"UPDATE {c} SET paid_through = %s WHERE status = 'active' AND paid_through < %s "
            f"AND id %% 10 >= 4 AND NOT EXISTS (SELECT 1 FROM {m} x WHERE x.cover_id = {c}.id "
            "AND x.status = 'due' AND x.period <= %s)",
            [period, period, period],
        )
    return paid


def _measure(months: int) -> list[dict]:
    from django.db import transaction

    from jaring.accounts.scope import SYSTEM
    from jaring.autodebit import services as autodebit
    from jaring.continuity import services

    steps = []

    def timed(name: str, call):
        clock = common.Clock()
        value = call()
        spent = clock.read()
        steps.append({"step": name, **spent} | (value or {}))
        print(f"  {name}: {spent} {value or ''}", file=sys.stderr)
        return value

    for number in range(1, months + 1):
        month = dt.date(2026, number, 1)
        period = month.year * 12 + month.month - 1
        state: dict = {}

        def whole_month(month=month, period=period, state=state):
            r = services.run_month(actor=SYSTEM, month=month, as_of=month)
            with transaction.atomic():
                batch = autodebit.make_debit_file(
                    actor=SYSTEM, bank="generic", month=month, debit_date=month.replace(day=10)
                )
                data = autodebit.debit_file(batch)
            result = _result_file(data)  # the bank's side, inside the timing
            _, counts = autodebit.import_results(
                actor=SYSTEM,
                bank="generic",
                data=result,
                file_name=f"hasil-{month:%Y-%m}.csv",
                paid_on=month.replace(day=10),
            )
            others = _others_pay(period)
            return {
                "billed": r.billed,
                "lapsed": r.lapsed,
                "debit_lines": batch.lines,
                "file_mb": round(len(data) / 2**20, 1),
                "debited": counts.paid,
                "debit_failed": counts.failed,
                "reminders": counts.reminders,
                "paid": others,
            }

        timed(f"{month:%B}: run, debit file out, result file in, others pay", whole_month)
    return steps


def _serve(ready, received) -> None:
    """The fake gateway in its own process (no GIL shared with the sender)."""
    from tests.notify.gateway import FakeGateway

    with FakeGateway() as gw:
        ready.put(gw.url)
        while True:
            received.value = len(gw.received)
            time.sleep(0.2)


def _messages(n: int) -> list[dict]:
    import multiprocessing
    import resource

    from django.utils import timezone

    from jaring.accounts.scope import SYSTEM
    from jaring.notify import services
    from jaring.notify.channels import HttpGateway
    from jaring.notify.models import Message

    sys.path.insert(0, str(common.ROOT))
    Message.objects.all().delete()
    noon = timezone.make_aware(dt.datetime(2026, 6, 10, 10, 0))
    steps = []
    items = (
        services.Outgoing(
            key=f"bench:{i}",
            template="due_soon",
            phone=f"+62812{i:08d}",
            values={
                "name": f"Peserta {i}",
                "month": "2026-06",
                "amount": "Rp8.400",
                "due_date": "15-06-2026",
            },
            regency_code="61.72",
        )
        for i in range(n)
    )
    clock = common.Clock()
    queued = services.queue(items, now=noon)
    steps.append({"step": f"{n:,} reminders queued", **clock.read(), "paid": queued.queued})
    print(f"  queued {queued.as_dict()} {steps[-1]}", file=sys.stderr)
    ctx = multiprocessing.get_context("fork")
    ready, received = ctx.Queue(), ctx.Value("q", 0)
    server = ctx.Process(target=_serve, args=(ready, received), daemon=True)
    server.start()
    url = ready.get(timeout=30)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    clock = common.Clock()
    result = services.send_due(actor=SYSTEM, now=noon, adapter=HttpGateway(url, "t"))
    spent = clock.read()
    wall = time.perf_counter() - started
    time.sleep(0.5)
    got = received.value
    server.terminate()
    steps.append(
        {
            "step": f"{n:,} reminders sent through the fake gateway (own process)",
            **spent,
            "paid": result.sent,
            "per_second": round(result.sent / wall),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "peak_rss_growth_mb": round(
                (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024, 1
            ),
            "received": got,
        }
    )
    print(f"  sent {steps[-1]}", file=sys.stderr)
    return steps


def markdown(r: dict) -> str:
    lines = [
        f"### {r['database']}, {r['members']:,} self-paying members, 40 % by auto-debit",
        "",
        f"{r['date']}; {common.describe(r['machine'])}; load average before "
        f"{r['loadavg_before']}, after {r['loadavg_after']}; peak {r['peak_mb']} MiB. "
        f"Setup: {json.dumps(r['setup'])}",
        "",
        "| step | wall s | CPU s | server CPU s | what |",
        "|---|---:|---:|---:|---|",
    ]
    for s in r["steps"]:
        what = {k: v for k, v in s.items() if k not in ("step", "wall", "cpu", "server_cpu")}
        lines.append(
            f"| {s['step']} | {s['wall']} | {s['cpu']} | {s['server_cpu']} | {json.dumps(what)} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
