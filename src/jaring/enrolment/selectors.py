"""Reads of memberships, always through the user's region (`accounts.scope`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from jaring.accounts.models import User
from jaring.accounts.scope import in_scope, region_q, scope_q
from jaring.core.errors import CoreError, NotFound, Problem
from jaring.enrolment import eligibility
from jaring.enrolment.models import Membership, MembershipStatus
from jaring.programs import budget
from jaring.programs.models import Programme
from jaring.registry.models import Worker
from jaring.registry.selectors import WorkerFilter, search_workers


@dataclass
class MembershipFilter:
    programme: int | None = None
    status: str = ""
    q: str = ""
    district: str = ""
    village: str = ""
    category: str = ""
    # Active memberships whose cover ends within this many days (the expiry list).
    expiring_within: int | None = None
    ids: list[int] = field(default_factory=list)


def status_q(status: str, on: dt.date) -> Q:
    """Memberships whose status on `on` is `status` (Membership.status_on): active cover that
    ended before `on` counts as expired before the daily job records it."""
    ended = Q(status=MembershipStatus.ACTIVE, end_date__lt=on)
    if status == MembershipStatus.EXPIRED:
        return Q(status=MembershipStatus.EXPIRED) | ended
    if status == MembershipStatus.ACTIVE:
        return Q(status=MembershipStatus.ACTIVE) & ~ended
    return Q(status=status)


def status_on_expr(on: dt.date) -> Case:
    """The status on `on`, as a database expression (for counts by status)."""
    return Case(
        When(
            status=MembershipStatus.ACTIVE,
            end_date__lt=on,
            then=Value(MembershipStatus.EXPIRED.value),
        ),
        default=F("status"),
        output_field=CharField(),
    )


def memberships_for(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(scope_q(user))


def search_memberships(
    user: User, f: MembershipFilter, *, on: dt.date | None = None
) -> QuerySet[Membership]:
    qs = memberships_for(user)
    if f.programme:
        qs = qs.filter(programme_id=f.programme)
    if f.status:
        qs = qs.filter(status_q(f.status, on or timezone.localdate()))
    if f.district:
        qs = qs.filter(district_code=f.district)
    if f.village:
        qs = qs.filter(village_id=f.village)
    if f.category:
        qs = qs.filter(category_id=f.category)
    if f.ids:
        qs = qs.filter(pk__in=f.ids)
    if f.q.strip():
        qs = qs.filter(worker__in=search_workers(user, WorkerFilter(q=f.q)).values("pk"))
    if f.expiring_within is not None:
        on = on or timezone.localdate()
        qs = qs.filter(
            status=MembershipStatus.ACTIVE,
            end_date__gte=on,
            end_date__lte=on + dt.timedelta(days=f.expiring_within),
        )
    return qs.select_related("worker", "programme", "category", "village").order_by(
        "worker__name_key", "id"
    )


def get_membership(user: User, pk: int) -> Membership:
    m = (
        memberships_for(user)
        .select_related("worker", "programme", "category", "village", "renewed_to")
        .filter(pk=pk)
        .first()
    )
    if m is None:
        raise NotFound(
            Problem(CoreError.NOT_FOUND, "Keanggotaan tidak ditemukan.", "Membership not found.")
        )
    return m


def status_counts(user: User, programme: Programme, *, on: dt.date | None = None) -> dict[str, int]:
    """Members by the status that holds today (ended cover counts as expired at once)."""
    rows = (
        memberships_for(user)
        .filter(programme=programme)
        .order_by()
        .annotate(today=status_on_expr(on or timezone.localdate()))
        .values("today")
        .annotate(n=Count("pk"))
    )
    counts = dict.fromkeys(MembershipStatus.values, 0)
    counts.update({r["today"]: r["n"] for r in rows})
    return counts


def enrolled_groups(programme: Programme) -> QuerySet:
    """Memberships that took a place, per category, terms and start month, with the active."""
    return (
        Membership.objects.filter(eligibility.COUNTS_FOR_QUOTA, programme=programme)
        .values("category_id", "income_base", "months")
        .annotate(
            month=TruncMonth("start_date"),
            n=Count("id"),
            n_active=Count("id", filter=Q(status=MembershipStatus.ACTIVE)),
        )
        .order_by()
    )


def programme_budget(programme: Programme, *, on: dt.date | None = None) -> budget.ProgrammeBudget:
    """The programme's budget with its memberships as they are now (`budget.programme_budget`)."""
    return budget.programme_budget(programme, groups=enrolled_groups(programme), on=on)


@dataclass
class EligibilityFilter:
    eligible: str = ""  # "", "yes" or "no"
    reason: str = ""  # one of eligibility.REASONS' codes
    q: str = ""
    district: str = ""
    village: str = ""
    category: str = ""


def candidates_for(user: User, programme: Programme, f: EligibilityFilter) -> QuerySet[Worker]:
    """Workers in the user's region and the programme's region, filtered as asked (no verdict)."""
    qs = search_workers(
        user, WorkerFilter(q=f.q, district=f.district, village=f.village, category=f.category)
    )
    return qs.filter(region_q(programme.region_id))


def eligibility_list(
    user: User, programme: Programme, f: EligibilityFilter, *, on: dt.date | None = None
) -> tuple[eligibility.Judge, QuerySet[Worker], dict[str, int]]:
    """The judge, the filtered workers (annotated with their reasons) and the counts.

    Counts are of the workers before the eligible/reason filter, so the officer sees how many
    each reason holds back while looking at one of them.
    """
    judge = eligibility.judge(programme, on=on or timezone.localdate())
    base = candidates_for(user, programme, f)
    counts = judge.counts(base)
    qs = base
    if f.eligible == "yes":
        qs = judge.eligible(qs)
    elif f.eligible == "no":
        qs = judge.ineligible(qs)
    if f.reason in eligibility.REASON_BY_CODE:
        qs = judge.with_reason(qs, f.reason)
    return judge, judge.annotate(qs), counts


def region_filter(actor: User, region_code: str | None, prefix: str = "") -> Q:
    """Records in `region_code` (any level), refused when it is outside the actor's scope."""
    if not region_code:
        return Q()
    if region_code.count(".") > 3 or not in_scope(actor, region_code):
        raise NotFound(
            Problem(
                CoreError.NOT_FOUND,
                f"Wilayah {region_code} tidak ditemukan di wilayah kerja Anda.",
                f"Region {region_code} is not in your area.",
                field="village",
            )
        )
    return region_q(region_code, prefix=prefix)


def regencies_of(memberships: QuerySet[Membership]) -> set[str]:
    """The regencies these memberships are counted in (what `memberships_changed` announces)."""
    return set(memberships.order_by().values_list("regency_code", flat=True).distinct())
