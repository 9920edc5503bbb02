"""The money report: what a programme's contributions bought, per programme, city and segment.

For one year, each row (programme × city × segment, the segment being the members' occupation
category) has:
- members and member-months: workers whose cover touches the year, and the months of the
  year their cover touches (an ended membership counts until it ended, as billing does);
- billed, paid, arrears: the year's bill lines (contribution months in the year); a line is
  paid when the bill's payments reach it (bills are paid in line order), arrears are the unpaid
  part of lines past their due date on `as_of`; lapsed lines are not payable and not counted;
- claims by kind (count and amount) for events in the year, rejected claims left out;
- benefits paid: the payments made in the year (their date), lump sums and scholarship years
  alike, whatever year the event was; and apart, what is owed in later years: the scholarship
  years of claims for events up to the year's end that were not paid by then (still in the
  schedule, or paid after the year), the city's future liability;
- the benefit-to-contribution ratio = benefits paid ÷ contributions paid.

Contributions are read from the contributions models, claims from this app; everything goes
through the user's region scope.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from jaring.accounts.scope import Actor, region_q, scope_q
from jaring.claims import cover
from jaring.claims.models import (
    OPEN_YEARS,
    Claim,
    ClaimKind,
    ClaimPayment,
    ClaimStatus,
    ScholarshipYear,
)
from jaring.claims.permissions import CLAIMS
from jaring.continuity.selectors import self_payments
from jaring.contributions.models import Bill, BillLine, LineStatus
from jaring.core.errors import NotFound
from jaring.enrolment.models import Membership, MembershipStatus
from jaring.programs.models import Programme
from jaring.programs.selectors import programmes_for
from jaring.regions.models import Region
from jaring.registry.models import OccupationCategory

Key = tuple[int, str, str]  # programme id, regency code, category code


@dataclass
class Row:
    programme_id: int | None
    programme: str
    participation_code: str
    regency_code: str
    city: str
    segment: str
    segment_name: str
    members: int = 0
    member_months: int = 0
    billed: int = 0
    paid: int = 0
    arrears: int = 0
    members_in_arrears: int = 0
    claims: dict[str, dict[str, int]] = field(
        default_factory=lambda: {k: {"count": 0, "amount": 0} for k in ClaimKind.values}
    )
    claims_paid: int = 0
    benefits_paid: int = 0
    benefits_owed_later: int = 0

    @property
    def claims_count(self) -> int:
        return sum(c["count"] for c in self.claims.values())

    @property
    def claims_amount(self) -> int:
        return sum(c["amount"] for c in self.claims.values())

    @property
    def ratio(self) -> Decimal | None:
        """Benefits paid per rupiah of contributions paid, to two decimals."""
        if not self.paid:
            return None
        return (Decimal(self.benefits_paid) / Decimal(self.paid)).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "programme_id": self.programme_id,
            "programme": self.programme,
            "participation_code": self.participation_code,
            "regency_code": self.regency_code,
            "city": self.city,
            "segment": self.segment,
            "segment_name": self.segment_name,
            "members": self.members,
            "member_months": self.member_months,
            "billed": self.billed,
            "paid": self.paid,
            "arrears": self.arrears,
            "members_in_arrears": self.members_in_arrears,
            "claims": self.claims,
            "claims_count": self.claims_count,
            "claims_amount": self.claims_amount,
            "claims_paid": self.claims_paid,
            "benefits_paid": self.benefits_paid,
            "benefits_owed_later": self.benefits_owed_later,
            "ratio": str(self.ratio) if self.ratio is not None else None,
        }


@dataclass
class MoneyReport:
    year: int
    as_of: dt.date
    programme: Programme | None
    region: Region | None
    rows: list[Row]
    total: Row

    def as_dict(self) -> dict[str, object]:
        return {
            "year": self.year,
            "as_of": self.as_of.isoformat(),
            "programme_id": self.programme.pk if self.programme else None,
            "programme": str(self.programme) if self.programme else None,
            "region": self.region.code if self.region else None,
            "region_name": self.region.name if self.region else None,
            "rows": [r.as_dict() for r in self.rows],
            "total": self.total.as_dict(),
        }


def _filters(
    user: Actor, programme: Programme | None, region: Region | None, prefix: str = ""
) -> Q:
    q = scope_q(user, prefix=prefix)
    if programme is not None:
        q &= Q(**{f"{prefix}programme_id": programme.pk})
    if region is not None:
        q &= region_q(region.code, prefix=prefix)
    return q


def _cover(qs: QuerySet[Membership], year: int, rows: dict[Key, Row]) -> int:
    """Members and member-months per row; returns the distinct workers over all rows."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    year_start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    covered = qs.filter(
        status__in=cover.COVERED, start_date__lte=last, end_date__gte=first
    ).exclude(status=MembershipStatus.ENDED, status_changed_at__lt=year_start)
    group = ("programme_id", "regency_code", "category_id")
    for r in covered.order_by().values(*group).annotate(n=Count("worker_id", distinct=True)):
        rows[(r["programme_id"], r["regency_code"], r["category_id"])].members = r["n"]
    # Cover periods repeat (a programme starts many members on the same day): count each
    # (start, end) once in SQL. An ended membership's last day depends on when it ended
    # (cover.last_covered_day); those are few and are taken one by one.
    running = covered.exclude(status=MembershipStatus.ENDED).order_by()
    periods = running.values(*group, "start_date", "end_date").annotate(n=Count("pk"))
    for r in periods.iterator():
        months = cover.months_touched(max(r["start_date"], first), min(r["end_date"], last))
        key = (r["programme_id"], r["regency_code"], r["category_id"])
        rows[key].member_months += len(months) * r["n"]
    ended = covered.filter(status=MembershipStatus.ENDED).values_list(
        *group, "status", "start_date", "end_date", "status_changed_at"
    )
    for pid, regency, category, status, start, end, changed in ended.iterator():
        months = cover.months_touched(
            max(start, first), min(cover.last_covered_day(status, end, changed), last)
        )
        rows[(pid, regency, category)].member_months += len(months)
    return covered.values("worker_id").distinct().count()


