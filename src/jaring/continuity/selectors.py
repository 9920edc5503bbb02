"""Reads of self-paying members and the hand-over, always through the user's region.

Retention (the dashboard's and `jaring continuity`'s): of the workers whose city-funded cover
ended in the twelve months up to the month asked, how many are covered at its end (or today,
while it runs), and, for each of 1, 3 and 6 months after their cover ended, how many were
covered then. Covered means by a later funded membership ("renewed") or by a self-paid month
that is paid ("continued self-paid"): a self-paid month still unpaid is not counted until it is.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from jaring.accounts.scope import Actor, in_scope, region_q, scope_q
from jaring.continuity.models import (
    Choice,
    CoverStatus,
    HandoverChoice,
    MonthStatus,
    SelfPayCover,
    SelfPayment,
    SelfPayMonth,
)
from jaring.continuity.services import AGENT_OWNS, ENDING_STATUSES, lapse_limit, notice_days
from jaring.core.errors import NotFound
from jaring.enrolment.models import Membership, MembershipStatus
from jaring.enrolment.selectors import memberships_for
from jaring.rules.months import add_months
from jaring.rules.tables import month_text

RETENTION_MONTHS = (1, 3, 6)
COHORT_MONTHS = 12
# Funded cover counted as given (an ended membership covered until its end date).
_FUNDED = (
    MembershipStatus.ACTIVE,
    MembershipStatus.EXPIRED,
    MembershipStatus.RENEWED,
    MembershipStatus.ENDED,
)


def covers_for(user: Actor) -> QuerySet[SelfPayCover]:
    return SelfPayCover.objects.filter(scope_q(user, own=AGENT_OWNS))


def lapsing(today: dt.date) -> Q:
    """Active covers past the lapse rule on `today` (more unpaid months past their due date
    than it allows): lapsed today, whether or not the daily run (services.apply_lapses, the
    same rule) has recorded it yet."""
    overdue = (
        SelfPayMonth.objects.filter(status=MonthStatus.DUE, due_date__lt=today)
        .order_by()
        .values("cover_id")
        .annotate(n=Count("id"))
        .filter(n__gt=lapse_limit())
        .values("cover_id")
    )
    return Q(status=CoverStatus.ACTIVE, pk__in=overdue)


def with_status_today(
    covers: QuerySet[SelfPayCover], today: dt.date | None = None
) -> QuerySet[SelfPayCover]:
    """`status_today` on each cover: the recorded status, or lapsed for an active cover past
    the lapse rule today (SelfPayCover.get_status_today_display)."""
    today = today or timezone.localdate()
    return covers.annotate(
        status_today=Case(
            When(lapsing(today), then=Value(CoverStatus.LAPSED.value)),
            default=F("status"),
            output_field=CharField(),
        )
    )


def get_cover(user: Actor, pk: int) -> SelfPayCover:
    cover = with_status_today(covers_for(user)).select_related("worker", "village").filter(pk=pk)
    cover = cover.first()
    if cover is None:
        raise NotFound.of("Peserta mandiri", "Self-paid cover")
    return cover


def cover_months(cover: SelfPayCover) -> QuerySet[SelfPayMonth]:
    return cover.months.select_related("payment", "rate").order_by("period")


def arrears(cover: SelfPayCover, as_of: dt.date) -> list[SelfPayMonth]:
    return list(cover.months.filter(status="due", due_date__lt=as_of).order_by("period"))


# --- the hand-over list -------------------------------------------------------------------------


def handover(
    user: Actor, *, as_of: dt.date | None = None, within_days: int | None = None
) -> QuerySet[Membership]:
    """Funded memberships whose cover ends within the notice (30 days), with the choice made."""
    as_of = as_of or timezone.localdate()
    days = notice_days() if within_days is None else within_days
    choices = HandoverChoice.objects.filter(membership_id=OuterRef("pk"))
    return (
        memberships_for(user)
        .filter(
            status__in=ENDING_STATUSES,
            end_date__gte=as_of,
            end_date__lte=as_of + dt.timedelta(days=days),
        )
        .select_related("worker", "village", "programme")
        .annotate(
            choice=Subquery(choices.values("choice")[:1]),
            cover_id=Subquery(choices.values("cover_id")[:1]),
        )
        .order_by("village_id", "end_date", "worker__full_name", "id")
    )


def handover_by_village(memberships: QuerySet[Membership]) -> list[dict]:
    """How many end per village, and how many chose each way (one grouped query)."""
    rows = (
        memberships.order_by()
        .values("village_id", "village__name")
        .annotate(
            ending=Count("id"),
            **{
                c: Count("id", filter=Q(choice=c))
                for c in (Choice.SELF_PAID, Choice.RENEWED, Choice.STOP)
            },
        )
        .order_by("village__name")
    )
    return [
        {
            "village": r["village_id"],
            "village_name": r["village__name"],
            "ending": r["ending"],
            "self_paid": r[Choice.SELF_PAID],
            "renewed": r[Choice.RENEWED],
            "stop": r[Choice.STOP],
            "undecided": r["ending"] - r[Choice.SELF_PAID] - r[Choice.RENEWED] - r[Choice.STOP],
        }
        for r in rows
    ]


# --- coverage: self-payers as a segment ----------------------------------------------------------


def self_paid_on(region_code: str, days: list[dt.date]) -> list[int]:
    """People covered by a paid self-paid month on each day, in one query."""
    if not days:
        return []
    counts = SelfPayCover.objects.filter(region_q(region_code)).aggregate(
        **{
            # A worker's covers never overlap (one active at a time, a new one starts after
            # the old ended), so counting covers counts people.
            f"d{i}": Count("id", filter=Q(covered_from__lte=day, covered_through__gte=day))
            for i, day in enumerate(days)
        }
    )
    return [counts[f"d{i}"] for i in range(len(days))]


def self_payments(region_code: str, year: int) -> dict[str, int]:
    """The year's self-payments (money from the workers, not the city) in a region."""
    inside = Q(regency_code=region_code) | Q(regency_code__startswith=region_code + ".")
    if region_code.count(".") >= 2:  # a district or village: through the cover's columns
        inside = region_q(region_code, prefix="cover__")
    paid = SelfPayment.objects.filter(inside, paid_on__year=year).aggregate(
        amount=Sum("amount"), payments=Count("id")
    )
    return {"amount": int(paid["amount"] or 0), "payments": paid["payments"]}


