"""Registry benchmark: a million workers, then the worker list and searches, p50/p95.

    .venv/bin/python bench/registry_bench.py                    # both databases, 1,000,000 workers
    .venv/bin/python bench/registry_bench.py --db sqlite --workers 200000
    .venv/bin/python bench/registry_bench.py --db postgres --reuse   # keep the loaded database

Each database is a dedicated one, created, migrated and loaded by this script: SQLite
`var/bench.sqlite3`, PostgreSQL `jaring_bench` on the server of `BENCH_PG_URL` (default
postgres://postgres@127.0.0.1:5432/jaring_bench). Workers come from the demo generator, loaded
with `registry.bulk.insert_workers`, spread over the villages of `--region` (default 61,
Kalimantan Barat: a province is where a registry reaches a million).

Requests go through Django's test Client, logged in as a programme officer scoped to the whole
region, so they include the session, scoping, the view and the template. `--layer selector` times
the same reads without the web layer (`search_workers` + the list's pagination).
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from itertools import islice

import common

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/jaring_bench"
TODAY = dt.date(2026, 1, 1)
CHUNK = 200_000


def main() -> None:
    parser = common.parser(__doc__)
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200, help="per measurement (200)")
    parser.add_argument("--region", default="61", help="region the workers live in (61)")
    parser.add_argument("--deep-page", type=int, default=1000, help="page number (1000)")
    parser.add_argument("--layer", choices=["page", "selector"], default="page")
    parser.add_argument(
        "--reuse", action="store_true", help="keep a database that already holds --workers"
    )
    args = parser.parse_args()
    common.report(__file__, args, run, markdown)


def run(args) -> dict:
    host = common.machine()
    loadavg_before = common.loadavg()
    url = common.bench_database(
        args.db,
        pg_url=DEFAULT_PG,
        sqlite_path=common.ROOT / "var" / "bench.sqlite3",
        fresh=not args.reuse,
    )
    started = time.perf_counter()
    common.setup_django(url)
    migrate_s = time.perf_counter() - started
    load = _load(args.workers, args.region)
    common.analyze(vacuum=True)
    officer = _officer(args.region)
    timings = _measure(args, officer)
    return {
        "db": args.db,
        "database": common.database_version(),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="minutes"),
        "machine": host,
        "workers": args.workers,
        "region": args.region,
        "layer": args.layer,
        "migrate_s": round(migrate_s, 1),
        "load": load,
        "requests": args.requests,
        "deep_page": args.deep_page,
        "timings_ms": timings,
        "loadavg_before": loadavg_before,
        "loadavg_after": common.loadavg(),
        "peak_mb": common.peak_mb(),
    }


def _load(n: int, region: str) -> dict:
    from jaring.demo.synthetic import iter_people, people_frame
    from jaring.registry.bulk import insert_workers
    from jaring.registry.models import Worker

    have = Worker.objects.count()
    if have == n:
        return {"reused": True}
    if have:
        raise SystemExit(f"the bench database holds {have:,} workers, not {n:,}: drop --reuse")
    people = iter_people(n, region=region, seed=2026, today=TODAY)
    generate_s = insert_s = 0.0
    while True:
        started = time.perf_counter()
        frame = people_frame(islice(people, CHUNK))
        generate_s += time.perf_counter() - started
        if frame.is_empty():
            break
        started = time.perf_counter()
        insert_workers(frame, source="bench")
        insert_s += time.perf_counter() - started
        print(f"  loaded {Worker.objects.count():,}", file=sys.stderr)
    return {
        "reused": False,
        "generate_s": round(generate_s, 1),
        "insert_s": round(insert_s, 1),
        "rows_per_s": round(n / insert_s),
    }


def _officer(region: str):
    from jaring.accounts.models import Role, User

    user, _ = User.objects.get_or_create(
        username="bench-officer",
        defaults={"role": Role.PROGRAMME_OFFICER, "scope_id": region},
    )
    return user


def _measure(args, officer) -> dict[str, dict[str, float]]:
    from jaring.registry.models import Worker

    rng = random.Random(7)
    top = Worker.objects.order_by("-pk").values_list("pk", flat=True).first()
    picked = rng.sample(range(1, top + 1), args.requests * 2)
    sample = list(Worker.objects.filter(pk__in=picked).values_list("nik", "full_name"))
    rng.shuffle(sample)
    sample = sample[: args.requests]
    niks = [nik for nik, _ in sample]
    prefixes = [_prefix(rng, name) for _, name in sample]
    cases = {
        "list page 1": [{}] * args.requests,
        f"list page {args.deep_page}": [{"page": args.deep_page}] * args.requests,
        "NIK search": [{"q": nik} for nik in niks],
        "name search (prefix)": [{"q": p} for p in prefixes],
    }
    get = _page_getter(officer) if args.layer == "page" else _selector_getter(officer)
    out = {}
    for case, queries in cases.items():
        for query in queries[:10]:  # warm the caches
            get(query)
        times = []
        for query in queries:
            started = time.perf_counter()
            get(query)
            times.append((time.perf_counter() - started) * 1000)
        out[case] = common.percentiles(times)
        print(f"  {case}: {out[case]}", file=sys.stderr)
    return out


def _prefix(rng: random.Random, name: str) -> str:
    """What an officer types: a first name, or it and the start of the second name."""
    first, _, rest = name.partition(" ")
    if rest and rng.random() < 0.5:
        return f"{first} {rest[: rng.randint(1, len(rest))]}"
    return first[: rng.randint(3, max(3, len(first)))]


def _page_getter(officer):
    from django.urls import reverse

    client = common.logged_in_client(officer)
    url = reverse("worker-list")

    def get(query: dict) -> None:
        response = client.get(url, query)
        assert response.status_code == 200, response.status_code
        if "q" in query and query["q"].isdigit():
            assert query["q"].encode() in response.content, "the NIK searched for is not shown"

    return get


def _selector_getter(officer):
    from jaring.registry.selectors import WorkerFilter, search_workers
    from jaring.web.paging import paginate

    def get(query: dict) -> None:
        qs = search_workers(officer, WorkerFilter(q=query.get("q", "")))
        assert paginate(qs, query.get("page", 1)).rows, query

    return get


def markdown(r: dict) -> str:
    m = r["machine"]
    load = r["load"]
    loaded = (
        "reused the loaded database"
        if load["reused"]
        else f"generated in {load['generate_s']} s, inserted in {load['insert_s']} s "
        f"({load['rows_per_s']:,} workers/s with audit events)"
    )
    lines = [
        f"### {r['database']}, {r['workers']:,} workers ({r['date']})",
        "",
        f"{common.describe(m)}; load average before {r['loadavg_before']}, after "
        f"{r['loadavg_after']}; peak {r['peak_mb']} MiB.",
        f"Load: {loaded}. Migrate: {r['migrate_s']} s. Layer: {r['layer']}; "
        f"{r['requests']} requests each.",
        "",
        "| request | p50 ms | p95 ms | max ms |",
        "|---|---:|---:|---:|",
    ]
    for case, t in r["timings_ms"].items():
        lines.append(f"| {case} | {t['p50']} | {t['p95']} | {t['max']} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
