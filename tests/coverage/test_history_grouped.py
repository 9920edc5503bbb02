"""The monthly history counts members from grouped cover spans: the same figures as counting
`members_on` day by day, with overlapping memberships, ended ones and other regions. The KPI
figure counts each member's paid months in one grouped read."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from jaring.accounts.models import Role
from jaring.contributions import payment_services
from jaring.contributions import services as billing
from jaring.contributions.models import Bill
from jaring.coverage import selectors
from jaring.enrolment.models import Membership
from jaring.regions.models import Region
from tests.claims.setup import member_at
from tests.contributions.setup import member, programme
from tests.factories import PONTIANAK_VILLAGE, ROBAN, make_user

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 22)
JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


def test_grouped_history_equals_counting_each_day():
    admin = make_user(Role.ADMIN)
    city = programme(admin)
    other = programme(admin, name="Program Provinsi 2026")
    member(admin, city, dt.date(2026, 2, 1))  # fisher: 5 months, Feb-Jun
    both = member(admin, city, dt.date(2026, 4, 1), "palm_oil_worker")  # 12 months
    # The same worker in a second programme from May: counted once while both cover.
    twice = member_at(admin, other, dt.date(2026, 5, 1), ROBAN, "fisher")
    Membership.objects.filter(pk=twice.pk).update(worker=both.worker)
    ended = member(admin, city, dt.date(2026, 3, 1), "palm_oil_worker")
    # Ended at 03:00 in Jakarta on 31 May (still 30 May in UTC): covered on 31 May, not later.
    Membership.objects.filter(pk=ended.pk).update(
        status="ended", status_changed_at=dt.datetime(2026, 5, 31, 3, tzinfo=JAKARTA)
    )
    elsewhere = member(admin, city, dt.date(2026, 2, 1))
    Membership.objects.filter(pk=elsewhere.pk).update(
        regency_code="61.71", district_code="61.71.01", village_id=PONTIANAK_VILLAGE
    )

    region = Region.objects.get(code="61.72")
    months = [dt.date(2026, m, 1) for m in range(1, 12)]
    days = [selectors.day_counted(m, TODAY) for m in months]
    one_by_one = [
        selectors.members_on(region, d).values("worker_id").distinct().count() for d in days
    ]
    assert one_by_one == [0, 1, 2, 3, 3, 2, 1, 1, 1, 1, 1]
    assert selectors.members_by_day(region, days) == one_by_one
    points = selectors.history(region, dt.date(2026, 11, 1), today=TODAY)
    assert [p["jaring_members"] for p in points] == one_by_one[1:]  # from the first cover month
    assert selectors.members_by_day(region, []) == []


def test_kpi_counts_paid_months_per_member_up_to_six():
    admin = make_user(Role.ADMIN)
    city = programme(admin)
    member(admin, city, dt.date(2026, 2, 1))  # fisher, Feb-Jun: 5 months billed
    member(admin, city, dt.date(2026, 2, 1), "palm_oil_worker")  # Feb-Jan: 10 months billed
    late = member(admin, city, dt.date(2026, 9, 1), "palm_oil_worker")  # Sep-Nov billed
    elsewhere = member(admin, city, dt.date(2026, 2, 1), "palm_oil_worker")
    Membership.objects.filter(pk=elsewhere.pk).update(
        regency_code="61.71", district_code="61.71.01", village_id=PONTIANAK_VILLAGE
    )
    for m in range(2, 12):  # each month paid on time up to September
        billing.run_month(month=dt.date(2026, m, 1), as_of=dt.date(2026, m, 1))
        b = Bill.objects.get(month=dt.date(2026, m, 1))
        if m <= 9:
            payment_services.record_payment(
                actor=admin,
                programme=city,
                paid_on=dt.date(2026, m, 10),
                amount=b.total,
                reference=f"SP2D-{m:02d}",
            )
    region = Region.objects.get(code="61.72")
    c = selectors.coverage(None, region, dt.date(2026, 11, 1), today=TODAY)
    # Covered on 22 Nov: the two oil-palm workers. Paid months up to November: 8 (Feb-Sep) and
    # 1 (Sep): 6/6 + 1/6 of a member.
    assert (c.jaring, c.kpi_members) == (2, 2)
    assert late.worker_id in set(
        selectors.members_on(region, TODAY).values_list("worker_id", flat=True)
    )
    assert c.kpi_counted == 1 + selectors.Decimal(1) / 6
