"""Enrolment benchmark: eligibility, bulk enrolment, BPJS batch and response for 100,000 workers.

    .venv/bin/python bench/enrolment_bench.py                  # both databases, 100,000 workers
    .venv/bin/python bench/enrolment_bench.py --db sqlite --workers 20000
    .venv/bin/python bench/enrolment_bench.py --db postgres --workers 25000 --answers 2000

Each database is a dedicated one, created and loaded here: SQLite `var/bench_enrolment.sqlite3`,
PostgreSQL `jaring_bench_enrolment` (or BENCH_SQLITE / BENCH_PG_URL). Workers come from the demo
generator in Kota Singkawang (61.72), loaded with `registry.bulk.insert_workers`. One programme
covers every occupation category with room for all; then, timed: the eligibility counts per
reason, the bulk enrolment of every eligible worker (eligibility, quota and budget checks,
INSERT … SELECT, one audit event each), bulk verification and the budget; then the BPJS
exchange as an officer runs it: the submission batch of every verified member as xlsx (rolled
back, to time it without using up the members) and as csv (kept: the members become submitted),
and the branch's response accepting the first `--answers` lines of that batch (all by default),
each with its own KPJ (`exchange_services.import_response`).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import platform
import subprocess
import sys
import time
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/jaring_bench_enrolment"
TODAY = dt.date(2026, 3, 1)
CHUNK = 100_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--workers", type=int, default=100_000)
    parser.add_argument("--region", default="61.72")
    parser.add_argument("--answers", type=int, default=0, help="response rows (0: every line)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.db == "both":
        for db in ("sqlite", "postgres"):
            argv = ["--db", db, "--workers", str(args.workers), "--region", args.region]
            argv += ["--answers", str(args.answers)]
            subprocess.run([sys.executable, __file__, *argv, *(["--json"] * args.json)], check=True)
        return
    result = run(args)
    print(json.dumps(result, indent=2) if args.json else markdown(result))


def _database(db: str) -> str:
    if db == "sqlite":
        path = Path(os.environ.get("BENCH_SQLITE", ROOT / "var" / "bench_enrolment.sqlite3"))
        path.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    url = os.environ.get("BENCH_PG_URL", DEFAULT_PG)
    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url


def _timed(timings: dict, label: str, fn):
    started = time.perf_counter()
    out = fn()
    timings[label] = round(time.perf_counter() - started, 2)
    return out


def run(args) -> dict:
    os.environ["DATABASE_URL"] = _database(args.db)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jaring.settings")
    os.environ.setdefault("JARING_HOME", str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models.functions import Mod

    from jaring.accounts.models import AuditEvent, Role, User
    from jaring.demo.synthetic import iter_people, people_frame
    from jaring.enrolment import exchange_services, services
    from jaring.enrolment.exchange_models import BatchLine
    from jaring.enrolment.models import Membership, MembershipStatus
    from jaring.programs import budget, eligibility
    from jaring.programs.services import CategoryTerms, ProgrammeInput, create_programme
    from jaring.registry.bulk import insert_workers
    from jaring.registry.models import OccupationCategory, Worker

    call_command("migrate", verbosity=0)
    timings: dict[str, float] = {}
    people = iter_people(args.workers, region=args.region, seed=2026, today=TODAY)

    def load():
        while not (frame := people_frame(islice(people, CHUNK))).is_empty():
            insert_workers(frame, source="bench")

    _timed(timings, "load workers (registry.bulk)", load)
    # Some reasons to find: one worker in a hundred recorded dead, an upper age of 60.
    Worker.objects.annotate(r=Mod("id", 100)).filter(r=0).update(died_on=TODAY)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    officer = User.objects.create(
        username="bench-officer", role=Role.PROGRAMME_OFFICER, scope_id=args.region
    )
    n = Worker.objects.count()
    programme = create_programme(
        actor=officer,
        data=ProgrammeInput(
            name="Bench 2026",
            funder="city_apbd",
            participation_code="SG",
            region_code=args.region,
            fiscal_year=2026,
            budget_ceiling=n * 12 * 16_800,
            min_age=18,
            max_age=60,
            categories=[
                CategoryTerms(code, 5, n, 1_000_000)
                for code in OccupationCategory.objects.values_list("code", flat=True)
            ],
        ),
    )
    workers = Worker.objects.filter(regency_code=args.region)
    judge = eligibility.judge(programme, on=TODAY)
    counts = _timed(timings, "eligibility counts per reason", lambda: judge.counts(workers))
    enrolled = _timed(
        timings,
        "bulk enrol (eligibility + quota + budget + insert + audit)",
        lambda: services.enrol(
            actor=officer, programme=programme, workers=workers, only_eligible=True, on=TODAY
        ),
    )
    verified = _timed(
        timings,
        "bulk verify (audited)",
        lambda: services.verify(
            actor=officer, memberships=Membership.objects.filter(programme=programme)
        ),
    )
    _timed(timings, "programme budget", lambda: budget.programme_budget(programme, on=TODAY))
    load_during = [os.getloadavg()[0]]

    def export(file_format: str):
        return exchange_services.export_batch(
            actor=officer, programme_id=programme.pk, file_format=file_format
        )

    def export_rolled_back(file_format: str):
        with transaction.atomic():
            out = export(file_format)
            transaction.set_rollback(True)
        return out

    xlsx = _timed(timings, "batch export, xlsx (rolled back)", lambda: export_rolled_back("xlsx"))
    batch = _timed(timings, "batch export, csv (members become submitted)", lambda: export("csv"))
    load_during.append(os.getloadavg()[0])
    lines = BatchLine.objects.filter(batch=batch.batch).order_by("id")
    answers = lines[: args.answers] if args.answers else lines
    data = _response_csv(answers.values_list("nik", "membership_id"))
    report = _timed(
        timings,
        "response import, all accepted (KPJ, cover dates, audit)",
        lambda: exchange_services.import_response(
            actor=officer, programme_id=programme.pk, data=data, file_name="jawaban.csv"
        ),
    )
    load_during.append(os.getloadavg()[0])
    active = Membership.objects.filter(programme=programme, status=MembershipStatus.ACTIVE)
    return {
        "db": args.db,
        "database": connection.vendor + " " + _version(connection),
        "date": dt.datetime.now().isoformat(timespec="minutes"),
        "machine": _machine(),
        "load_average": [round(x, 1) for x in load_during],
        "workers": n,
        "eligible": counts["eligible"],
        "ineligible_by_reason": {k: v for k, v in counts.items() if k not in {"total", "eligible"}},
        "enrolled": enrolled,
        "verified": verified,
        "batch_lines": batch.batch.line_count,
        "batch_bytes": {"xlsx": len(xlsx.content), "csv": len(batch.content)},
        "answered": report.accepted,
        "active": active.count(),
        "audit_events": AuditEvent.objects.filter(action__startswith="membership.").count(),
        "timings_s": timings,
    }


def _response_csv(lines) -> bytes:
    """The branch's answer: every line accepted today with a KPJ of its own."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["nik", "kpj", "status", "reason", "start_date"])
    for nik, membership_id in lines:
        writer.writerow([nik, f"26{membership_id:09d}", "diterima", "", TODAY.isoformat()])
    return out.getvalue().encode()


def _machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    kib = int(Path("/proc/meminfo").read_text().split()[1])
    return (
        f"{cpu}, {os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0))}), "
        f"{kib / 2**20:.0f} GiB, Python {platform.python_version()}"
    )


def _version(connection) -> str:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version"
        )
        return cur.fetchone()[0]


def markdown(r: dict) -> str:
    lines = [
        f"### Enrolment, {r['database']} — {r['workers']:,} workers ({r['date']}, {r['machine']})",
        "",
        f"Load average (1 min) after budget / export / import: {r['load_average']}.",
        f"Eligible {r['eligible']:,}; enrolled {r['enrolled']:,}; verified {r['verified']:,}; "
        f"batch {r['batch_lines']:,} lines (xlsx {r['batch_bytes']['xlsx']:,} B, csv "
        f"{r['batch_bytes']['csv']:,} B); accepted {r['answered']:,}, active {r['active']:,}; "
        f"audit events {r['audit_events']:,}. Ineligible by reason: "
        + ", ".join(f"{k} {v:,}" for k, v in r["ineligible_by_reason"].items() if v),
        "",
        "| step | seconds |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in r["timings_s"].items()),
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
