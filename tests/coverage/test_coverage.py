"""Coverage (UCJ): the figure, its bad inputs, the CLI, the API, the page and the scenarios."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from jaring.accounts.models import Role
from jaring.accounts.scope import SYSTEM
from jaring.core.errors import PermissionDenied, ValidationFailed
from jaring.coverage import selectors, services
from jaring.coverage.models import SegmentCount, WorkingPopulation
from jaring.demo.scenarios import SCENARIOS, loader
from jaring.enrolment.models import Membership
from jaring.programs.models import Programme
from jaring.regions.models import Region
from jaring.registry.models import Worker
from tests.claims.setup import member_at
from tests.contributions.setup import programme
from tests.factories import PASIRAN, make_user

pytestmark = pytest.mark.django_db
CITY = "61.72"
NOV = dt.date(2026, 11, 1)


def _figures(people=1000, target="45", wage=300, self_paid=50, month="2026-10"):
    services.set_population(
        actor=SYSTEM, region_code=CITY, year=2026, people=people, source="sakernas"
    )
    if target:
        services.set_target(actor=SYSTEM, region_code=CITY, year=2026, target_pct=target)
    for segment, n in (("wage_earners", wage), ("self_paid", self_paid)):
        services.set_segment_count(
            actor=SYSTEM, region_code=CITY, month=month, segment=segment, participants=n
        )


def _coverage(month=NOV):
    return selectors.coverage(
        SYSTEM, Region.objects.get(code=CITY), month, today=dt.date(2026, 11, 22)
    )


def test_coverage_counts_every_segment_against_the_working_population():
    admin = make_user(Role.ADMIN)
    member_at(admin, programme(admin), dt.date(2026, 2, 1), PASIRAN, "palm_oil_worker")
    _figures()
    c = _coverage()
    assert (c.jaring, c.participants, c.working_population) == (1, 351, 1000)
    assert c.coverage_pct == Decimal("35.10")
    assert c.target_people == 450 and c.gap_people == 99 and c.gap_pct == Decimal("9.90")
    # Counts from October's report carry into November, and the page says so.
    assert [w.code for w in c.warnings] == ["segment_counts_older"]
    # KPI: the member has no paid contribution months yet, so counts 0 of 1.
    assert c.kpi_participants == 350


def test_missing_denominator_gives_no_percentage_and_says_so():
    c = _coverage()
    assert c.coverage_pct is None and c.gap_people is None
    assert {"no_working_population", "no_target", "no_segment_counts"} <= {
        w.code for w in c.warnings
    }


def test_zero_population_is_refused_and_nothing_stored():
    with pytest.raises(ValidationFailed) as exc:
        services.set_population(actor=SYSTEM, region_code=CITY, year=2026, people=0, source="bps")
    assert exc.value.problems[0].code == "population_zero"
    assert not WorkingPopulation.objects.exists()


def test_coverage_above_hundred_is_shown_not_capped():
    _figures(people=100, wage=140, self_paid=10, target="")
    c = _coverage()
    assert c.coverage_pct == Decimal("150.00")
    assert "over_hundred" in {w.code for w in c.warnings}


def test_target_below_current_coverage_is_allowed_and_flagged():
    _figures(target="20")
    c = _coverage()
    assert c.target_pct == Decimal("20.00") and c.gap_people == 200 - 350
    assert "target_below_current" in {w.code for w in c.warnings}


def test_future_month_is_refused_for_counts_and_for_coverage():
    with pytest.raises(ValidationFailed) as exc:
        services.set_segment_count(
            actor=SYSTEM, region_code=CITY, month="2099-01", segment="self_paid", participants=5
        )
    assert exc.value.problems[0].code == "month_future"
    with pytest.raises(ValidationFailed) as exc:
        selectors.parse_month_arg("2099-01")
    assert exc.value.problems[0].code == "month_future"


def test_counts_outside_the_importers_region_refuse_the_whole_file(tmp_path):
    bpjs = make_user(Role.BPJS_OFFICER, CITY)
    path = tmp_path / "counts.csv"
    path.write_text(
        "region,month,segment,participants\n"
        "61.72,2026-10,wage_earners,300\n"
        "61.71,2026-10,wage_earners,900\n"
    )
    with pytest.raises(PermissionDenied) as exc:
        services.import_segment_counts(actor=bpjs, path=path)
    assert [p.params["row"] for p in exc.value.problems] == [3]
    assert exc.value.problems[0].code == "out_of_scope"
    assert not SegmentCount.objects.exists()
    path.write_text("region,month,segment,participants\n61.72,2026-10,wage_earners,300\n")
    assert services.import_segment_counts(actor=bpjs, path=path).rows == 1
    # A viewer may read coverage but not enter figures.
    with pytest.raises(PermissionDenied):
        services.set_target(
            actor=make_user(Role.VIEWER, CITY), region_code=CITY, year=2026, target_pct=40
        )


def test_cli_json_has_the_headline_fields_and_refuses_bad_input():
    _figures()
    out = io.StringIO()
    call_command("coverage", region=CITY, month="2026-10", json=True, stdout=out)
    data = json.loads(out.getvalue())
    assert data["region"] == CITY and data["participants"] == 350
    assert data["working_population"] == 1000 and data["coverage_pct"] == "35.00"
    assert data["target_pct"] == "45.00" and data["gap_people"] == 100
    assert data["projection"]["people_needed"] == 100
    with pytest.raises(CommandError):
        call_command("coverage", region=CITY, month="2099-01", json=True, stdout=io.StringIO())


def test_api_and_page_show_the_same_figure_and_hide_other_regions(client):
    _figures()
    client.force_login(make_user(Role.VIEWER, CITY))
    body = client.get("/api/coverage/", {"region": CITY, "month": "2026-10"}).json()
    assert body["coverage_pct"] == "35.00"
    dash = client.get("/api/coverage/dashboard", {"region": CITY, "month": "2026-10"}).json()
    assert dash["coverage"]["coverage_pct"] == "35.00" and dash["money"] is not None
    # Typed to the last field (the OpenAPI document says each one): month by month, districts.
    last = dash["history"][-1]
    assert (last["month"], last["participants"], last["coverage_pct"]) == ("2026-10", 350, "35.00")
    assert dash["yearly"][-1]["year"] == 2026 and dash["yearly"][-1]["month"] == "2026-10"
    assert dash["districts"] and all(
        set(d)
        == {"code", "name", "jaring_members", "participants", "working_population", "coverage_pct"}
        for d in dash["districts"]
    )
    page = client.get(f"/coverage/{CITY}/", {"month": "2026-10"})
    assert page.status_code == 200 and 'id="coverage-pct">35,00 %' in page.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(f"/coverage/{CITY}/", {"month": "2026-10"})
    assert 'id="coverage-pct">35.00 %' in english.content.decode()
    assert client.get("/api/coverage/", {"region": "61.71"}).status_code == 404
    assert client.get("/coverage/61.71/").status_code == 404
    assert client.get(f"/coverage/{CITY}/report.pdf").content.startswith(b"%PDF")


def test_scenario_budget_comes_from_the_rate_tables_and_reproduces_the_published_coverage():
    s = SCENARIOS["singkawang-2025"]
    result = loader.load(s.key, scale=0.02)
    groups = {g["group"]: g for g in result.budget_groups}
    # 2 % of 7,737 and 767 workers, each month at Rp16,800 (APBD: no PP 50/2025 discount).
    assert groups["pekerja rentan"]["workers"] == 155
    assert groups["pekerja rentan"]["total"] == 155 * 5 * 16_800
    assert groups["pekerja sawit BPU"]["total"] == 15 * 12 * 16_800
    assert Programme.objects.get(name=s.programme_name).budget_ceiling == result.budget
    assert result.coverage["coverage_pct"] == "27.00"
    assert Membership.objects.filter(status="active").count() > 0 and result.claims > 0
    assert loader.load(s.key, scale=0.02).skipped  # a second load adds nothing


def test_full_scale_budgets_match_the_articles_arithmetic():
    total, parts = loader.planned_budget(
        SCENARIOS["singkawang-2025"], loader.scaled(SCENARIOS["singkawang-2025"], 1.0)
    )
    assert [(p["workers"], p["months"]) for p in parts] == [(7737, 5), (767, 12)]
    assert total == (7737 * 5 + 767 * 12) * 16_800 == 804_535_200


def test_bontang_members_with_disabilities_scale_with_the_headcount():
    loader.load("bontang-2023", scale=0.01)
    workers = Worker.objects.filter(source="demo:bontang-2023")
    assert workers.count() == 348
    assert workers.filter(has_disability=True).count() == round(345 * 348 / 34_782)


def test_the_dashboard_api_gives_each_programme_its_money(client):
    s = SCENARIOS["singkawang-2025"]
    loader.load(s.key, scale=0.01)
    client.force_login(make_user(Role.ADMIN))
    response = client.get("/api/coverage/dashboard", {"region": "61.72", "month": "2025-06"})
    assert response.status_code == 200, response.content
    [row] = [p for p in response.json()["programmes"] if p["name"] == s.programme_name]
    programme = Programme.objects.get(name=s.programme_name)
    assert (row["id"], row["ceiling"]) == (programme.pk, programme.budget_ceiling)
    assert row["planned"] == programme.budget_ceiling and row["members"] > 0
    assert row["problem"] is None


def test_a_dashboard_after_the_last_programme_says_so_and_links_its_year(client, admin):
    """The demo's programme is 2025's: opened in a later month the page says which month it
    shows and offers December of the programme's year."""
    from tests.programs.factories import make_programme

    make_programme(admin, fiscal_year=2025)
    client.force_login(admin)
    page = client.get(f"/coverage/{CITY}/", {"month": "2026-11"}).content.decode()
    assert 'id="latest-programme"' in page and "?month=2025-12" in page
    page = client.get(f"/coverage/{CITY}/", {"month": "2025-11"}).content.decode()
    assert 'id="latest-programme"' not in page
