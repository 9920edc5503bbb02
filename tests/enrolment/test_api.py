import pytest

from jaring.accounts.models import Role
from jaring.accounts.services import create_token
from jaring.enrolment.models import Membership
from tests.factories import PASIRAN, ROBAN, make_user, make_worker
from tests.programs.factories import BASE, JKK_JKM

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(client):
    def caller(user, method, path, body=None, **params):
        _, key = create_token(user=user, name="test")
        headers = {"Authorization": f"Bearer {key}"}
        if method == "get":
            return client.get(path, params, headers=headers)
        return getattr(client, method)(
            path, body or {}, content_type="application/json", headers=headers
        )

    return caller


PROGRAMME = {
    "name": "Perlindungan Pekerja Rentan 2026",
    "funder": "city_apbd",
    "participation_code": "SG",
    "region": "61.72",
    "fiscal_year": 2026,
    "budget_ceiling": 100_000_000,
    "min_age": 18,
    "max_age": 65,
    "categories": [{"category": "fisher", "cover_months": 5, "quota": 10, "income_base": BASE}],
    "pks_date": "2026-02-01",
    "cover_start_rule": "pks_date",
}


def test_programme_to_active_membership_over_the_api(call, admin):
    r = call(admin, "post", "/api/programmes/", PROGRAMME)
    assert r.status_code == 201, r.json()
    pid = r.json()["id"]
    make_worker(admin, PASIRAN)
    make_worker(admin, ROBAN, category_code="trader")

    r = call(admin, "get", f"/api/programmes/{pid}/eligibility", eligible="no")
    body = r.json()
    assert body["counts"]["total"] == 2 and body["counts"]["category_not_covered"] == 1
    [item] = body["items"]
    assert [p["code"] for p in item["reasons"]] == ["category_not_covered"]

    r = call(admin, "post", "/api/enrolment/enrol", {"programme": pid})
    assert r.status_code == 409
    assert r.json()["errors"][0]["code"] == "ineligible_category_not_covered"
    # A dry run answers what would happen and its cost (5 months × Rp16.800), keeping nothing.
    dry = {"programme": pid, "only_eligible": True, "dry_run": True}
    r = call(admin, "post", "/api/enrolment/enrol", dry)
    assert r.json() == {
        "count": 1,
        "dry_run": True,
        "cost": 5 * JKK_JKM,
        "remaining_budget": 100_000_000,
    }
    assert not Membership.objects.exists()
    r = call(admin, "post", "/api/enrolment/enrol", {"programme": pid, "only_eligible": True})
    assert r.json()["count"] == 1 and r.json()["dry_run"] is False

    verify = {"action": "verify", "programme": pid}
    r = call(admin, "post", "/api/enrolment/bulk", verify | {"dry_run": True})
    assert r.json() == {"count": 1, "dry_run": True}
    assert Membership.objects.get().status == "candidate"
    r = call(admin, "post", "/api/enrolment/bulk", verify)
    assert r.json() == {"count": 1, "dry_run": False}
    m = Membership.objects.get()
    Membership.objects.filter(pk=m.pk).update(status="submitted")
    r = call(
        admin,
        "post",
        f"/api/enrolment/memberships/{m.pk}/activate",
        {"kpj": "26012345678", "start_date": "2026-03-01"},
    )
    assert r.status_code == 200, r.json()
    assert (r.json()["start_date"], r.json()["end_date"]) == ("2026-02-01", "2026-06-30")

    r = call(admin, "get", f"/api/programmes/{pid}/budget")
    assert r.json()["active"] == 5 * JKK_JKM and r.json()["planned"] == 10 * 5 * JKK_JKM
    r = call(admin, "get", f"/api/programmes/{pid}/what-if", budget=840_000, category="fisher")
    assert r.json()["capacity"]["workers"] == 10
    r = call(admin, "get", "/api/enrolment/memberships", expiring_within=200)
    assert r.json()["count"] == 0  # judged today, long after June 2026
    history = call(admin, "get", f"/api/enrolment/memberships/{m.pk}").json()["history"]
    assert history[0]["action"] == "membership.active"


def test_illegal_transition_is_409_and_bad_input_422(call, admin):
    pid = call(admin, "post", "/api/programmes/", PROGRAMME).json()["id"]
    make_worker(admin)
    call(admin, "post", "/api/enrolment/enrol", {"programme": pid})
    m = Membership.objects.get()
    r = call(admin, "post", f"/api/enrolment/memberships/{m.pk}/activate", {"kpj": "26012345678"})
    assert r.status_code == 409 and r.json()["errors"][0]["code"] == "illegal_transition"
    r = call(admin, "post", "/api/programmes/", {**PROGRAMME, "name": "X", "budget_ceiling": 0})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "budget_ceiling"


def test_other_city_sees_nothing(call, admin):
    pid = call(admin, "post", "/api/programmes/", PROGRAMME).json()["id"]
    pontianak = make_user(Role.PROGRAMME_OFFICER, "61.71")
    assert call(pontianak, "get", f"/api/programmes/{pid}").status_code == 404
    assert call(pontianak, "get", "/api/programmes/").json() == []
    r = call(pontianak, "post", "/api/enrolment/enrol", {"programme": pid})
    assert r.status_code == 404


def test_a_programme_over_its_ceiling_needs_confirm_over_ceiling(call, admin):
    """10 fishers × 5 months × Rp16.800 = Rp840.000 planned: over a ceiling of Rp500.000 the
    API refuses with over_budget_ceiling and saves nothing, unless confirmed; an update that
    puts the plan over the ceiling is refused the same way."""
    over = {**PROGRAMME, "budget_ceiling": 500_000}
    r = call(admin, "post", "/api/programmes/", over)
    assert r.status_code == 409
    [problem] = r.json()["errors"]
    assert problem["code"] == "over_budget_ceiling" and problem["field"] == "budget_ceiling"
    assert (problem["planned"], problem["ceiling"]) == (840_000, 500_000)
    assert call(admin, "get", "/api/programmes/").json() == []
    r = call(admin, "post", "/api/programmes/", over | {"confirm_over_ceiling": True})
    assert r.status_code == 201 and r.json()["budget_ceiling"] == 500_000
    within = call(admin, "post", "/api/programmes/", {**PROGRAMME, "name": "Nelayan"}).json()
    r = call(admin, "patch", f"/api/programmes/{within['id']}", {"budget_ceiling": 500_000})
    assert r.status_code == 409 and r.json()["errors"][0]["code"] == "over_budget_ceiling"
    r = call(
        admin,
        "patch",
        f"/api/programmes/{within['id']}",
        {"budget_ceiling": 500_000, "confirm_over_ceiling": True},
    )
    assert r.status_code == 200 and r.json()["budget_ceiling"] == 500_000
