"""Precomputed coverage counts: what a dashboard reads instead of a million memberships.

A regency's facts hold, for every month from its first cover to now, the people covered on the
month's counted day (its last day; today for the running month) per district × sex × disability
× government funding and per district × occupation category; the active memberships by the day
their cover ends (expiring soon); and, for today, the KPI's months of contributions paid. They
are recomputed set-based, one regency at a time (`refresh`, one ordered pass over its
memberships). Writes that change memberships announce it (`core.events.memberships_changed`,
`workers_changed`; coverage subscribes in its AppConfig): `changed`, in the write's transaction,
marks the regencies stale and asks the background worker to refresh them once committed. A reader
calls `ensure` first, which refreshes what is stale or was counted before today, so the figures
are never older than the memberships (see docs/decisions/0002-coverage-facts.md).

Who is counted: a person (a worker, or the record a merged duplicate was merged into) covered on
the day by one or more memberships counts once, in the district and category of the covering
membership that started last (ties: the newer one), so every breakdown adds up to the total.
"""

from __future__ import annotations

import datetime as dt
import time
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from itertools import groupby, pairwise

from django.db import transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    Max,
    Min,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_tasks import task

from jaring.accounts.scope import region_q
from jaring.claims.cover import COVERED, last_covered_day
from jaring.contributions.models import BillLine, LineStatus
from jaring.coverage.models import CategoryFact, ExpiryFact, FactsState, MemberFact, QuotaFact
from jaring.enrolment.eligibility import COUNTS_FOR_QUOTA
from jaring.enrolment.models import Membership, MembershipStatus
from jaring.programs.models import Funder
from jaring.regions.models import Region
from jaring.regions.selectors import regencies_of
from jaring.rules.months import add_months

GOVERNMENT_FUNDERS = (Funder.CITY_APBD, Funder.PROVINCE_APBD, Funder.VILLAGE_APBDES)
KPI_FULL_MONTHS = 6
_BATCH = 5000


def day_counted(month: dt.date, today: dt.date | None = None) -> dt.date:
    """The month's last day, or today while the month is running."""
    today = today or timezone.localdate()
    return min(add_months(month, 1) - dt.timedelta(days=1), today)


def counted_days(first: dt.date, today: dt.date) -> list[dt.date]:
    """The counted day of every month from `first`'s month to today's."""
    out, month = [], first.replace(day=1)
    while month <= today:
        out.append(day_counted(month, today))
        month = add_months(month, 1)
    return out


# --- keeping them current -----------------------------------------------------------------------


def changed(*, regencies: Iterable[str]):
    """Anything counted in `regencies` changed (inside the write's transaction): their facts are
    stale until refreshed."""
    codes = set(regencies)
    if not codes:
        return
    FactsState.objects.bulk_create(
        [FactsState(regency_code=c) for c in codes], ignore_conflicts=True
    )
    FactsState.objects.filter(pk__in=codes).update(changes=F("changes") + 1)

    transaction.on_commit(lambda: refresh_facts.enqueue(sorted(codes)))


def on_change(sender, *, regencies: Iterable[str], **_kwargs):
    """The receiver of `core.events.memberships_changed` / `workers_changed`."""
    changed(regencies=regencies)


def ensure(region: Region, today: dt.date | None = None) -> list[str]:
    """Refreshes the regencies of `region` whose facts are stale; returns those refreshed."""
    today = today or timezone.localdate()
    codes = regencies_of(region)
    fresh = set(
        FactsState.objects.filter(
            pk__in=codes, refreshed_for=today, refreshed_changes=F("changes")
        ).values_list("pk", flat=True)
    )
    stale = [c for c in codes if c not in fresh]
    refresh(stale, today=today)
    return stale


def last_recount(region: Region) -> dt.datetime:
    """When the facts of `region` last changed (its latest regency recount)."""
    latest = FactsState.objects.filter(pk__in=regencies_of(region)).aggregate(
        at=Max("refreshed_at")
    )["at"]
    return latest or dt.datetime.min.replace(tzinfo=dt.UTC)


def refresh(regency_codes: Iterable[str], *, today: dt.date | None = None) -> None:
    """Recounts each regency's facts, one transaction each."""
    today = today or timezone.localdate()
    for code in regency_codes:
        _refresh_one(code, today)


def recount_daily(on: dt.date) -> dict[str, int]:
    """The daily job (core.daily): every regency counted before is counted again for `on`,
    so that cover that ended yesterday is not counted today."""
    codes = sorted(FactsState.objects.values_list("pk", flat=True))
    refresh(codes, today=on)
    return {"regencies": len(codes)}


@task()
def refresh_facts(regency_codes: list[str]) -> None:
    """`refresh` in the background (`jaring db_worker`), once the writes that changed
    memberships have committed."""
    refresh(regency_codes)


