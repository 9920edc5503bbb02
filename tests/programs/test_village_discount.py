"""PP 50/2025 and village budgets (APBDes): whether they are excluded from the discount like APBN
and APBD is unconfirmed (RULES.md), so a village programme pays the full rate unless its setting
says the discount applies; a village never underpays by half by default."""

import datetime as dt

import pytest

from jaring.core.errors import ValidationFailed
from jaring.programs import budget
from jaring.programs.services import update_programme
from tests.api.conftest import api, bearer  # noqa: F401
from tests.programs.factories import JKK_JKM, make_programme

pytestmark = pytest.mark.django_db

MAY = dt.date(2026, 5, 1)  # "other" sectors pay half of JKK+JKM under PP 50/2025


def village(admin, **overrides):
    return make_programme(
        admin, name="Dana Desa 2026", funder="village_apbdes", participation_code="SD", **overrides
    )


def test_a_village_budget_pays_the_full_rate_by_default(admin):
    p = village(admin)
    assert p.pp50_discount is False
    cost = budget.what_if_cost(p, workers=10, months=1, on=MAY)
    assert cost["total"] == 10 * JKK_JKM
    assert cost["discounts"] == [] and cost["funder"] == "apbdes"


def test_the_setting_gives_a_village_the_discount_with_the_note(admin):
    p = village(admin, pp50_discount=True)
    cost = budget.what_if_cost(p, workers=10, months=1, on=MAY)
    assert cost["total"] == 10 * JKK_JKM // 2
    [discount] = cost["discounts"]
    assert discount["id"] == "PP50-2025" and discount["status"] == "NC"
    assert "APBDes" in discount["note"]


def test_the_setting_is_refused_for_an_apbd_programme_and_nothing_changes(admin):
    p = make_programme(admin)
    with pytest.raises(ValidationFailed) as caught:
        update_programme(actor=admin, programme=p, changes={"pp50_discount": True}, reason="x")
    [problem] = caught.value.problems
    assert (problem.code, problem.field) == ("pp50_discount_not_village", "pp50_discount")
    p.refresh_from_db()
    assert p.pp50_discount is False


def test_the_api_shows_and_changes_the_setting(admin, api):  # noqa: F811
    p = village(admin)
    response = api(admin).patch(
        f"/api/programmes/{p.pk}", {"pp50_discount": True, "reason": "cabang mengonfirmasi"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["pp50_discount"] is True