# --- retention ----------------------------------------------------------------------------------


@dataclass
class Retention:
    region: str
    month: str
    counted_on: str
    funded_ended: int = 0
    continued_self_paid: int = 0
    renewed: int = 0
    lapsed: int = 0
    stopped: int = 0
    not_covered: int = 0
    choices: dict[str, int] = field(default_factory=dict)
    after_months: list[dict] = field(default_factory=list)
    self_paying_active: int = 0

    @property
    def retention_pct(self) -> str | None:
        if not self.funded_ended:
            return None
        kept = self.continued_self_paid + self.renewed
        return f"{100 * kept / self.funded_ended:.1f}"

    def as_dict(self) -> dict[str, object]:
        return {
            "region": self.region,
            "month": self.month,
            "counted_on": self.counted_on,
            "funded_ended": self.funded_ended,
            "continued_self_paid": self.continued_self_paid,
            "renewed": self.renewed,
            "lapsed": self.lapsed,
            "stopped": self.stopped,
            "not_covered": self.not_covered,
            "retention_pct": self.retention_pct,
            "choices": self.choices,
            "after_months": self.after_months,
            "self_paying_active": self.self_paying_active,
        }


def _covered(intervals: list[tuple[dt.date, dt.date]], day: dt.date) -> bool:
    return any(start <= day <= end for start, end in intervals)