@transaction.atomic
def _refresh_one(code: str, today: dt.date) -> None:
    started = time.perf_counter()
    FactsState.objects.bulk_create([FactsState(regency_code=code)], ignore_conflicts=True)
    # Locked: two refreshes of one regency would each delete, then both insert.
    state = FactsState.objects.select_for_update().get(pk=code)
    counted_from = state.changes
    for model in (MemberFact, CategoryFact, ExpiryFact, QuotaFact):
        model.objects.filter(regency_code=code).delete()
    first = Membership.objects.filter(
        regency_code=code, status__in=COVERED, start_date__lte=today
    ).aggregate(first=Min("start_date"))["first"]
    if first is not None:
        _count(code, counted_days(first, today), today)
    _expiring(code, today)
    _quota(code)
    FactsState.objects.filter(pk=code).update(
        refreshed_changes=counted_from,
        refreshed_for=today,
        refreshed_at=timezone.now(),
        seconds=time.perf_counter() - started,
    )


def _count(code: str, days: list[dt.date], today: dt.date) -> None:
    n = len(days)
    people: dict[tuple, list[int]] = {}
    categories: dict[tuple, list[int]] = {}
    sixths: dict[tuple, int] = defaultdict(int)
    paid = _paid_months(code, today)

    def add(table: dict, key: tuple, first: int, last: int) -> None:
        marks = table.get(key)
        if marks is None:
            marks = table[key] = [0] * (n + 1)
        marks[first] += 1
        marks[last + 1] -= 1

    for person, rows in groupby(_memberships(code, days[-1]), key=lambda r: r[0]):
        spans = []
        for _, sex, disability, start, end, status, ended, pk, district, category, gov in rows:
            last = last_covered_day(status, end, ended)
            first_i, last_i = bisect_left(days, start), bisect_right(days, last) - 1
            if first_i <= last_i:
                spans.append(
                    (
                        first_i,
                        last_i,
                        (start, pk),
                        (district, sex, disability, gov),
                        (district, category),
                    )
                )
        spans.sort()
        if all(a[1] < b[0] for a, b in pairwise(spans)):
            counted = [(s[0], s[1], s[3], s[4]) for s in spans]
        else:  # covers that overlap on a counted day: the latest-started one counts the day
            counted = []
            for i in sorted({i for s in spans for i in range(s[0], s[1] + 1)}):
                s = max((s for s in spans if s[0] <= i <= s[1]), key=lambda s: s[2])
                counted.append((i, i, s[3], s[4]))
        for first_i, last_i, place, category in counted:
            add(people, place, first_i, last_i)
            add(categories, category, first_i, last_i)
            if last_i == n - 1 and place[3]:
                sixths[place] += min(paid.get(person, 0), KPI_FULL_MONTHS)

    province = code.split(".")[0]

    def rows_of(table: dict, make):
        for key, marks in table.items():
            running = 0
            for i, day in enumerate(days):
                running += marks[i]
                if running:
                    yield make(key, day, running)

    MemberFact.objects.bulk_create(
        rows_of(
            people,
            lambda k, day, m: MemberFact(
                day=day,
                province_code=province,
                regency_code=code,
                district_code=k[0],
                sex=k[1],
                has_disability=k[2],
                government=k[3],
                members=m,
                kpi_sixths=sixths.get(k, 0) if day == today and k[3] else None,
            ),
        ),
        batch_size=_BATCH,
    )
    CategoryFact.objects.bulk_create(
        rows_of(
            categories,
            lambda k, day, m: CategoryFact(
                day=day,
                province_code=province,
                regency_code=code,
                district_code=k[0],
                category_id=k[1],
                members=m,
            ),
        ),
        batch_size=_BATCH,
    )


