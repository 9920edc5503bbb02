"""The precomputed coverage facts give the figures the memberships give when counted directly:
every counted day, every region level, every breakdown, over a city with ends, deaths, lapses,
renewals, overlapping covers, a merged duplicate and members in another city; writes through
the services make them stale and the next read recounts."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models.functions import Coalesce
from django.utils import timezone

from jaring.accounts.models import Role
from jaring.accounts.scope import SYSTEM
from jaring.contributions import payment_services
from jaring.contributions import services as billing
from jaring.contributions.models import Bill
from jaring.coverage import dashboard, facts, selectors
from jaring.coverage.models import FactsState, MemberFact
from jaring.enrolment import services as enrolment
from jaring.enrolment.models import EndReason, Membership
from jaring.enrolment.selectors import programme_budget
from jaring.programs.models import Programme
from jaring.regions.models import Level, Region
from jaring.registry.models import Worker
from tests.claims.setup import member_at
from tests.contributions.setup import member, programme
from tests.factories import PONTIANAK_VILLAGE, ROBAN, make_user

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 22)
JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
REGIONS = ("61", "61.72", "61.71", "61.72.01", "61.72.02")


def _scenario():
    admin = make_user(Role.ADMIN)
    city = programme(admin)
    other = programme(admin, name="Program Kedua 2026")
    sequel = programme(admin, name="Program Lanjutan 2026")
    member(admin, city, dt.date(2026, 2, 1))  # fisher, Feb-Jun: expired since
    both = member(admin, city, dt.date(2026, 4, 1), "palm_oil_worker", sex="F")
    # The same woman in a second programme from May, as a fisher, in another district: the
    # covers overlap, she counts once, where her latest cover is.
    twice = member_at(admin, other, dt.date(2026, 5, 1), ROBAN, "fisher")
    Membership.objects.filter(pk=twice.pk).update(worker=both.worker)
    # Ended at 03:00 in Jakarta on 31 May (still 30 May in UTC): covered on 31 May, not later.
    ended = member(admin, city, dt.date(2026, 3, 1), "palm_oil_worker")
    Membership.objects.filter(pk=ended.pk).update(
        status="ended", status_changed_at=dt.datetime(2026, 5, 31, 3, tzinfo=JAKARTA)
    )
    elsewhere = member(admin, city, dt.date(2026, 2, 1))  # a member living in another city
    Membership.objects.filter(pk=elsewhere.pk).update(
        regency_code="61.71", district_code="61.71.01", village_id=PONTIANAK_VILLAGE
    )
    # A renewal: last year's cover renewed, this year's follows it without a gap.
    renewed = member(
        admin,
        city,
        dt.date(2025, 6, 1),
        "palm_oil_worker",
        has_disability=True,
        disability_kind="physical",
    )
    Membership.objects.filter(pk=renewed.pk).update(status="renewed", end_date=dt.date(2026, 5, 31))
    follow = member(admin, sequel, dt.date(2026, 6, 1))
    Membership.objects.filter(pk=follow.pk).update(worker=renewed.worker)
    # A duplicate record merged into the kept one: one person, two memberships.
    kept = member(admin, city, dt.date(2026, 7, 1), "palm_oil_worker")
    dup = member(admin, other, dt.date(2026, 8, 1), "fisher")
    Worker.objects.filter(pk=dup.worker_id).update(merged_into=kept.worker)
    # Months billed; two programmes pay up to September, the second never: it lapses.
    for m in range(2, 12):
        billing.run_month(actor=SYSTEM, month=dt.date(2026, m, 1), as_of=dt.date(2026, m, 1))
        for b in Bill.objects.filter(month=dt.date(2026, m, 1)).exclude(programme=other):
            if m <= 9:
                payment_services.record_payment(
                    actor=admin,
                    programme=b.programme,
                    paid_on=dt.date(2026, m, 10),
                    amount=b.total,
                    reference=f"SP2D-{m:02d}",
                )
    billing.apply_lapses(as_of=TODAY, actor=admin)
    # A death this morning: covered today still (it ended today).
    dies = member(admin, city, dt.date(2026, 9, 1), "palm_oil_worker")
    enrolment.end(
        actor=admin, memberships=Membership.objects.filter(pk=dies.pk), end_reason=EndReason.DEATH
    )
    return admin, city


def _direct(region: Region, day: dt.date) -> dict:
    """Breakdowns from the memberships themselves: a person counts once, where their covering
    membership that started last is."""
    rows = (
        selectors.members_on(region, day)
        .annotate(
            person=Coalesce("worker__merged_into_id", "worker_id"),
            psex=Coalesce("worker__merged_into__sex", "worker__sex"),
            pdis=Coalesce("worker__merged_into__has_disability", "worker__has_disability"),
        )
        .values_list(
            "person",
            "start_date",
            "pk",
            "category_id",
            "psex",
            "pdis",
            "district_code",
            "regency_code",
        )
    )
    best = {}
    for r in rows:
        if r[0] not in best or r[1:3] > best[r[0]][1:3]:
            best[r[0]] = r
    child = 7 if region.level == Level.PROVINCE else 6
    return {
        "total": len(best),
        "categories": Counter(r[3] for r in best.values()),
        "sex": Counter(r[4] for r in best.values()),
        "disability": Counter("with" if r[5] else "without" for r in best.values()),
        "children": Counter(r[child] for r in best.values()),
    }


def _from_facts(region: Region, month: dt.date) -> dict:
    b = selectors.breakdowns(region, month, today=TODAY)
    return {
        "total": selectors.coverage(SYSTEM, region, month, today=TODAY).jaring,
        "categories": Counter({c["code"]: c["members"] for c in b.categories}),
        "sex": Counter({k: v for k, v in b.sex.items() if v}),
        "disability": Counter({k: v for k, v in b.disability.items() if v}),
        "children": Counter(
            {d["code"]: d["jaring_members"] for d in b.districts if d["jaring_members"]}
        ),
    }


def _check_everything():
    months = [dt.date(2025, m, 1) for m in range(5, 13)] + [
        dt.date(2026, m, 1) for m in range(1, 12)
    ]
    for code in REGIONS:
        region = Region.objects.get(code=code)
        direct_totals = []
        for month in months:
            day = selectors.day_counted(month, TODAY)
            direct = _direct(region, day)
            assert direct["total"] == selectors.people_on(region, day), (code, day)
            got = _from_facts(region, month)
            if region.level == Level.DISTRICT:
                got["children"] = direct["children"] = Counter()
            assert got == direct, (code, day)
            direct_totals.append(direct["total"])
        points = selectors.history(region, dt.date(2026, 11, 1), today=TODAY)
        if points:
            assert [p["jaring_members"] for p in points] == direct_totals[-len(points) :], code


def test_facts_equal_the_direct_count_every_day_region_and_breakdown():
    _scenario()
    assert Membership.objects.filter(end_reason=EndReason.LAPSED).exists()
    assert Membership.objects.filter(end_reason=EndReason.DEATH).exists()
    _check_everything()
    singkawang = Region.objects.get(code="61.72")
    counts = [
        p["jaring_members"]
        for p in selectors.history(singkawang, dt.date(2026, 11, 1), today=TODAY)
    ]
    # Jun 2025 … Nov 2026: the renewed worker alone, then the others join and leave.
    assert counts[0] == 1 and max(counts) >= 4


def test_a_write_through_the_services_makes_the_facts_stale_and_the_next_read_recounts():
    admin, city = _scenario()
    singkawang = Region.objects.get(code="61.72")
    before = selectors.coverage(SYSTEM, singkawang, dt.date(2026, 11, 1), today=TODAY).jaring
    assert facts.ensure(singkawang, TODAY) == []  # fresh: nothing recounted
    living = Membership.objects.filter(
        programme=city, status="active", end_date__gte=TODAY, regency_code="61.72"
    ).first()
    pontianak = list(FactsState.objects.filter(pk="61.71").values_list("changes"))
    # Back-dated withdrawal: it ended yesterday, so today it no longer counts.
    enrolment.end(
        actor=admin,
        memberships=Membership.objects.filter(pk=living.pk),
        end_reason=EndReason.WITHDRAWN,
    )
    Membership.objects.filter(pk=living.pk).update(
        status_changed_at=dt.datetime(2026, 11, 21, 12, tzinfo=JAKARTA)
    )
    state = FactsState.objects.get(pk="61.72")
    assert state.changes != state.refreshed_changes
    # Another city is not touched.
    assert list(FactsState.objects.filter(pk="61.71").values_list("changes")) == pontianak
    after = selectors.coverage(SYSTEM, singkawang, dt.date(2026, 11, 1), today=TODAY).jaring
    assert after == before - 1
    _check_everything()
    # The next day counts again, without any write.
    assert facts.ensure(singkawang, TODAY + dt.timedelta(days=1)) == ["61.72"]


def test_the_background_refresh_runs_after_the_write_commits(
    settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    admin = make_user(Role.ADMIN)
    city = programme(admin)
    with django_capture_on_commit_callbacks(execute=True):
        member(admin, city, dt.date(2026, 2, 1))
    state = FactsState.objects.get(pk="61.72")
    assert state.refreshed_changes == state.changes
    assert MemberFact.objects.filter(regency_code="61.72").exists()


def test_kpi_counts_paid_months_per_member_up_to_six():
    admin = make_user(Role.ADMIN)
    city = programme(admin)
    member(admin, city, dt.date(2026, 2, 1))  # fisher, Feb-Jun: 5 months billed
    member(admin, city, dt.date(2026, 2, 1), "palm_oil_worker")  # Feb-Jan: 10 months billed
    member(admin, city, dt.date(2026, 9, 1), "palm_oil_worker")  # Sep-Nov billed
    elsewhere = member(admin, city, dt.date(2026, 2, 1), "palm_oil_worker")
    Membership.objects.filter(pk=elsewhere.pk).update(
        regency_code="61.71", district_code="61.71.01", village_id=PONTIANAK_VILLAGE
    )
    for m in range(2, 12):  # each month paid on time up to September
        billing.run_month(actor=SYSTEM, month=dt.date(2026, m, 1), as_of=dt.date(2026, m, 1))
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
    c = selectors.coverage(SYSTEM, region, dt.date(2026, 11, 1), today=TODAY)
    # Covered on 22 Nov: the two oil-palm workers. Paid months up to November: 8 (Feb-Sep) and
    # 1 (Sep): 6/6 + 1/6 of a member.
    assert (c.jaring, c.kpi_members) == (2, 2)
    assert c.kpi_counted == 1 + Decimal(1) / 6
    # A past month has no KPI figure (the paid months are as of today), rather than a wrong one.
    past = selectors.coverage(SYSTEM, region, dt.date(2026, 6, 1), today=TODAY)
    assert past.kpi_pct is None and past.as_dict()["kpi_pct"] is None


def test_province_dashboard_breaks_down_by_regency_and_money_comes_from_bill_totals():
    _scenario()
    # May: the fisher living in Pontianak is still covered.
    data = dashboard.compute(Region.objects.get(code="61"), dt.date(2026, 5, 1), today=TODAY)
    by_code = {d["code"]: d for d in data["districts"]}
    assert {"61.71", "61.72"} <= set(by_code)
    assert by_code["61.71"]["jaring_members"] == 1
    assert sum(d["jaring_members"] for d in data["districts"]) == data["coverage"]["jaring_members"]
    bills = Bill.objects.filter(month__year=2026)
    assert data["money"]["billed"] == sum(b.total for b in bills) > 0
    assert data["money"]["contributions_paid"] == sum(b.paid for b in bills)
    regency = dashboard.compute(Region.objects.get(code="61.72"), dt.date(2026, 11, 1), today=TODAY)
    assert {d["code"] for d in regency["districts"]} >= {"61.72.01", "61.72.02"}
    # Programme budgets priced from the facts' groups equal those counted from the memberships.
    for row in regency["programmes"]:
        live = programme_budget(Programme.objects.get(pk=row["id"]))
        assert (row["planned"], row["enrolled"], row["active"]) == (
            live.planned,
            live.enrolled,
            live.active,
        )
        assert row["members"] == sum(c.enrolled_workers for c in live.categories)


def test_a_kept_dashboard_is_not_served_once_its_facts_were_recounted():
    admin, city = _scenario()
    singkawang = Region.objects.get(code="61.72")
    today = timezone.localdate()
    month = today.replace(day=1)
    first = dashboard.dashboard(admin, singkawang, month)["coverage"]["jaring_members"]
    assert dashboard.dashboard(admin, singkawang, month)["coverage"]["jaring_members"] == first
    living = Membership.objects.filter(
        programme=city, status="active", start_date__lte=today, end_date__gte=today
    ).first()
    enrolment.end(
        actor=admin,
        memberships=Membership.objects.filter(pk=living.pk),
        end_reason=EndReason.WITHDRAWN,
    )
    Membership.objects.filter(pk=living.pk).update(
        status_changed_at=timezone.now() - dt.timedelta(days=1)
    )
    assert dashboard.dashboard(admin, singkawang, month)["coverage"]["jaring_members"] == first - 1


def test_cli_recounts_and_checks_the_facts():
    _scenario()
    out = io.StringIO()
    call_command("coverage_facts", stdout=out)
    assert "regencies recounted" in out.getvalue()
    call_command("coverage_facts", "--region", "61", "--check", stdout=out)
    assert "61 " in out.getvalue()
    # A direct edit the services did not see: the check notices once the day's facts are kept.
    Membership.objects.filter(status="active", regency_code="61.72").update(
        status="ended", status_changed_at=timezone.now() - dt.timedelta(days=2)
    )
    with pytest.raises(CommandError):
        call_command("coverage_facts", "--region", "61.72", "--check", stdout=out)


def test_province_page_lists_its_cities_and_regencies(client):
    admin, _city = _scenario()
    client.force_login(admin)
    html = client.get("/coverage/61/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Kota dan kabupaten, mulai dari cakupan terendah" in html
    assert 'href="/coverage/61.72/"' in html and 'href="/coverage/61.71/"' in html
    city = client.get("/coverage/61.72/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Kecamatan, mulai dari cakupan terendah" in city
    assert 'href="/coverage/61.72.01/"' in city