def _paid_part() -> Case:
    # Lines are paid in order: a line is paid in full when the running total reaches it.
    return Case(
        When(cumulative__lte=F("bill__paid"), then=F("amount")),
        When(
            cumulative__lt=F("bill__paid") + F("amount"),
            then=F("bill__paid") - F("cumulative") + F("amount"),
        ),
        default=Value(0),
        output_field=BigIntegerField(),
    )


def _contributions(q: Q, year: int, as_of: dt.date, rows: dict[Key, Row]) -> None:
    paid = _paid_part()
    due = Q(bill__due_date__lt=as_of)
    owed = Case(
        When(due, then=F("amount") - paid), default=Value(0), output_field=BigIntegerField()
    )
    lines = (
        BillLine.objects.filter(
            q,
            status=LineStatus.BILLED,
            bill__month__gte=dt.date(year, 1, 1),
            bill__month__lte=dt.date(year, 12, 1),
        )
        .order_by()
        .values("bill__programme_id", "membership__regency_code", "membership__category_id")
        .annotate(
            billed=Sum("amount", output_field=BigIntegerField()),
            paid=Sum(paid),
            arrears=Sum(owed),
            in_arrears=Count(
                "membership_id", distinct=True, filter=due & Q(cumulative__gt=F("bill__paid"))
            ),
        )
    )
    for r in lines:
        row = rows[
            (r["bill__programme_id"], r["membership__regency_code"], r["membership__category_id"])
        ]
        row.billed, row.paid, row.arrears = int(r["billed"]), int(r["paid"]), int(r["arrears"])
        row.members_in_arrears = r["in_arrears"]


def _claims(q: Q, year: int, rows: dict[Key, Row]) -> None:
    """Claims for events in the year by kind; the money paid in the year; what is owed later."""
    paid = Q(status=ClaimStatus.PAID)
    claims = (
        Claim.objects.filter(q, event_date__year=year)
        .exclude(status=ClaimStatus.REJECTED)
        .order_by()
        .values("programme_id", "regency_code", "membership__category_id", "kind")
        .annotate(n=Count("pk"), amount=Sum("total"), paid_n=Count("pk", filter=paid))
    )
    for c in claims:
        row = rows[(c["programme_id"], c["regency_code"], c["membership__category_id"])]
        row.claims[c["kind"]]["count"] += c["n"]
        row.claims[c["kind"]]["amount"] += int(c["amount"])
        row.claims_paid += c["paid_n"]
    group = ("claim__programme_id", "claim__regency_code", "claim__membership__category_id")
    claim_q = Q(claim__in=Claim.objects.filter(q).values("pk"))
    payments = (
        ClaimPayment.objects.filter(claim_q, paid_on__year=year)
        .order_by()
        .values(*group)
        .annotate(amount=Sum("amount"))
    )
    for p in payments:
        rows[tuple(p[g] for g in group)].benefits_paid += int(p["amount"])
    year_end = dt.date(year, 12, 31)
    owed = (
        ScholarshipYear.objects.filter(
            claim_q,
            Q(status__in=OPEN_YEARS) | Q(payment__paid_on__gt=year_end),
            claim__event_date__lte=year_end,
        )
        .exclude(claim__status=ClaimStatus.REJECTED)
        .order_by()
        .values(*group)
        .annotate(amount=Sum("amount"))
    )
    for o in owed:
        rows[tuple(o[g] for g in group)].benefits_owed_later += int(o["amount"])


