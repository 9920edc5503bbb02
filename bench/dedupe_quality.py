"""Duplicate-detection quality on a population built like a real city's registry (issue 12).

    .venv/bin/python bench/dedupe_quality.py [--people 20000] [--seed 1] [--db sqlite|postgres]
                                             [--steps full,import,first] [--json out.json]

The data is `jaring.demo.population.make_population`: households, twins, same-day NIK serial
neighbours, placeholder birth dates and very common names (look-alikes: different people), and
people listed twice with a different NIK (old KTP, one-digit typos, swapped digits) plus spelling
variants, dropped or reordered names, titles, other phones, blank sex, another kelurahan. Every
step goes through Jaring's own code on a fresh database, as a city would use it:

- `full`: every record registered (`registry.bulk.insert_workers`), then `jaring dedupe
  --retrain`; the queue's pairs against the truth.
- `import`: a quarter of the records (chosen at random) uploaded as a csv with `jaring import`
  (check only) against a registry holding the rest; pairs from the batch (row ↔ worker and row ↔
  row) against the truth pairs that touch the upload, and the full run's recall on those same
  pairs for comparison.
- `first`: every record uploaded into an empty registry (a city's first import): the share of
  the within-file duplicates found.

Each step reports precision and recall, recall by how the NIK differs (`kind`) and by each
further variation, and how many pairs of each look-alike kind reached the queue.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import common
import polars as pl

TODAY = dt.date(2026, 11, 22)
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/jaring_bench_quality"
HEADERS = {
    "nik": "NIK",
    "full_name": "Nama Lengkap",
    "birth_date": "Tanggal Lahir",
    "sex": "Jenis Kelamin",
    "village_code": "Kelurahan/Desa",
    "rt": "RT",
    "rw": "RW",
    "address": "Alamat",
    "phone": "No HP",
    "category_code": "Pekerjaan",
}


def population(args):
    from jaring.demo.population import make_population

    return make_population(args.people, seed=args.seed, today=TODAY)


def _database(args, name: str) -> str:
    """A fresh database for one step, with Django set up on it (one step per process)."""
    sqlite_path = common.ROOT / "var" / f"bench-quality-{name}.sqlite3"
    url = common.bench_database(
        args.db, pg_url=DEFAULT_PG.replace("quality", f"quality_{name}"), sqlite_path=sqlite_path
    )
    common.setup_django(url)
    return url


def _jaring(url: str, *argv: str) -> str:
    env = {**os.environ, "DATABASE_URL": url, "JARING_HOME": str(common.ROOT)}
    command = [str(Path(sys.executable).parent / "jaring"), *argv]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode not in (0, 2):
        raise SystemExit(f"jaring {' '.join(argv)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def _load_registry(records: pl.DataFrame) -> None:
    from jaring.demo.population import as_registered
    from jaring.registry.bulk import insert_workers

    keep = [c for c in records.columns if c not in ("record_id", "person_id", "household_id")]
    insert_workers(as_registered(records).select(keep), source="bench")


def _write_upload(records: pl.DataFrame, path: Path) -> None:
    sex = pl.col("sex").replace_strict({"M": "L", "F": "P"}, default=None)
    out = records.with_columns(
        sex,
        pl.col("birth_date").dt.strftime("%d/%m/%Y"),
        pl.col("category_code").replace({"other": "Lainnya"}),
    )
    out.select([pl.col(c).alias(h) for c, h in HEADERS.items()]).write_csv(path)


def _user() -> None:
    from jaring.accounts.models import Role, User

    if not User.objects.filter(username="bench").exists():
        User.objects.create_user("bench", role=Role.ADMIN, is_superuser=True)


# --- scoring -----------------------------------------------------------------------------------


def _score(found: set, pop, among: set[int] | None = None, refused: set[int] = frozenset()) -> dict:
    """Against the true pairs with a record `among` (all by default) and none `refused`."""
    truth = pop.duplicates
    looks = pop.lookalikes
    if among is not None:
        ids = list(among)
        truth = truth.filter(pl.col("record_id_l").is_in(ids) | pl.col("record_id_r").is_in(ids))
    if refused:
        out = list(refused)
        truth = truth.filter(~pl.col("record_id_l").is_in(out) & ~pl.col("record_id_r").is_in(out))
    true_pairs = set(truth.select("record_id_l", "record_id_r").iter_rows())
    hits = found & true_pairs
    false = found - true_pairs
    by_kind = {}
    for kind, group in truth.group_by("kind"):
        pairs = set(group.select("record_id_l", "record_id_r").iter_rows())
        by_kind[kind[0]] = {"pairs": len(pairs), "recall": _ratio(len(pairs & hits), len(pairs))}
    by_variation: Counter = Counter()
    found_variation: Counter = Counter()
    for a, b, variations in truth.select("record_id_l", "record_id_r", "variations").iter_rows():
        for v in (variations or "none").split(","):
            by_variation[v] += 1
            found_variation[v] += (a, b) in hits
    false_by_kind = Counter()
    look_kind = {}
    for a, b, kind in looks.iter_rows():
        look_kind.setdefault((a, b), kind)
    for pair in false:
        false_by_kind[look_kind.get(pair, "other")] += 1
    look_totals = dict(looks.group_by("kind").len().iter_rows())
    return {
        "pairs_found": len(found),
        "true_pairs": len(true_pairs),
        "precision": _ratio(len(hits), len(found)),
        "recall": _ratio(len(hits), len(true_pairs)),
        "recall_by_kind": dict(sorted(by_kind.items())),
        "recall_by_variation": {
            v: {"pairs": n, "recall": _ratio(found_variation[v], n)}
            for v, n in sorted(by_variation.items())
        },
        "false_pairs_by_lookalike": {
            k: {"queued": false_by_kind.get(k, 0), "of": look_totals.get(k, 0)}
            for k in [*sorted(look_totals), "other"]
        },
    }


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def _queue_pairs_by_nik() -> set[frozenset[str]]:
    from jaring.dedupe.models import ProbableDuplicate

    pairs = ProbableDuplicate.objects.filter(other_worker__isnull=False)
    return {frozenset(p) for p in pairs.values_list("worker__nik", "other_worker__nik")}


def _record_pairs(nik_pairs, records: pl.DataFrame) -> set[tuple[int, int]]:
    by_nik = dict(records.select("nik", "record_id").iter_rows())
    out = set()
    for pair in nik_pairs:
        a, b = (by_nik[n] for n in pair)
        out.add((min(a, b), max(a, b)))
    return out


# --- steps -------------------------------------------------------------------------------------


def full(args, pop) -> dict:
    url = _database(args, "full")
    start = time.perf_counter()
    _load_registry(pop.records)
    loaded = time.perf_counter() - start
    summary = json.loads(_jaring(url, "dedupe", "--retrain", "--json"))
    found = _record_pairs(_queue_pairs_by_nik(), pop.records)
    return {
        "step": "full",
        "records": len(pop.records),
        "seconds": {"load": round(loaded, 1), "dedupe": summary.get("timings", {}).get("total")},
        "model": summary.get("model"),
        **_score(found, pop),
    }, found


def _batch_pairs(batch_id: int, rows: pl.DataFrame, records: pl.DataFrame) -> set:
    from jaring.dedupe.models import ProbableDuplicate

    record_of_row = dict(rows.select("row_number", "record_id").iter_rows())
    record_of_nik = dict(records.select("nik", "record_id").iter_rows())
    pairs = ProbableDuplicate.objects.filter(batch_id=batch_id)
    found = set()
    for row, other_row, worker_nik in pairs.values_list(
        "import_row__row_number", "other_import_row__row_number", "worker__nik"
    ):
        a = record_of_row[row]
        b = record_of_row[other_row] if other_row is not None else record_of_nik[worker_nik]
        found.add((min(a, b), max(a, b)))
    return found


def _upload(url: str, upload: pl.DataFrame, name: str, everyone: pl.DataFrame) -> tuple[dict, set]:
    path = common.ROOT / "var" / f"bench-quality-{name}.csv"
    _write_upload(upload, path)
    report = json.loads(_jaring(url, "import", str(path), "--user", "bench", "--json",
                                "--no-progress", "--region", "61.72"))  # fmt: skip
    if "batch" not in report:
        raise SystemExit(f"import refused: {json.dumps(report)[:2000]}")
    rows = upload.with_row_index("row_number", offset=2).with_columns(
        pl.col("row_number").cast(pl.Int64)
    )
    return report, _batch_pairs(report["batch"], rows, everyone)


def import_path(args, pop, full_found: set | None) -> dict:
    url = _database(args, "import")
    upload = pop.records.sample(fraction=0.25, seed=args.seed, shuffle=True)
    chosen = set(upload["record_id"].to_list())
    registry = pop.records.filter(~pl.col("record_id").is_in(list(chosen)))
    _load_registry(registry)
    _user()
    start = time.perf_counter()
    report, found = _upload(url, upload, "import", pop.records)
    seconds = time.perf_counter() - start
    # A row the import refuses (e.g. a birth date that disagrees with the NIK, until the officer
    # gives a reason) never reaches the registry: its pairs are scored apart.
    refused = _refused(report, upload)
    scored = _score(found, pop, among=chosen, refused=refused)
    out = {
        "step": "import",
        "registry": len(registry),
        "upload": len(upload),
        "seconds": round(seconds, 1),
        "rejected_rows": len(report.get("rejections", [])),
        "probable_duplicates_reported": report.get("probable_duplicates"),
        "pairs_stored": len(found),
        **scored,
        "recall_with_refused_rows": _score(found, pop, among=chosen)["recall"],
    }
    if full_found is not None:
        touching = {p for p in full_found if p[0] in chosen or p[1] in chosen}
        out["full_run_on_same_pairs"] = {
            k: v
            for k, v in _score(touching, pop, among=chosen, refused=refused).items()
            if k in ("precision", "recall", "pairs_found")
        }
    return out


def first_import(args, pop) -> dict:
    url = _database(args, "first")
    _user()
    start = time.perf_counter()
    report, found = _upload(url, pop.records, "first", pop.records)
    seconds = time.perf_counter() - start
    return {
        "step": "first",
        "upload": len(pop.records),
        "seconds": round(seconds, 1),
        "rejected_rows": len(report.get("rejections", [])),
        "probable_duplicates_reported": report.get("probable_duplicates"),
        **_score(found, pop, refused=_refused(report, pop.records)),
        "recall_with_refused_rows": _score(found, pop)["recall"],
    }


def _refused(report: dict, upload: pl.DataFrame) -> set[int]:
    rows = {r["row"] for r in report.get("rejections", []) if r["outcome"] == "rejected"}
    ids = upload["record_id"].to_list()
    return {ids[row - 2] for row in rows}


def _found_path(args) -> Path:
    return common.ROOT / "var" / f"bench-quality-full-found-{args.db}-{args.seed}.json"


def child(args) -> dict:
    """One step, in this process."""
    pop = population(args)
    if args.child == "full":
        result, found = full(args, pop)
        _found_path(args).write_text(json.dumps(sorted(found)))
        return result
    if args.child == "import":
        path = _found_path(args)
        full_found = {tuple(p) for p in json.loads(path.read_text())} if path.exists() else None
        return import_path(args, pop, full_found)
    return first_import(args, pop)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--steps", default="full,import,first")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--child", choices=["full", "import", "first"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(common.ROOT / "src"))
    if args.child:
        print(json.dumps(child(args), default=str))
        return
    pop = population(args)
    results: dict = {
        "machine": common.describe(common.machine()),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="minutes"),
        "load_before": common.loadavg(),
        "people": args.people,
        "records": len(pop.records),
        "duplicate_pairs": len(pop.duplicates),
        "duplicates_by_kind": dict(pop.duplicates.group_by("kind").len().iter_rows()),
        "lookalike_pairs": dict(pop.lookalikes.group_by("kind").len().iter_rows()),
        "db": args.db,
    }
    _found_path(args).unlink(missing_ok=True)
    for step in args.steps.split(","):
        argv = [sys.executable, __file__, "--child", step, "--people", str(args.people),
                "--seed", str(args.seed), "--db", args.db]  # fmt: skip
        done = subprocess.run(argv, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"step {step} failed:\n{done.stderr[-4000:]}")
        results[step] = json.loads(done.stdout.strip().splitlines()[-1])
    results["load_after"] = common.loadavg()
    text = json.dumps(results, indent=2, default=str)
    print(text)
    if args.json:
        args.json.write_text(text)


if __name__ == "__main__":
    main()