def retention(
    user: Actor, region_code: str, month: dt.date, *, today: dt.date | None = None
) -> Retention:
    if not in_scope(user, region_code):
        raise NotFound.of("Wilayah", "Region")
    today = today or timezone.localdate()
    month = month.replace(day=1)
    day = min(add_months(month, 1) - dt.timedelta(days=1), today)
    out = Retention(region=region_code, month=month_text(month), counted_on=day.isoformat())
    inside = region_q(region_code)
    since = add_months(month, -(COHORT_MONTHS - 1))
    ended: dict[int, dt.date] = {}
    for worker, end in (
        Membership.objects.filter(
            inside,
            status__in=(*ENDING_STATUSES, MembershipStatus.RENEWED),
            start_date__isnull=False,
            end_date__gte=since,
            end_date__lt=day,
        )
        .order_by()
        .values_list("worker_id", "end_date")
    ):
        ended[worker] = max(end, ended.get(worker, end))
    out.funded_ended = len(ended)
    # As they stand today: a cover past the lapse rule is lapsed before the daily run says so.
    out.self_paying_active = (
        SelfPayCover.objects.filter(inside, status=CoverStatus.ACTIVE)
        .exclude(lapsing(today))
        .count()
    )
    if not ended:
        return out
    funded: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for worker, start, end in (
        Membership.objects.filter(
            inside, status__in=_FUNDED, start_date__isnull=False, end_date__gte=since
        )
        .order_by()
        .values_list("worker_id", "start_date", "end_date")
    ):
        if worker in ended and start > ended[worker]:
            funded[worker].append((start, end))
    paid: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    lapsed: set[int] = set()
    for worker, status, start, end in (
        with_status_today(SelfPayCover.objects.filter(inside), today)
        .order_by()
        .values_list("worker_id", "status_today", "covered_from", "covered_through")
    ):
        if worker not in ended:
            continue
        if start and end:
            paid[worker].append((start, end))
        if status == CoverStatus.LAPSED:
            lapsed.add(worker)
    stopped = set(
        HandoverChoice.objects.filter(inside, choice=Choice.STOP).values_list(
            "worker_id", flat=True
        )
    )
    out.choices = _choices(inside)
    for worker in ended:
        if _covered(funded[worker], day):
            out.renewed += 1
        elif _covered(paid[worker], day):
            out.continued_self_paid += 1
        elif worker in lapsed:
            out.lapsed += 1
        elif worker in stopped:
            out.stopped += 1
        else:
            out.not_covered += 1
    for k in RETENTION_MONTHS:
        eligible = covered = 0
        for worker, end in ended.items():
            then = add_months(end, k)
            if then > day:
                continue
            eligible += 1
            covered += _covered(funded[worker], then) or _covered(paid[worker], then)
        out.after_months.append(
            {
                "months": k,
                "ended": eligible,
                "covered": covered,
                "pct": f"{100 * covered / eligible:.1f}" if eligible else None,
            }
        )
    return out


def _choices(inside: Q) -> dict[str, int]:
    return dict(
        HandoverChoice.objects.filter(inside)
        .order_by()
        .values_list("choice")
        .annotate(n=Count("id"))
    )


# --- for reminders (notify) ---------------------------------------------------------------------


def unpaid_months(*, due_from: dt.date, due_to: dt.date):
    """Unpaid months of active covers due in [due_from, due_to], as plain rows (worker's name
    and phone, no NIK) for the reminders: the whole country, as the background worker."""
    return (
        SelfPayMonth.objects.filter(
            status="due",
            due_date__range=(due_from, due_to),
            cover__status=CoverStatus.ACTIVE,
        )
        .order_by("due_date", "cover_id")
        .values_list(
            "cover_id",
            "period",
            "amount",
            "due_date",
            "cover__worker_id",
            "cover__worker__full_name",
            "cover__worker__phone",
            "cover__regency_code",
        )
    )


def lapsed_covers(*, ended_from: dt.date):
    """Covers that lapsed with their end on or after `ended_from`, as plain rows."""
    return (
        SelfPayCover.objects.filter(status=CoverStatus.LAPSED, end_date__gte=ended_from)
        .order_by("id")
        .values_list("id", "worker_id", "worker__full_name", "worker__phone", "regency_code")
    )