def money_report(
    user: Actor,
    *,
    year: int,
    programme_id: int | None = None,
    region_code: str | None = None,
    as_of: dt.date | None = None,
) -> MoneyReport:
    """The report for `year`, limited to a programme or a region, within the user's scope."""
    CLAIMS.check(user, "report")
    as_of = as_of or timezone.localdate()
    programme = region = None
    if programme_id is not None:
        programme = programmes_for(user).filter(pk=programme_id).first()
        if programme is None:
            raise NotFound.of("Program", "Programme", "programme")
    if region_code:
        region = Region.objects.filter(code=region_code.strip()).first()
        if region is None:
            raise NotFound.of("Wilayah", "Region", "region")

    raw: dict[Key, Row] = defaultdict(lambda: Row(None, "", "", "", "", "", ""))
    q = _filters(user, programme, region)
    members = _cover(Membership.objects.filter(q), year, raw)
    _contributions(_filters(user, programme, region, "membership__"), year, as_of, raw)
    _claims(q, year, raw)
    rows = _label(raw)
    total = Row(None, "", "", "", "", "", "")
    for row in rows:
        for name in ("member_months", "billed", "paid", "arrears", "members_in_arrears"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
        for kind, c in row.claims.items():
            total.claims[kind]["count"] += c["count"]
            total.claims[kind]["amount"] += c["amount"]
        total.claims_paid += row.claims_paid
        total.benefits_paid += row.benefits_paid
        total.benefits_owed_later += row.benefits_owed_later
    total.members = members
    return MoneyReport(year, as_of, programme, region, rows, total)


def _label(raw: dict[Key, Row]) -> list[Row]:
    programmes = Programme.objects.in_bulk({k[0] for k in raw})
    cities = Region.objects.in_bulk({k[1] for k in raw})
    segments = OccupationCategory.objects.in_bulk({k[2] for k in raw})
    out = []
    for key in sorted(raw, key=lambda k: (str(programmes[k[0]]), k[1], segments[k[2]].sort)):
        row = raw[key]
        p, city, segment = programmes[key[0]], cities.get(key[1]), segments[key[2]]
        row.programme_id, row.programme, row.participation_code = p.pk, str(p), p.participation_code
        row.regency_code, row.city = key[1], city.name if city else key[1]
        row.segment, row.segment_name = segment.code, str(segment)
        out.append(row)
    return out


def money_summary(region: Region, *, year: int, as_of: dt.date | None = None) -> dict[str, object]:
    """The dashboard's money for `region`: the year's bills of the programmes run in it (or
    below it), from each bill's totals, and the claims of its members for events in the year.

    Reads one row per bill, not the bill lines (a million members make twelve million lines a
    year); so a programme run by a province is counted whole on the province's dashboard, and
    a city's dashboard shows the programmes the city runs."""
    as_of = as_of or timezone.localdate()
    inside = region_q(region.code, prefix="programme__", field="region__code")
    bills = Bill.objects.filter(inside, month__year=year).aggregate(
        billed_sum=Sum("total"),
        paid_sum=Sum("paid"),
        arrears_sum=Sum(
            Case(
                When(due_date__lt=as_of, paid__lt=F("total"), then=F("total") - F("paid")),
                default=Value(0),
                output_field=BigIntegerField(),
            )
        ),
    )
    total = Row(None, "", "", "", "", "", "")
    total.billed, total.paid, total.arrears = (
        int(bills[k] or 0) for k in ("billed_sum", "paid_sum", "arrears_sum")
    )
    _claims(region_q(region.code), year, defaultdict(lambda: total))
    paid_by_workers = self_payments(region.code, year)
    return {
        "year": year,
        "billed": total.billed,
        # The city's (programmes') payments and the workers' own, apart.
        "contributions_paid": total.paid,
        "self_payments": paid_by_workers["amount"],
        "self_payments_count": paid_by_workers["payments"],
        "arrears": total.arrears,
        "claims": total.claims_count,
        "claims_amount": total.claims_amount,
        "claims_by_kind": total.claims,
        "benefits_paid": total.benefits_paid,
        "benefits_owed_later": total.benefits_owed_later,
        "ratio": total.ratio,
    }
