"""Dashboard benchmark: the coverage page of a province with 1,000,000 active members, p50/p95.

    .venv/bin/python bench/dashboard_bench.py                      # both databases, 1,000,000
    .venv/bin/python bench/dashboard_bench.py --db sqlite --members 100000
    .venv/bin/python bench/dashboard_bench.py --db postgres --reuse   # keep the loaded database
    .venv/bin/python bench/dashboard_bench.py --db sqlite --reuse --cold 20   # fewer cold runs

Each database is a dedicated one, created and loaded here: SQLite `var/dashboard_bench.sqlite3`,
PostgreSQL `jaring_dashboard_bench` (server of BENCH_PG_URL). The members are loaded by the
billing benchmark's setup (`billing_bench._setup`: demo generator → `registry.bulk.insert_workers`,
one province programme, `enrolment.bulk.insert_memberships` + one UPDATE), then one more UPDATE
spreads the cover start over the 47 months Jan 2023 – Nov 2026 (a province that grew to a
million members, so the history has 47 points), all covered to 31 Dec 2026. Working population
and targets for the province and each regency (2023-2026), the other segments' monthly counts
for the province, all through `coverage.services` as an officer would enter them.

Timed through Django's test Client, logged in as a programme officer scoped to the province:
- the dashboard page `/coverage/61/`, cold: every snapshot deleted before each request;
- the same page warm (the snapshot kept, `JARING_DASHBOARD_MAX_AGE`);
- `GET /api/coverage/?region=61` (never cached: coverage, KPI figure, history, projection).
Once more, each part of the cold computation on its own (where the time goes).
Wall time and the process's CPU time (`time.process_time`) are both reported: the machine is
shared, and on PostgreSQL the server's CPU is not in the second figure.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import sys
import time

import billing_bench
import common

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/jaring_dashboard_bench"
PROVINCE = "61"
FIRST_MONTH = dt.date(2023, 1, 1)
START_MONTHS = 47  # Jan 2023 … Nov 2026
YEARS = (2023, 2024, 2025, 2026)
TARGETS = {2023: "20", 2024: "30", 2025: "40", 2026: "45"}


def main() -> None:
    parser = common.parser(__doc__)
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200, help="warm page requests (200)")
    parser.add_argument(
        "--cold", type=int, default=200, help="cold page and API requests, never cached (200)"
    )
    parser.add_argument("--reuse", action="store_true", help="keep loaded workers and members")
    args = parser.parse_args()
    common.report(__file__, args, run, markdown)


def run(args) -> dict:
    machine = common.machine()
    loadavg_before = common.loadavg()
    url = common.bench_database(
        args.db,
        pg_url=DEFAULT_PG,
        sqlite_path=common.ROOT / "var" / "dashboard_bench.sqlite3",
        fresh=not args.reuse,
    )
    common.setup_django(url)
    started = time.perf_counter()
    setup = billing_bench._setup(args.members, PROVINCE)
    if "memberships_s" in setup:  # just inserted: spread them (a reused database has been)
        _spread_cover(setup["programme_id"])
    officer = _figures()
    common.analyze(vacuum=True)
    setup["setup_s"] = round(time.perf_counter() - started, 1)
    print(f"  setup {setup}", file=sys.stderr)
    return {
        "db": args.db,
        "database": common.database_version(),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="minutes"),
        "machine": machine,
        "members": args.members,
        "setup": setup,
        "parts_s": _parts(),
        "requests": _requests(officer, cold=args.cold, warm=args.requests),
        "loadavg_before": loadavg_before,
        "loadavg_after": common.loadavg(),
        "peak_mb": common.peak_mb(),
    }


def _spread_cover(programme_id: int) -> None:
    """Cover starts on the 1st of one of 47 months (by id), ends 31 Dec 2026: the history grows
    from about 21,000 members in Jan 2023 to all of them in Nov 2026."""
    from django.db.models import Case, IntegerField, Value, When
    from django.db.models.functions import Mod

    from jaring.enrolment.models import Membership
    from jaring.rules.tables import add_months

    Membership.objects.filter(programme_id=programme_id).annotate(
        k=Mod("id", Value(START_MONTHS), output_field=IntegerField())
    ).update(
        start_date=Case(
            *(When(k=i, then=Value(add_months(FIRST_MONTH, i))) for i in range(START_MONTHS))
        ),
        end_date=dt.date(2026, 12, 31),
    )


def _figures():
    """Denominators, targets and the other segments' counts, entered by the province's officer
    (province and its regencies); returns that officer."""
    from jaring.accounts.models import Role, User
    from jaring.coverage import services
    from jaring.coverage.models import Segment, WorkingPopulation
    from jaring.regions.models import Region
    from jaring.rules.tables import add_months

    officer, _ = User.objects.get_or_create(
        username="bench-province-officer",
        defaults={"role": Role.PROGRAMME_OFFICER, "scope_id": PROVINCE},
    )
    if WorkingPopulation.objects.filter(region_id=PROVINCE).exists():
        return officer
    regencies = list(Region.objects.filter(parent_id=PROVINCE).values_list("code", flat=True))
    for year in YEARS:
        # A working population of 2.6-2.8 million: coverage ends near 60 %, above the target.
        services.set_population(
            actor=officer,
            region_code=PROVINCE,
            year=year,
            people=2_600_000 + 50_000 * (year - YEARS[0]),
            source="estimate",
        )
        services.set_target(
            actor=officer, region_code=PROVINCE, year=year, target_pct=TARGETS[year]
        )
        for code in regencies:
            services.set_population(
                actor=officer, region_code=code, year=year, people=180_000, source="estimate"
            )
            services.set_target(actor=officer, region_code=code, year=year, target_pct="45")
    for i in range(START_MONTHS):
        for segment, n in ((Segment.WAGE_EARNERS, 420_000), (Segment.SELF_PAID, 90_000)):
            services.set_segment_count(
                actor=officer,
                region_code=PROVINCE,
                month=add_months(FIRST_MONTH, i),
                segment=segment,
                participants=n + 1_000 * i,
            )
    return officer


def _parts() -> dict[str, float]:
    """Each part of `dashboard.compute` for the province, once, in seconds."""
    from django.utils import timezone

    from jaring.coverage import dashboard, projection, selectors
    from jaring.regions.models import Region
    from jaring.rules.tables import add_months

    region = Region.objects.get(code=PROVINCE)
    month = timezone.localdate().replace(day=1)
    today = timezone.localdate()
    out: dict[str, float] = {}

    def timed(name: str, call):
        started = time.perf_counter()
        value = call()
        out[name] = round(time.perf_counter() - started, 3)
        return value

    timed(
        "coverage (without KPI)",
        lambda: selectors.coverage(None, region, month, today=today, with_kpi=False),
    )
    c = timed("coverage (with KPI)", lambda: selectors.coverage(None, region, month, today=today))
    start = selectors.first_month(region)
    days = []
    while start <= month:
        days.append(selectors.day_counted(start, today))
        start = add_months(start, 1)
    # The history's members, the way it was counted before (one count per month) and now.
    before = timed(
        f"members per month, one count each ({len(days)} counts, before)",
        lambda: [
            selectors.members_on(region, d).values("worker_id").distinct().count() for d in days
        ],
    )
    after = timed(
        "members per month, grouped (selectors.members_by_day)",
        lambda: selectors.members_by_day(region, days),
    )
    assert before == after, (before, after)
    points = timed("history", lambda: selectors.history(region, month, today=today))
    timed("projection", lambda: projection.project(c, points))
    timed("breakdowns", lambda: selectors.breakdowns(region, month, today=today))
    timed("money", lambda: dashboard._money(region, month.year))
    timed("programmes", lambda: dashboard._programmes(region, month.year))
    timed("expiring", lambda: dashboard._expiring(region, today))
    timed("duplicates", lambda: dashboard._duplicates(region))
    timed("compute (all)", lambda: dashboard.compute(region, month, today=today))
    print(f"  parts {out} (history: {len(points)} months)", file=sys.stderr)
    return out


def _requests(officer, *, cold: int, warm: int) -> dict[str, dict]:
    from django.test import Client

    from jaring.coverage.models import DashboardSnapshot

    client = Client()
    client.force_login(officer)
    page = f"/coverage/{PROVINCE}/"

    def get_page() -> None:
        response = client.get(page)
        assert response.status_code == 200, response.status_code
        assert b'id="coverage-pct">' in response.content

    def get_api() -> None:
        response = client.get("/api/coverage/", {"region": PROVINCE})
        assert response.status_code == 200, response.status_code
        assert response.json()["jaring_members"] > 0

    def drop_snapshots() -> None:
        DashboardSnapshot.objects.all().delete()

    get_page()  # the first request after setup pays for imports and template loading
    out = {
        f"page, cold ({cold})": _timed(get_page, cold, before=drop_snapshots),
        f"page, warm ({warm})": _timed(get_page, warm),
        f"GET /api/coverage/?region={PROVINCE} ({cold})": _timed(get_api, cold),
    }
    return out


def _timed(call, n: int, *, before=None) -> dict[str, float]:
    walls, cpus = [], []
    for _ in range(n):
        if before is not None:
            before()
        wall, cpu = time.perf_counter(), time.process_time()
        call()
        cpus.append((time.process_time() - cpu) * 1000)
        walls.append((time.perf_counter() - wall) * 1000)
    out = common.percentiles(walls) | {"cpu_p50": round(statistics.median(cpus), 1)}
    out["loadavg"] = common.loadavg()
    print(f"  {n} requests: {out}", file=sys.stderr)
    return out


def markdown(r: dict) -> str:
    m = r["machine"]
    lines = [
        f"### {r['database']}, {r['members']:,} active members in province {PROVINCE} "
        f"({r['date']})",
        "",
        f"{common.describe(m)}; load average before {r['loadavg_before']}, after "
        f"{r['loadavg_after']}; peak {r['peak_mb']} MiB. Setup: {json.dumps(r['setup'])}",
        "",
        "| request | p50 ms | p95 ms | max ms | client CPU p50 ms | load average after |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, s in r["requests"].items():
        lines.append(
            f"| {name} | {s['p50']} | {s['p95']} | {s['max']} | {s['cpu_p50']} | {s['loadavg']} |"
        )
    lines += ["", "Cold computation, part by part (s): " + json.dumps(r["parts_s"])]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
