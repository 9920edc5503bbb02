"""Import benchmark: a 1,000,000-row list, checked, de-duplicated and committed; import quality.

    .venv/bin/python bench/import_bench.py                       # csv and xlsx, both databases
    .venv/bin/python bench/import_bench.py --db sqlite --format csv --rows 100000
    .venv/bin/python bench/import_bench.py --quality 100000      # injected errors found
    .venv/bin/python bench/import_bench.py --registry 1000000    # into a registry of a million

Each run is a child process on a fresh database (SQLite `var/bench-import.sqlite3`, PostgreSQL
`jaring_bench_import` on the server of `BENCH_PG_URL`; `BENCH_SQLITE` names another file), so
peak memory (ru_maxrss) is that of one import. `--registry N` first loads N other workers of the
same province (untimed): with N at least the list's size the commit fills the registry's
indexes row by row, where into an empty registry it builds them again after the rows.
The timed path is the one `jaring import --commit` takes: keep the file and its hash, read,
normalise, validate, exact duplicates against the registry, store every row's outcome,
probable-duplicate step, commit (workers, and one audit event for the batch) in one transaction.
Files are generated once into var/bench-import/ from the demo generator (region 61, a province).
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import subprocess
import sys
import time
from pathlib import Path

import common

FILES = common.ROOT / "var" / "bench-import"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/jaring_bench_import"
TODAY = dt.date(2026, 11, 1)
# Progress stages of `check_batch` (and the commit) -> the step that starts there.
_STEPS = {
    "upload": "upload",
    "reading": "read",
    "checking": "clean + check",
    "registry": "registry lookup (exact duplicates)",
    "saving": "store rows",
    "duplicates": "probable-duplicate step",
    "commit": "commit",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--format", choices=["csv", "xlsx", "both"], default="both")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--quality", type=int, default=0, help="rows of the quality run")
    parser.add_argument("--registry", type=int, default=0, help="workers registered before")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = quality(args) if args.quality else run(args)
        print(json.dumps(result))
        return
    if args.quality:
        _child(["--db", "sqlite", "--quality", str(args.quality)])
        return
    dbs = ("sqlite", "postgres") if args.db == "both" else (args.db,)
    formats = ("csv", "xlsx") if args.format == "both" else (args.format,)
    for fmt in formats:
        _ensure_file(fmt, args.rows)
    for db in dbs:
        for fmt in formats:
            rows, registry = str(args.rows), str(args.registry)
            _child(["--db", db, "--format", fmt, "--rows", rows, "--registry", registry])


def _child(argv: list[str]) -> None:
    out = subprocess.run(
        [sys.executable, __file__, "--child", *argv], check=True, capture_output=True, text=True
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    print(json.dumps(result, indent=2))


def _setup(db: str) -> None:
    url = common.bench_database(
        db, pg_url=DEFAULT_PG, sqlite_path=common.ROOT / "var" / "bench-import.sqlite3"
    )
    common.setup_django(url, JARING_VAR=str(FILES / "var"))
    from django.conf import settings

    settings.JARING_IMPORT_MAX_BYTES = 1 << 30


def _register_others(n: int) -> None:
    """n workers of the province who are not on the list (other NIKs)."""
    from jaring.demo.synthetic import iter_people, people_frame
    from jaring.registry.bulk import insert_workers

    people = iter_people(n, region="61", seed=99, today=TODAY)
    while chunk := list(itertools.islice(people, 200_000)):
        insert_workers(people_frame(chunk), source="bench: registered before")
    common.analyze()


def _ensure_file(fmt: str, rows: int) -> Path:
    path = FILES / f"people-{rows}.{fmt}"
    if path.exists():
        return path
    sys.path.insert(0, str(common.ROOT / "src"))
    from jaring.demo.inject_errors import as_cells
    from jaring.demo.synthetic import iter_people, people_frame

    FILES.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    cells = as_cells(people_frame(iter_people(rows, region="61", seed=2026, today=TODAY)))
    if fmt == "csv":
        cells.write_csv(path)
    else:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("Data")
        sheet.append(cells.columns)
        for row in cells.iter_rows():
            sheet.append(row)
        book.save(path)
    print(f"wrote {path} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return path


def run(args) -> dict:
    _setup(args.db)
    from django.core.files import File

    from jaring.accounts.models import Role, User
    from jaring.imports import services
    from jaring.registry.models import Worker

    officer = User.objects.create_user("bench-officer", role=Role.PROGRAMME_OFFICER, scope_id="61")
    path = _ensure_file(args.format, args.rows)
    if args.registry:
        _register_others(args.registry)
    server = common.server_cpu()
    # Wall time, this process's CPU and PostgreSQL's (its backend's) when each stage starts.
    marks: dict[str, tuple[float, float, float]] = {
        "upload": (time.perf_counter(), time.process_time(), server())
    }
    load = [common.loadavg()[0]]

    def progress(stage: str, fraction: float) -> None:
        if stage not in marks:
            marks[stage] = (time.perf_counter(), time.process_time(), server())
            load.append(common.loadavg()[0])

    with path.open("rb") as f:
        batch = services.create_batch(actor=officer, upload=File(f), name=path.name)
    progress("reading", 0)
    batch = services.check_batch(batch_id=batch.pk, progress=progress)
    progress("commit", 0)
    batch = services.commit_batch(actor=officer, batch=batch)
    progress("end", 1)
    assert batch.status == "committed", batch.problems
    stages = list(marks.items())
    steps = {
        _STEPS.get(name, name): {
            "wall": round(w2 - w1, 1),
            "cpu": round(c2 - c1, 1),
            **({"server_cpu": round(s2 - s1, 1)} if args.db == "postgres" else {}),
        }
        for (name, (w1, c1, s1)), (_, (w2, c2, s2)) in itertools.pairwise(stages)
    }
    total = marks["end"][0] - marks["upload"][0]
    targeted = total - steps["probable-duplicate step"]["wall"] - steps["upload"]["wall"]
    return {
        "db": args.db,
        "format": args.format,
        "rows": args.rows,
        "file_mb": round(path.stat().st_size / 1e6, 1),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="minutes"),
        "machine": common.describe(common.machine()),
        "database": common.database_version(),
        "registered_before": args.registry,
        "load_avg_1min": load,
        "steps_s": steps,
        "read_check_commit_s": round(targeted, 1),
        "total_s": round(total, 1),
        "peak_rss_mb": common.peak_mb(),
        "counts": {k: v for k, v in batch.counts.items() if v},
        "workers_added": Worker.objects.count() - args.registry,
    }


def quality(args) -> dict:
    """Injected errors on `--quality` rows: the share found with the right reason."""
    _setup(args.db)
    from jaring.demo.inject_errors import spoil
    from jaring.demo.synthetic import iter_people, people_frame
    from jaring.imports.pipeline import analyse

    spoiled = spoil(
        people_frame(iter_people(args.quality, region="61", seed=7, today=TODAY)), seed=7
    )
    path = FILES / f"spoiled-{args.quality}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    spoiled.cells.write_csv(path)
    started = time.perf_counter()
    analysis = analyse(path, region_code="61", today=TODAY)
    elapsed = time.perf_counter() - started
    found = {
        row: {r["code"] for r in json.loads(reasons)}
        for row, reasons in analysis.rows.select("row", "reasons").iter_rows()
        if reasons
    }
    expected = spoiled.expected()
    right = sum(1 for row, e in expected.items() if e.code in found.get(row, ()))
    missed: dict[str, int] = {}
    for row, e in expected.items():
        if e.code not in found.get(row, ()):
            missed[e.kind] = missed.get(e.kind, 0) + 1
    return {
        "rows": args.quality,
        "injected_errors": len(expected),
        "found_with_right_reason": right,
        "share": round(right / len(expected), 5),
        "missed_by_kind": missed,
        "messy_rows": len(spoiled.mess),
        "clean_rows_refused": len(set(found) - set(expected)),
        "check_s": round(elapsed, 1),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="minutes"),
        "machine": common.describe(common.machine()),
        "load_avg": common.loadavg(),
        "peak_rss_mb": common.peak_mb(),
    }


if __name__ == "__main__":
    main()
