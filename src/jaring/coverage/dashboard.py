"""Everything one region's dashboard shows, as one JSON-ready dict: the page, its charts, the
API and the mayor's PDF all read this, so they always show the same numbers.

It is computed from the coverage facts (`coverage.facts`, a fraction of a second for a province
of a million members) and kept in `DashboardSnapshot` for `JARING_DASHBOARD_MAX_AGE` seconds
(10 minutes by default) unless the facts were recounted since; writes to coverage figures drop
it, and the page has a refresh button.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone, translation

from jaring.accounts.scope import SYSTEM, Actor, region_q
from jaring.claims.permissions import CLAIMS
from jaring.claims.reports import money_summary
from jaring.continuity.selectors import retention
from jaring.contributions.models import Payment
from jaring.core.errors import DomainError
from jaring.coverage import facts, projection, selectors
from jaring.coverage.models import DashboardSnapshot, Segment
from jaring.dedupe.models import PairStatus, ProbableDuplicate
from jaring.programs.budget import programme_budget
from jaring.programs.models import Programme
from jaring.regions.models import Region
from jaring.rules.tables import month_text

EXPIRY_DAYS = 60


def max_age() -> int:
    return int(getattr(settings, "JARING_DASHBOARD_MAX_AGE", 600))


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _segments(c: selectors.Coverage) -> list[dict[str, object]]:
    labels = selectors.segment_labels()
    counts = {
        selectors.JARING: c.jaring,
        selectors.JARING_SELF_PAID: c.jaring_self_paid,
        **{s: c.segments.get(s, 0) for s in Segment.values},
    }
    return [
        {
            "code": code,
            "name": labels[code],
            "participants": n,
            "coverage_pct": selectors.pct(n, c.working_population),
        }
        for code, n in counts.items()
    ]


def _programmes(region: Region, year: int) -> list[dict[str, object]]:
    inside = region_q(region.code, field="region__code")
    out = []
    for p in Programme.objects.filter(inside, fiscal_year=year).order_by("name"):
        paid = Payment.objects.filter(programme=p).aggregate(s=Sum("amount"))["s"] or 0
        row = {
            "id": p.pk,
            "name": p.name,
            "funder": p.get_funder_display(),
            "legal_basis": p.legal_basis,
            "ceiling": p.budget_ceiling,
            "paid": paid,
        }
        try:
            b = programme_budget(p, groups=facts.enrolled_groups(p.pk))
            row |= {"planned": b.planned, "enrolled": b.enrolled, "active": b.active}
            row["members"] = sum(c.enrolled_workers for c in b.categories)
        except DomainError as exc:
            row["problem"] = exc.problems[0].message
        out.append(row)
    return out


def _expiring(region: Region, today: dt.date) -> dict[str, object]:
    by_day = facts.expiring(region, today, today + dt.timedelta(days=EXPIRY_DAYS))
    by_month: dict[str, int] = defaultdict(int)
    for day, n in by_day.items():
        by_month[month_text(day)] += n
    soon = today + dt.timedelta(days=30)
    return {
        "within_days": EXPIRY_DAYS,
        "within_30_days": sum(n for day, n in by_day.items() if day <= soon),
        "total": sum(by_day.values()),
        "by_month": [{"month": k, "members": v} for k, v in sorted(by_month.items())],
    }


def _duplicates(region: Region) -> int:
    return ProbableDuplicate.objects.filter(
        region_q(region.code), status=PairStatus.PENDING
    ).count()


def compute(region: Region, month: dt.date, *, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    facts.ensure(region, today)
    c = selectors.coverage(SYSTEM, region, month, today=today)
    points = selectors.history(region, month, today=today)
    b = selectors.breakdowns(region, month, today=today)
    data = {
        "coverage": c.as_dict(),
        "segments": _segments(c),
        "history": points,
        "yearly": selectors.yearly(points),
        "projection": projection.project(c, points).as_dict(),
        "categories": b.categories,
        "ecosystems": b.ecosystems,
        "sex": b.sex,
        "disability": b.disability,
        "districts": b.districts,
        "money": money_summary(region, year=month.year, as_of=today),
        "programmes": _programmes(region, month.year),
        "expiring": _expiring(region, today),
        "retention": retention(SYSTEM, region.code, month, today=today).as_dict(),
        "duplicates_pending": _duplicates(region),
        "computed_at": timezone.now().isoformat(timespec="seconds"),
    }
    return _plain(data)


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def dashboard(user: Actor, region: Region, month: dt.date, *, refresh: bool = False) -> dict:
    """The dashboard for `user` (money only for roles that see money reports)."""
    selectors.get_region(user, region.code)  # the scope check (not a count: 2 s at 1M members)
    now = timezone.now()
    recounted = facts.ensure(region)
    snap = DashboardSnapshot.objects.filter(region=region, month=month).first()
    fresh = (
        snap
        and not refresh
        and not recounted
        and (now - snap.computed_at).total_seconds() < max_age()
        and snap.computed_at >= facts.last_recount(region)
        # Its warnings and names are written in the language it was computed in.
        and snap.data.get("language") == _language()
    )
    if fresh:
        data = snap.data
    else:
        started = time.perf_counter()
        data = {**compute(region, month), "language": _language()}
        DashboardSnapshot.objects.update_or_create(
            region=region,
            month=month,
            defaults={
                "data": data,
                "computed_at": now,
                "seconds": time.perf_counter() - started,
            },
        )
    data = {k: v for k, v in data.items() if k != "language"}
    if not CLAIMS.may(user, "report"):
        data = {**data, "money": None}
    return data
