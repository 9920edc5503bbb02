"""Dashboard benchmark: the coverage page of a province with 1,000,000 active members, p50/p95.

    .venv/bin/python bench/dashboard_bench.py                      # both databases, 1,000,000
    .venv/bin/python bench/dashboard_bench.py --db sqlite --members 100000
    .venv/bin/python bench/dashboard_bench.py --db postgres --setup-only   # load, then stop
    flock /tmp/jaring-bench.lock .venv/bin/python bench/dashboard_bench.py --db postgres --reuse
    .venv/bin/python bench/dashboard_bench.py --db sqlite --reuse --bill-months 2   # with money

Each database is a dedicated one, created and loaded here: SQLite `var/dashboard_bench.sqlite3`,
PostgreSQL `jaring_dashboard_bench` (or BENCH_SQLITE / BENCH_PG_URL). The members are loaded by
the billing benchmark's setup (`billing_bench._setup`: demo generator →
`registry.bulk.insert_workers`, one province programme, `enrolment.bulk.insert_memberships` +
one UPDATE), then one more UPDATE spreads the cover start over the 47 months Jan 2023 – Nov 2026
(a province that grew to a million members, so the history has 47 points), all covered to
31 Dec 2026. Working population and targets for the province and each regency (2023-2026), the
other segments' monthly counts for the province, all through `coverage.services` as an officer
would enter them. `--bill-months N` bills the last N months through the monthly run, pays all
but the last, and registers claims, so the money and KPI parts have rows to read.

Timed (the part to run under the shared lock):
- the coverage facts recounted for every regency of the province (`coverage.facts.refresh`, what
  the background worker does after a write), wall, this process's CPU and the server's CPU;
- each part of the dashboard's computation once, and the direct count of today's members (a
  full pass over the memberships) checked against the facts;
- through Django's test Client, logged in as a programme officer scoped to the province: the
  page `/coverage/61/` cold (the page's snapshot deleted before each request, so the whole
  dashboard is computed from the facts), warm (snapshot kept), and
  `GET /api/coverage/?region=61` (never cached).
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
    parser.add_argument("--setup-only", action="store_true", help="load the data, time nothing")
    parser.add_argument(
        "--bill-months", type=int, default=0, help="bill (and pay, claim) the last N months"
    )
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
    if args.bill_months:
        setup["money"] = _money(setup["programme_id"], args.bill_months)
    common.analyze(vacuum=True)
    setup["setup_s"] = round(time.perf_counter() - started, 1)
    print(f"  setup {setup}", file=sys.stderr)
    if args.setup_only:
        return {"db": args.db, "setup": setup}
    refresh = _refresh()
    return {
        "db": args.db,
        "database": common.database_version(),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="minutes"),
        "machine": machine,
        "members": args.members,
        "setup": setup,
        "refresh": refresh,
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
    from jaring.rules.months import add_months

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
    from jaring.rules.months import add_months

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


def _refresh() -> dict:
    """Every regency of the province recounted, as the background worker does after a write."""
    from jaring.coverage import facts
    from jaring.coverage.models import CategoryFact, FactsState, MemberFact
    from jaring.programs.selectors import regencies_of_programmes
    from jaring.regions.models import Region
    from jaring.regions.selectors import regencies_of

    region = Region.objects.get(code=PROVINCE)
    codes = regencies_of(region)
    # What a write adds to its own transaction: marking the province programme's regencies.
    clock = common.Clock()
    facts.changed(regencies=regencies_of_programmes(_programme_ids()))
    mark = clock.read()["wall"]
    clock = common.Clock()
    facts.refresh(codes)
    out = clock.read()
    slowest = FactsState.objects.filter(pk__in=codes).order_by("-seconds").first()
    out |= {
        "regencies": len(codes),
        "slowest_regency_s": round(slowest.seconds, 2),
        "rows": MemberFact.objects.count() + CategoryFact.objects.count(),
        "peak_mb": common.peak_mb(),
        "mark_stale_s": mark,
    }
    print(f"  refresh {out}", file=sys.stderr)
    return out


def _programme_ids() -> list[int]:
    from jaring.programs.models import Programme

    return list(Programme.objects.filter(name="Bench").values_list("pk", flat=True))


def _money(programme_id: int, months: int) -> dict:
    """The last `months` months billed through the monthly run; all but the last paid in full;
    one claim per 10,000 members. Returns the seconds each took."""
    from jaring.accounts.scope import SYSTEM
    from jaring.claims.models import Claim, ClaimKind, ClaimStatus
    from jaring.contributions import payment_services, services
    from jaring.contributions.models import Bill
    from jaring.enrolment.models import Membership
    from jaring.programs.models import Programme
    from jaring.rules.months import add_months

    programme = Programme.objects.get(pk=programme_id)
    out = {}
    first = add_months(dt.date(2026, 11, 1), -(months - 1))
    for i in range(months):
        month = add_months(first, i)
        if Bill.objects.filter(programme=programme, month=month).exists():
            continue
        clock = common.Clock()
        services.run_month(actor=SYSTEM, month=month, programme=programme, as_of=month)
        out[f"bill {month:%Y-%m}"] = clock.read()
        bill = Bill.objects.get(programme=programme, month=month)
        if i < months - 1:
            payment_services.record_payment(
                actor=SYSTEM,
                programme=programme,
                paid_on=month + dt.timedelta(days=9),
                amount=bill.total,
                reference=f"SP2D-BENCH-{month:%Y%m}",
            )
    if not Claim.objects.exists():
        members = Membership.objects.filter(programme=programme).order_by("pk")[::10_000]
        Claim.objects.bulk_create(
            Claim(
                membership=m,
                worker_id=m.worker_id,
                programme=programme,
                kind=ClaimKind.DEATH if i % 5 == 0 else ClaimKind.WORK_ACCIDENT,
                status=ClaimStatus.PAID if i % 2 else ClaimStatus.SUBMITTED,
                event_date=dt.date(2026, 6, 1),
                claimed_on=dt.date(2026, 6, 20),
                description="bench",
                wage=1_000_000,
                months_contributed=6,
                rule_version="bench",
                total=42_000_000 if i % 5 == 0 else 5_000_000,
                village_id=m.village_id,
                province_code=m.province_code,
                regency_code=m.regency_code,
                district_code=m.district_code,
            )
            for i, m in enumerate(members)
        )
    out["claims"] = Claim.objects.count()
    return out


def _parts() -> dict[str, float]:
    """Each part of `dashboard.compute` for the province, once, in seconds; and the direct count
    of today's members (a full pass) checked against the facts."""
    from django.utils import timezone

    from jaring.accounts.scope import SYSTEM
    from jaring.claims.reports import money_summary
    from jaring.coverage import dashboard, projection, selectors
    from jaring.regions.models import Region

    region = Region.objects.get(code=PROVINCE)
    month = timezone.localdate().replace(day=1)
    today = timezone.localdate()
    out: dict[str, float] = {}

    def timed(name: str, call):
        started = time.perf_counter()
        value = call()
        out[name] = round(time.perf_counter() - started, 3)
        return value

    c = timed("coverage (with KPI)", lambda: selectors.coverage(SYSTEM, region, month, today=today))
    points = timed("history", lambda: selectors.history(region, month, today=today))
    timed("projection", lambda: projection.project(c, points))
    timed("breakdowns", lambda: selectors.breakdowns(region, month, today=today))
    timed("money", lambda: money_summary(region, year=month.year, as_of=today))
    timed("programmes", lambda: dashboard._programmes(region, month.year))
    timed("expiring", lambda: dashboard._expiring(region, today))
    timed("duplicates", lambda: dashboard._duplicates(region))
    timed("compute (all)", lambda: dashboard.compute(region, month, today=today))
    direct = timed(
        "direct count of today's members (check)", lambda: selectors.people_on(region, today)
    )
    assert direct == c.jaring, (direct, c.jaring)
    print(f"  parts {out} (history: {len(points)} months)", file=sys.stderr)
    return out


def _requests(officer, *, cold: int, warm: int) -> dict[str, dict]:

    from jaring.coverage.models import DashboardSnapshot

    client = common.logged_in_client(officer)
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
    if "requests" not in r:
        return f"setup only ({r['db']}): {json.dumps(r['setup'])}"
    m = r["machine"]
    lines = [
        f"### {r['database']}, {r['members']:,} active members in province {PROVINCE} "
        f"({r['date']})",
        "",
        f"{common.describe(m)}; load average before {r['loadavg_before']}, after "
        f"{r['loadavg_after']}; peak {r['peak_mb']} MiB. Setup: {json.dumps(r['setup'])}",
        "",
        f"Facts recount (every regency): {json.dumps(r['refresh'])}",
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
