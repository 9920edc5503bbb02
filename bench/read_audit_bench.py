"""Read audit benchmark: what recording a read adds to the export of a city's workers.

    .venv/bin/python bench/read_audit_bench.py                   # both databases, 11,504 workers
    .venv/bin/python bench/read_audit_bench.py --db sqlite --workers 2000

A city of `--workers` (default 11,504, Pontianak's officer export in issue 14) is loaded into a
dedicated database (SQLite `var/bench_reads.sqlite3`, PostgreSQL `jaring_bench_reads`). Timed:
the whole `GET /workers/export.csv` (with a reason, streamed to its last byte) through Django's
test Client as the city's programme officer, which records one read; `accounts.audit.record_read`
alone for that export (one INSERT) and for a list page of 25 (the event and its 25 NIKs).
"""

from __future__ import annotations

import datetime as dt
import sys
import time

import common

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/jaring_bench_reads"
TODAY = dt.date(2026, 1, 1)


def main() -> None:
    parser = common.parser(__doc__)
    parser.add_argument("--workers", type=int, default=11_504)
    parser.add_argument("--region", default="61.72", help="the city (61.72)")
    parser.add_argument("--exports", type=int, default=10, help="exports timed (10)")
    parser.add_argument("--records", type=int, default=300, help="record_read calls timed (300)")
    args = parser.parse_args()
    common.report(__file__, args, run, markdown)


def run(args) -> dict:
    loadavg_before = common.loadavg()
    url = common.bench_database(
        args.db, pg_url=DEFAULT_PG, sqlite_path=common.ROOT / "var" / "bench_reads.sqlite3"
    )
    common.setup_django(url)

    from jaring.accounts import audit
    from jaring.accounts.models import ReadEvent, Role, User
    from jaring.demo.synthetic import iter_people, people_frame
    from jaring.registry.bulk import insert_workers
    from jaring.registry.models import Worker

    people = iter_people(args.workers, region=args.region, seed=2026, today=TODAY)
    insert_workers(people_frame(people), source="bench")
    common.analyze(vacuum=True)
    officer = User.objects.create(
        username="bench-officer", role=Role.PROGRAMME_OFFICER, scope_id=args.region
    )
    client = common.logged_in_client(officer)

    def export() -> int:
        response = client.post("/workers/export.csv", {"reason": "benchmark"})
        assert response.status_code == 200 and response.streaming, response.status_code
        return sum(len(chunk) for chunk in response.streaming_content)

    size = export()  # warm
    times = []
    for _ in range(args.exports):
        started = time.perf_counter()
        export()
        times.append((time.perf_counter() - started) * 1000)
    assert ReadEvent.objects.filter(records=args.workers).count() == args.exports + 1

    niks = list(Worker.objects.values_list("nik", flat=True)[:25])
    timed = {}
    for case, kwargs in {
        "record_read, export": {"records": args.workers},
        "record_read, page of 25": {"records": 25, "niks": niks},
    }.items():
        calls = []
        for _ in range(args.records):
            started = time.perf_counter()
            audit.record_read(actor=officer, what="GET /bench", **kwargs)
            calls.append((time.perf_counter() - started) * 1000)
        timed[case] = common.percentiles(calls)
        print(f"  {case}: {timed[case]}", file=sys.stderr)
    export_ms = common.percentiles(times)
    return {
        "db": args.db,
        "database": common.database_version(),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="minutes"),
        "machine": common.machine(),
        "workers": args.workers,
        "export_mb": round(size / 2**20, 2),
        "export_ms": export_ms,
        "record_ms": timed,
        "overhead_pct": round(100 * timed["record_read, export"]["p50"] / export_ms["p50"], 3),
        "loadavg_before": loadavg_before,
        "loadavg_after": common.loadavg(),
    }


def markdown(r: dict) -> str:
    rec = r["record_ms"]
    return "\n".join(
        [
            f"### {r['database']}, export of {r['workers']:,} workers ({r['date']})",
            f"{common.describe(r['machine'])}; load {r['loadavg_before']} → {r['loadavg_after']}",
            "",
            "| | p50 ms | p95 ms | max ms |",
            "|---|---:|---:|---:|",
            *(
                f"| {name} | {t['p50']} | {t['p95']} | {t['max']} |"
                for name, t in {"export.csv, whole": r["export_ms"], **rec}.items()
            ),
            "",
            f"Export {r['export_mb']} MB; its read event is {r['overhead_pct']} % of its time.",
        ]
    )


if __name__ == "__main__":
    main()
