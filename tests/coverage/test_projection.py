"""The projection: pace, when the target is reached, and what reaching it by a month takes."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

from jaring.accounts.models import Role
from jaring.accounts.scope import SYSTEM
from jaring.core.errors import ValidationFailed
from jaring.coverage import projection, selectors
from jaring.regions.models import Region
from tests.coverage.test_coverage import CITY, _figures
from tests.factories import make_user

pytestmark = pytest.mark.django_db
OCT = dt.date(2026, 10, 1)


def points(*pcts):
    return [{"coverage_pct": None if p is None else Decimal(p)} for p in pcts]


def test_pace_is_the_slope_of_the_months_with_a_percentage():
    assert projection.pace(points("10", None, "11", "12", "13")) == Decimal("1.0")
    assert projection.pace(points("20")) is None
    assert projection.pace(points("30", "29", "28")) == Decimal("-1.0")


def _october():
    _figures()  # 350 of 1,000 covered in October 2026, target 45 %: 100 people missing
    return selectors.coverage(
        SYSTEM, Region.objects.get(code=CITY), OCT, today=dt.date(2026, 11, 22)
    )


def test_target_month_at_the_current_pace_and_what_it_takes_by_a_chosen_month():
    c = _october()
    p = projection.project(c, points("31", "32", "33", "34", "35"), by="2026-12")
    # 10 pp missing at 1 pp a month: reached ten months after October 2026.
    assert p.reached_month == "2027-08" and not p.reached
    assert (p.people_needed, p.months_left, p.per_month) == (100, 2, 50)


def test_a_falling_pace_never_reaches_the_target_and_the_cli_says_so():
    c = _october()
    assert projection.project(c, points("37", "36", "35")).reached_month is None
    out = io.StringIO()
    call_command("coverage", region=CITY, month="2026-10", stdout=out)
    assert "not reached at the current pace" in out.getvalue()


@pytest.mark.parametrize("by", ["2026-10", "2025-01", "2027-13", "Desember"])
def test_a_target_month_that_is_unreadable_or_not_after_the_month_counted_is_refused(by):
    c = _october()
    with pytest.raises(ValidationFailed) as refused:
        projection.project(c, points("35"), by=by)
    assert refused.value.problems[0].field == "by"
    with pytest.raises(CommandError):
        call_command("coverage", region=CITY, month="2026-10", by=by, stdout=io.StringIO())


def test_the_api_refuses_a_past_target_month_naming_the_field(client):
    _figures()
    client.force_login(make_user(Role.PROGRAMME_OFFICER, CITY))
    response = client.get("/api/coverage/", {"region": CITY, "month": "2026-10", "by": "2026-01"})
    assert response.status_code == 422
    assert json.loads(response.content)["errors"][0]["field"] == "by"


def test_the_mayors_report_writes_numbers_and_sources_as_indonesian_reads_them(client):
    _figures(people=1000, target="45", wage=300, self_paid=50, month="2026-10")
    client.force_login(make_user(Role.PROGRAMME_OFFICER, CITY))
    response = client.get(f"/coverage/{CITY}/report.pdf", {"month": "2026-10"})
    assert response.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "35,00 %" in text and "45,00 %" in text  # coverage and target, decimal comma
    assert "BPS Sakernas" in text and "sakernas" not in text.replace("BPS Sakernas", "")
    assert "100 orang" in text  # the gap in people