def _memberships(code: str, until: dt.date):
    """Covering memberships of the regency, one person after another."""
    government = Case(
        When(programme__funder__in=GOVERNMENT_FUNDERS, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    return (
        Membership.objects.filter(
            regency_code=code, status__in=COVERED, start_date__lte=until, end_date__isnull=False
        )
        .annotate(
            person=Coalesce("worker__merged_into_id", "worker_id"),
            person_sex=Coalesce("worker__merged_into__sex", "worker__sex"),
            person_disability=Coalesce(
                "worker__merged_into__has_disability", "worker__has_disability"
            ),
            gov=government,
        )
        .order_by("person")
        .values_list(
            "person",
            "person_sex",
            "person_disability",
            "start_date",
            "end_date",
            "status",
            "status_changed_at",
            "pk",
            "district_code",
            "category_id",
            "gov",
        )
        .iterator(chunk_size=20000)
    )


def _paid_months(code: str, today: dt.date) -> dict[int, int]:
    """Months of contributions paid up to this month per person, over the regency's memberships
    (bills are paid in line order: a line is paid when the bill's payments reach it)."""
    lines = BillLine.objects.filter(
        membership__regency_code=code,
        status=LineStatus.BILLED,
        bill__month__lte=today,
        cumulative__lte=F("bill__paid"),
    )
    person = Coalesce("membership__worker__merged_into_id", "membership__worker_id")
    rows = lines.order_by().annotate(person=person).values("person").annotate(n=Count("pk"))
    return dict(rows.values_list("person", "n"))


def _expiring(code: str, today: dt.date) -> None:
    province = code.split(".")[0]
    rows = (
        Membership.objects.filter(
            regency_code=code, status=MembershipStatus.ACTIVE, end_date__gte=today
        )
        .order_by()
        .values("district_code", "end_date")
        .annotate(n=Count("pk"))
    )
    ExpiryFact.objects.bulk_create(
        (
            ExpiryFact(
                province_code=province,
                regency_code=code,
                district_code=r["district_code"],
                end_date=r["end_date"],
                members=r["n"],
            )
            for r in rows
        ),
        batch_size=_BATCH,
    )


def _quota(code: str) -> None:
    rows = (
        Membership.objects.filter(COUNTS_FOR_QUOTA, regency_code=code)
        .order_by()
        .values("programme_id", "category_id", "income_base", "months", "start_date")
        .annotate(n=Count("pk"), n_active=Count("pk", filter=Q(status=MembershipStatus.ACTIVE)))
    )
    by_month: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        month = r["start_date"].replace(day=1) if r["start_date"] else None
        key = (r["programme_id"], r["category_id"], r["income_base"], r["months"], month)
        by_month[key][0] += r["n"]
        by_month[key][1] += r["n_active"]
    QuotaFact.objects.bulk_create(
        (
            QuotaFact(
                regency_code=code,
                programme_id=k[0],
                category_id=k[1],
                income_base=k[2],
                months=k[3],
                month=k[4],
                members=n,
                active=active,
            )
            for k, (n, active) in by_month.items()
        ),
        batch_size=_BATCH,
    )


# --- reading them -------------------------------------------------------------------------------


def place_q(region: Region) -> Q:
    return region_q(region.code)


def members(region: Region, day: dt.date) -> int:
    q = MemberFact.objects.filter(place_q(region), day=day)
    return q.aggregate(n=Sum("members"))["n"] or 0


def members_by_day(region: Region, days: list[dt.date]) -> list[int]:
    rows = (
        MemberFact.objects.filter(place_q(region), day__in=days)
        .order_by()
        .values("day")
        .annotate(n=Sum("members"))
    )
    by_day = {r["day"]: r["n"] for r in rows}
    return [by_day.get(d, 0) for d in days]


def first_day(region: Region) -> dt.date | None:
    return MemberFact.objects.filter(place_q(region)).aggregate(d=Min("day"))["d"]


def kpi(region: Region, today: dt.date) -> tuple[int, int]:
    """(government-funded people covered today, their paid months, each capped at six)."""
    r = MemberFact.objects.filter(place_q(region), day=today, government=True).aggregate(
        n=Sum("members"), sixths=Sum("kpi_sixths")
    )
    return r["n"] or 0, r["sixths"] or 0


def by_person(region: Region, day: dt.date, child: str) -> list[dict]:
    """Rows of sex, has_disability and `child` (regency_code or district_code) with members."""
    return list(
        MemberFact.objects.filter(place_q(region), day=day)
        .order_by()
        .values("sex", "has_disability", child)
        .annotate(n=Sum("members"))
    )


def by_category(region: Region, day: dt.date) -> dict[str, int]:
    rows = (
        CategoryFact.objects.filter(place_q(region), day=day)
        .order_by()
        .values("category_id")
        .annotate(n=Sum("members"))
    )
    return {r["category_id"]: r["n"] for r in rows}


def expiring(region: Region, first: dt.date, last: dt.date) -> dict[dt.date, int]:
    rows = (
        ExpiryFact.objects.filter(place_q(region), end_date__gte=first, end_date__lte=last)
        .order_by()
        .values("end_date")
        .annotate(n=Sum("members"))
    )
    return {r["end_date"]: r["n"] for r in rows}


def enrolled_groups(programme_id: int) -> list[dict]:
    """`enrolment.selectors.enrolled_groups` of a programme, from the facts of its regencies."""
    return list(
        QuotaFact.objects.filter(programme_id=programme_id)
        .order_by()
        .values("category_id", "income_base", "months", "month")
        .annotate(n=Sum("members"), n_active=Sum("active"))
    )
