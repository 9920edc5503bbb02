"""Probable-duplicate benchmark: quality on 100,000 rows, speed on a 1,000,000-worker registry.

    .venv/bin/python bench/dedupe_bench.py quality                 # 100k rows, no database
    .venv/bin/python bench/dedupe_bench.py registry --db sqlite    # load 1M workers (+ truth)
    .venv/bin/python bench/dedupe_bench.py full --db sqlite        # jaring dedupe --retrain
    .venv/bin/python bench/dedupe_bench.py upload --db sqlite      # 35k rows vs the registry
    .venv/bin/python bench/dedupe_bench.py all --db both           # everything, each step in
                                                                   # its own process

Quality: `generate_people` (Kota Singkawang, a dense city list) plus 20 % injected copies
(`demo.inject_duplicates`: name typos, swapped names, titles, wrong dates, mistyped or missing
NIKs, other villages, other or missing phones); the model is trained on the rows themselves and
pairs are compared with the injected truth.

Speed: a registry of about a million workers in Kalimantan Barat (a province is where a
registry reaches a million), with 18 % copies whose NIKs are mistyped but valid (the registry's
NIKs are required and unique). `full` trains a model and runs detection over the registry through
`services.run_dedupe`; `upload` checks an import batch of 35,000 rows (20 % copies of registered
workers with mistyped or missing NIKs, 4 % new people typed twice with a mistyped NIK, the rest
new people) with the saved model through `services.find_probable_duplicates_for_batch`, against
the registry and within the file, timed per part. Each step runs in its own process and reports its
own peak memory (ru_maxrss). Databases: SQLite `var/bench-dedupe.sqlite3`, PostgreSQL
`jaring_bench_dedupe` on the server of `BENCH_PG_URL`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import common

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/jaring_bench_dedupe"
TODAY = dt.date(2026, 11, 22)
THRESHOLD_DEFAULT = None  # the service's default (JARING_DEDUPE_THRESHOLD, else 0.8)


def _setup_django(db: str, fresh: bool) -> None:
    sqlite_path = common.ROOT / "var" / "bench-dedupe.sqlite3"
    common.setup_django(
        common.bench_database(db, pg_url=DEFAULT_PG, sqlite_path=sqlite_path, fresh=fresh)
    )


def _truth_path(db: str) -> Path:
    return common.ROOT / "var" / f"bench-dedupe-{db}-truth.parquet"


def _scores(found: set[tuple], truth: set[tuple]) -> dict[str, float]:
    hits = len(found & truth)
    return {
        "pairs_found": len(found),
        "true_pairs": len(truth),
        "precision": round(hits / len(found), 4) if found else 0.0,
        "recall": round(hits / len(truth), 4) if truth else 0.0,
    }


# --- steps ---------------------------------------------------------------------------------------


def quality(args) -> dict:
    import polars as pl

    from jaring.dedupe import linkage
    from jaring.demo.inject_duplicates import inject_duplicates, true_pairs
    from jaring.demo.synthetic import iter_people, people_frame

    threshold = args.threshold or linkage.DEFAULT_THRESHOLD
    start = time.perf_counter()
    # --rows counts the copies too: originals plus 20 % copies make --rows.
    originals = round(args.rows / 1.2)
    people = people_frame(iter_people(originals, region="61.72", seed=args.seed, today=TODAY))
    frame, truth = inject_duplicates(people, rate=0.2, seed=args.seed + 1, today=TODAY)
    frame = frame.rename({"record_id": "unique_id"})
    generated = time.perf_counter() - start
    start = time.perf_counter()
    model = linkage.train(frame)
    trained = time.perf_counter() - start
    start = time.perf_counter()
    pairs = linkage.score_registry(frame, model, threshold=min(threshold, 0.5))
    scored = time.perf_counter() - start
    truth_pairs = true_pairs(truth)
    by_threshold = {}
    for t in sorted({0.5, 0.8, 0.9, 0.95, 0.99, threshold}):
        above = pairs.filter(pl.col("match_probability") >= t)
        found = {
            (min(a, b), max(a, b)) for a, b in above.select("unique_id_l", "unique_id_r").rows()
        }
        by_threshold[str(t)] = _scores(found, truth_pairs)
    return {
        "step": "quality",
        "rows": len(frame),
        "seed": args.seed,
        "threshold": threshold,
        "at_threshold": by_threshold[str(threshold)],
        "by_threshold": by_threshold,
        "seconds": {
            "generate": round(generated, 1),
            "train": round(trained, 1),
            "predict": round(scored, 1),
        },
        "peak_mb": common.peak_mb(),
    }


def registry(args) -> dict:
    import polars as pl

    from jaring.demo.inject_duplicates import inject_duplicates
    from jaring.demo.synthetic import iter_people, people_frame
    from jaring.registry.bulk import insert_workers
    from jaring.registry.models import Worker

    if Worker.objects.exists():
        raise SystemExit("the bench database already holds workers")
    originals = round(args.workers / 1.18)
    start = time.perf_counter()
    people = people_frame(iter_people(originals, region="61", seed=7, today=TODAY))
    frame, truth = inject_duplicates(people, rate=0.18, seed=8, registry_safe=True, today=TODAY)
    generated = time.perf_counter() - start
    start = time.perf_counter()
    insert_workers(frame.drop("record_id"), source="bench")
    loaded = time.perf_counter() - start
    niks = frame.select("record_id", "nik")
    pairs = (
        truth.select("record_id", "original_id")
        .join(niks, on="record_id")
        .join(niks.rename({"record_id": "original_id", "nik": "original_nik"}), on="original_id")
        .select(pl.col("nik"), pl.col("original_nik"))
    )
    pairs.write_parquet(_truth_path(args.db))
    return {
        "step": "registry",
        "workers": len(frame),
        "copies": len(truth),
        "seconds": {"generate": round(generated, 1), "load": round(loaded, 1)},
        "peak_mb": common.peak_mb(),
    }


def _nik_truth(db: str) -> set[frozenset]:
    import polars as pl

    return {frozenset(p) for p in pl.read_parquet(_truth_path(db)).rows()}


def full(args) -> dict:
    from jaring.dedupe import services
    from jaring.dedupe.models import ProbableDuplicate

    ProbableDuplicate.objects.all().delete()
    start = time.perf_counter()
    run = services.run_dedupe(threshold=args.threshold, retrain=True)
    seconds = time.perf_counter() - start
    found = {
        frozenset((a, b))
        for a, b in ProbableDuplicate.objects.filter(other_worker__isnull=False).values_list(
            "worker__nik", "other_worker__nik"
        )
    }
    return {
        "step": "full",
        "seconds": round(seconds, 1),
        "summary": run.summary,
        **_scores(found, _nik_truth(args.db)),
        "peak_mb": common.peak_mb(),
    }


def upload(args) -> dict:
    import polars as pl

    from jaring.accounts.models import Role, User
    from jaring.dedupe import frames, services
    from jaring.dedupe.models import DedupeModel, ProbableDuplicate
    from jaring.demo.inject_duplicates import inject_duplicates
    from jaring.demo.synthetic import iter_people, people_frame
    from jaring.imports.models import ImportBatch, ImportRow, Outcome

    if not DedupeModel.objects.exists():
        raise SystemExit("no saved model: run the `full` step first")
    registered = frames.registry_frame()
    taken = set(registered["nik"].to_list())
    sample = registered.sample(n=args.upload // 5, seed=3)
    copies, injected = inject_duplicates(sample.drop("unique_id"), rate=1.0, seed=4, today=TODAY)
    copies = copies.filter(pl.col("record_id") >= len(sample))
    ids = sample["unique_id"].to_list()
    origin = {r: ids[o] for r, o in injected.select("record_id", "original_id").rows()}
    # A copy whose NIK was kept is an exact duplicate (the import's own check), not ours.
    copies = copies.filter(~pl.col("nik").is_in(list(taken)) | pl.col("nik").is_null())
    # New people: generated with another seed, minus those whose NIK happens to be registered;
    # 4 % of them are typed twice, the second time with a mistyped (still valid) NIK and the
    # usual other errors: probable duplicates within the file.
    twice = args.upload // 25
    wanted = args.upload - len(copies) - twice
    new = people_frame(iter_people(2 * wanted, region="61", seed=99, today=TODAY))
    new = new.filter(~pl.col("nik").is_in(list(taken))).head(wanted)
    doubled, twins = inject_duplicates(
        new.head(twice), rate=1.0, seed=5, registry_safe=True, today=TODAY
    )
    used = taken | set(new["nik"].to_list())
    doubled = doubled.filter((pl.col("record_id") >= twice) & ~pl.col("nik").is_in(list(used)))
    admin = User.objects.filter(role=Role.ADMIN).first() or User.objects.create_user(
        "bench-admin", role=Role.ADMIN, is_superuser=True
    )
    batch = ImportBatch.objects.create(
        created_by=admin, original_name="bench.csv", size=0, sha256="bench", file_format="csv"
    )
    fields = ("nik", "full_name", "birth_date", "sex", "village_code", "phone")
    listed = [
        *copies.select(*fields, "record_id").iter_rows(named=True),
        *new.select(*fields).iter_rows(named=True),
        *doubled.select(*fields, pl.col("record_id").alias("twin_id")).iter_rows(named=True),
    ]
    rows, truth_rows, twin_rows = [], {}, {}
    first_new = len(copies) + 2
    twin_of = dict(twins.select("record_id", "original_id").rows())
    for i, row in enumerate(listed):
        rows.append(
            ImportRow(
                batch=batch,
                row_number=i + 2,
                outcome=Outcome.NEW,
                **{f: (row[f] or ("" if f != "birth_date" else None)) for f in fields},
            )
        )
        if "record_id" in row:
            truth_rows[i + 2] = origin[row["record_id"]]
        if "twin_id" in row:
            twin_rows[i + 2] = first_new + twin_of[row["twin_id"]]
    ImportRow.objects.bulk_create(rows, batch_size=5000)
    row_ids = dict(ImportRow.objects.filter(batch=batch).values_list("row_number", "id"))
    # A copy matches the worker it was made from and that worker's own registered duplicates.
    same_person: dict[int, set[int]] = {}
    worker_of = dict(registered.select("nik", "unique_id").rows())
    for pair in _nik_truth(args.db):
        a, b = (worker_of[n] for n in pair)
        same_person.setdefault(a, {a}).add(b)
        same_person.setdefault(b, {b}).add(a)
    truth = {
        (row_ids[n], other) for n, w in truth_rows.items() for other in same_person.get(w, {w})
    }
    # Within the file: each twin and its original, and two copies of one registered person.
    within_truth = {frozenset((row_ids[a], row_ids[b])) for a, b in twin_rows.items()}
    by_person: dict[int, list[int]] = {}
    for n, w in truth_rows.items():
        by_person.setdefault(min(same_person.get(w, {w})), []).append(row_ids[n])
    within_truth |= {
        frozenset((a, b)) for group in by_person.values() for a in group for b in group if a < b
    }
    timings: dict[str, float] = {}
    clock = common.Clock()
    queued = services.find_probable_duplicates_for_batch(batch_id=batch.pk, timings=timings)
    spent = clock.read()
    pairs = ProbableDuplicate.objects.filter(batch_id=batch.pk)
    found = set(pairs.filter(worker__isnull=False).values_list("import_row_id", "worker_id"))
    found_within = {
        frozenset(p)
        for p in pairs.filter(other_import_row__isnull=False).values_list(
            "import_row_id", "other_import_row_id"
        )
    }
    return {
        "step": "upload",
        "rows": len(rows),
        "registry": len(registered),
        "copies": len(truth),
        "typed_twice": len(twin_rows),
        "pairs_queued": queued,
        "seconds": spent["wall"],
        "cpu_s_check": spent["cpu"],
        "server_cpu_s_check": spent["server_cpu"],
        "timings": timings,
        **_scores(found, truth),
        "within_file": _scores(found_within, within_truth),
        "peak_mb": common.peak_mb(),
    }


STEPS = {"quality": quality, "registry": registry, "full": full, "upload": upload}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("step", choices=[*STEPS, "all"])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--rows", type=int, default=100_000, help="quality rows (100,000)")
    parser.add_argument("--workers", type=int, default=1_000_000, help="registry size")
    parser.add_argument("--upload", type=int, default=35_000, help="upload rows (35,000)")
    parser.add_argument("--threshold", type=float, default=THRESHOLD_DEFAULT)
    parser.add_argument("--seed", type=int, default=1, help="quality data seed (1)")
    args = parser.parse_args()
    if args.step == "all" or args.db == "both":
        steps = ["quality", "registry", "full", "upload"] if args.step == "all" else [args.step]
        dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
        for db in dbs:
            for step in steps:
                if step == "quality" and db != dbs[0]:
                    continue
                argv = [step, "--db", db, "--rows", str(args.rows), "--workers", str(args.workers)]
                argv += ["--upload", str(args.upload)]
                if args.threshold:
                    argv += ["--threshold", str(args.threshold)]
                subprocess.run([sys.executable, __file__, *argv], check=True)
        return
    sys.path.insert(0, str(common.ROOT / "src"))
    if args.step != "quality":
        _setup_django(args.db, fresh=args.step == "registry")
    load = common.loadavg()
    cpu = time.process_time()
    result = STEPS[args.step](args)
    result.update(
        db=args.db if args.step != "quality" else None,
        machine=common.describe(common.machine()),
        date=dt.datetime.now(dt.UTC).isoformat(timespec="minutes"),
        load_before=load,
        load_after=common.loadavg(),
        cpu_s=round(time.process_time() - cpu, 1),
        backend=os.environ.get("JARING_DEDUPE_BACKEND", "duckdb"),
    )
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
