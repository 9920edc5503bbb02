"""Reads of bills, payments and arrears, limited to the programmes the user manages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import QuerySet

from jaring.accounts.masking import display_nik
from jaring.accounts.scope import Actor
from jaring.contributions.access import programmes_managed
from jaring.contributions.models import Bill, BillLine, LineStatus, Payment
from jaring.contributions.permissions import CONTRIBUTIONS
from jaring.contributions.services import arrears_rule, month_of
from jaring.core.errors import NotFound
from jaring.enrolment.models import Membership
from jaring.rules.tables import month_text


def bills_for(user: Actor) -> QuerySet[Bill]:
    CONTRIBUTIONS.check(user, "view")
    return Bill.objects.filter(programme__in=programmes_managed(user)).select_related("programme")


def get_bill(user: Actor, pk: int) -> Bill:
    bill = bills_for(user).filter(pk=pk).first()
    if bill is None:
        raise NotFound.of("Tagihan", "Bill")
    return bill


def bill_lines(bill: Bill) -> QuerySet[BillLine]:
    return (
        BillLine.objects.filter(bill=bill)
        .select_related("membership__worker", "membership__category", "rate")
        .order_by("id")
    )


def payments_for(user: Actor) -> QuerySet[Payment]:
    CONTRIBUTIONS.check(user, "view")
    return (
        Payment.objects.filter(programme__in=programmes_managed(user))
        .select_related("programme", "recorded_by")
        .prefetch_related("allocations__bill")
    )


@dataclass
class MemberArrears:
    membership_id: int
    months: list[str] = field(default_factory=list)
    amount: int = 0
    longest_run: int = 0  # consecutive unpaid months
    worker_id: int = 0
    name: str = ""
    nik: str = ""
    kpj: str = ""
    programme: str = ""

    @property
    def at_risk(self) -> bool:
        """One more unpaid month and the membership lapses."""
        return self.longest_run >= arrears_rule()["max_consecutive_unpaid_months"]

    def as_dict(self) -> dict[str, object]:
        return {
            "membership_id": self.membership_id,
            "worker_id": self.worker_id,
            "name": self.name,
            "nik": self.nik,
            "kpj": self.kpj,
            "programme": self.programme,
            "months": self.months,
            "months_unpaid": len(self.months),
            "amount": self.amount,
            "consecutive_unpaid": self.longest_run,
            "at_risk": self.at_risk,
        }


def arrears(
    user: Actor,
    *,
    as_of: dt.date,
    programme_id: int | None = None,
    limit: int | None = None,
) -> list[MemberArrears]:
    """Members with billed months past their due date and not fully paid, most months first."""
    programmes = programmes_managed(user)
    CONTRIBUTIONS.check(user, "view")
    if programme_id is not None:
        programmes = programmes.filter(pk=programme_id)
    ids = ", ".join(str(int(pk)) for pk in programmes.values_list("pk", flat=True)) or "NULL"
    line, bill = BillLine._meta.db_table, Bill._meta.db_table
    sql = f"""
        SELECT l.membership_id, b.period,
            CASE WHEN l.cumulative - b.paid < l.amount THEN l.cumulative - b.paid
                 ELSE l.amount END
        FROM {line} l JOIN {bill} b ON b.id = l.bill_id
        WHERE b.programme_id IN ({ids}) AND l.status = %s AND l.cumulative > b.paid
            AND b.due_date < %s
        ORDER BY l.membership_id, b.period
    """
    rows: dict[int, MemberArrears] = {}
    last: dict[int, tuple[int, int]] = {}  # membership -> (previous period, current run)
    with connection.cursor() as cur:
        cur.execute(sql, [LineStatus.BILLED, as_of])
        for mid, period, owed in cur.fetchall():
            a = rows.setdefault(mid, MemberArrears(mid))
            a.months.append(month_text(month_of(period)))
            a.amount += int(owed)
            previous, run = last.get(mid, (None, 0))
            run = run + 1 if previous == period - 1 else 1
            last[mid] = (period, run)
            a.longest_run = max(a.longest_run, run)
    ordered = sorted(rows.values(), key=lambda a: (-len(a.months), a.membership_id))
    if limit is not None:
        ordered = ordered[:limit]
    members = Membership.objects.filter(pk__in=[a.membership_id for a in ordered]).select_related(
        "worker", "programme"
    )
    info = {m.pk: m for m in members}
    for a in ordered:
        m = info[a.membership_id]
        a.worker_id, a.kpj, a.programme = m.worker_id, m.kpj, str(m.programme)
        a.name = m.worker.full_name
        a.nik = display_nik(user, m.worker.nik)
    return ordered
