"""Enrolment benchmark: eligibility, bulk enrolment, BPJS batch and response for 100,000 workers.

    .venv/bin/python bench/enrolment_bench.py                  # both databases, 100,000 workers
    .venv/bin/python bench/enrolment_bench.py --db sqlite --workers 20000
    .venv/bin/python bench/enrolment_bench.py --db postgres --workers 25000 --answers 2000
    .venv/bin/python bench/enrolment_bench.py --db sqlite --profile bpjs-kolektif

Each database is a dedicated one, created and loaded here: SQLite `var/bench_enrolment.sqlite3`,
PostgreSQL `jaring_bench_enrolment` (or BENCH_SQLITE / BENCH_PG_URL). Workers come from the demo
generator in Kota Singkawang (61.72), loaded with `registry.bulk.insert_workers`. One programme
covers every occupation category with room for all; then, timed: the eligibility counts per
reason, the bulk enrolment of every eligible worker (eligibility, quota and budget checks,
INSERT … SELECT, one audit event each), bulk verification and the budget; then the BPJS
exchange as an officer runs it: the submission batch of every verified member as xlsx (rolled
back, to time it without using up the members) and as csv (kept: the members become submitted),
and the branch's response accepting the first `--answers` lines of that batch (all by default),
each with its own KPJ (`exchange_services.import_response`). `--profile bpjs-kolektif` exports
BPJS's collective form and reads the branch's answer in it: the exported sheet sent back with
NO KPJ and TGL MULAI filled in and a KETERANGAN column (the generated workers have no place of
birth, marital status, email or mother's name: those cells are empty).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from itertools import islice

import common

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/jaring_bench_enrolment"
TODAY = dt.date(2026, 3, 1)
CHUNK = 100_000


def main() -> None:
    parser = common.parser(__doc__)
    parser.add_argument("--workers", type=int, default=100_000)
    parser.add_argument("--region", default="61.72")
    parser.add_argument("--answers", type=int, default=0, help="response rows (0: every line)")
    parser.add_argument("--profile", default=None, help="export profile (default: jaring)")
    args = parser.parse_args()
    common.report(__file__, args, run, markdown)


def _timed(timings: dict, label: str, fn):
    clock = common.Clock()
    out = fn()
    timings[label] = clock.read()
    return out


def run(args) -> dict:
    sqlite_path = common.ROOT / "var" / "bench_enrolment.sqlite3"
    common.setup_django(common.bench_database(args.db, pg_url=DEFAULT_PG, sqlite_path=sqlite_path))
    from django.db import transaction
    from django.db.models.functions import Mod

    from jaring.accounts.models import AuditEvent, Role, User
    from jaring.demo.synthetic import iter_people, people_frame
    from jaring.enrolment import eligibility, services
    from jaring.enrolment.exchange import services as exchange_services
    from jaring.enrolment.exchange.models import BatchLine
    from jaring.enrolment.models import Membership, MembershipStatus
    from jaring.enrolment.selectors import programme_budget
    from jaring.programs.services import CategoryTerms, ProgrammeInput, create_programme
    from jaring.registry.bulk import insert_workers
    from jaring.registry.models import OccupationCategory, Worker

    timings: dict[str, dict] = {}
    people = iter_people(args.workers, region=args.region, seed=2026, today=TODAY)

    def load():
        while not (frame := people_frame(islice(people, CHUNK))).is_empty():
            insert_workers(frame, source="bench")

    _timed(timings, "load workers (registry.bulk)", load)
    # Some reasons to find: one worker in a hundred recorded dead, an upper age of 60.
    Worker.objects.annotate(r=Mod("id", 100)).filter(r=0).update(died_on=TODAY)
    common.analyze()
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
    _timed(timings, "programme budget", lambda: programme_budget(programme, on=TODAY))
    load_during = [common.loadavg()[0]]

    def export(file_format: str):
        return exchange_services.export_batch(
            actor=officer, programme_id=programme.pk, file_format=file_format, profile=args.profile
        )

    def export_rolled_back(file_format: str):
        with transaction.atomic():
            out = export(file_format)
            transaction.set_rollback(True)
        return out

    xlsx = _timed(timings, "batch export, xlsx (rolled back)", lambda: export_rolled_back("xlsx"))
    batch = _timed(timings, "batch export, csv (members become submitted)", lambda: export("csv"))
    load_during.append(common.loadavg()[0])
    lines = BatchLine.objects.filter(batch=batch.batch).order_by("id")
    answers = lines[: args.answers] if args.answers else lines
    if args.profile == "bpjs-kolektif":
        data = _kolektif_response(batch.content, args.answers)
    else:
        data = _response_csv(answers.values_list("nik", "membership_id"))
    report = _timed(
        timings,
        "response import, all accepted (KPJ, cover dates, audit)",
        lambda: exchange_services.import_response(
            actor=officer,
            programme_id=programme.pk,
            data=data,
            file_name="jawaban.csv",
            profile=args.profile,
        ),
    )
    load_during.append(common.loadavg()[0])
    active = Membership.objects.filter(programme=programme, status=MembershipStatus.ACTIVE)
    return {
        "db": args.db,
        "profile": args.profile or "jaring",
        "database": common.database_version(),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="minutes"),
        "machine": common.machine(),
        "load_average": load_during,
        "peak_mb": common.peak_mb(),
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


def _kolektif_response(content: bytes, answers: int) -> bytes:
    """The collective form as the branch sends it back: NO KPJ and TGL MULAI (the acceptance
    day) filled in, KETERANGAN added."""
    header, *rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    kpj, start = header.index("NO KPJ"), header.index("TGL MULAI")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*header, "KETERANGAN"])
    for i, row in enumerate(rows[:answers] if answers else rows, start=1):
        row[kpj], row[start] = f"26{i:09d}", TODAY.strftime("%d-%m-%Y")
        writer.writerow([*row, ""])
    return out.getvalue().encode()


def markdown(r: dict) -> str:
    lines = [
        f"### Enrolment, {r['database']} — {r['workers']:,} workers, profile "
        f"{r.get('profile', 'jaring')} ({r['date']})",
        "",
        f"{common.describe(r['machine'])}. Load average (1 min) after budget / export / "
        f"import: {r['load_average']}; peak {r['peak_mb']} MiB.",
        f"Eligible {r['eligible']:,}; enrolled {r['enrolled']:,}; verified {r['verified']:,}; "
        f"batch {r['batch_lines']:,} lines (xlsx {r['batch_bytes']['xlsx']:,} B, csv "
        f"{r['batch_bytes']['csv']:,} B); accepted {r['answered']:,}, active {r['active']:,}; "
        f"audit events {r['audit_events']:,}. Ineligible by reason: "
        + ", ".join(f"{k} {v:,}" for k, v in r["ineligible_by_reason"].items() if v),
        "",
        "| step | wall s | CPU s | server CPU s |",
        "|---|---:|---:|---:|",
        *(
            f"| {k} | {v['wall']} | {v['cpu']} | {v['server_cpu']} |"
            for k, v in r["timings_s"].items()
        ),
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
