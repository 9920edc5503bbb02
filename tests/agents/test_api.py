"""The agents' API: the list by activity, one agent, its portfolio, collections and fees; an
agent outside the user's region (or another agent, for an agent's login) is not found."""

from __future__ import annotations

import datetime as dt

import pytest

from jaring.accounts.models import Role
from tests.agents.setup import agent, collect, recruit
from tests.continuity.setup import DISCOUNTED
from tests.factories import make_user
from tests.querycount import assert_flat

pytestmark = pytest.mark.django_db

JUNE = "2026-06"


def test_the_list_portfolio_collections_and_fees_of_an_agent(api):
    admin = make_user(Role.ADMIN)
    a = agent()
    cover = recruit(a, admin)
    collect(a, cover, 1, DISCOUNTED, "KW-1", dt.date(2026, 6, 10))
    officer = api(make_user(Role.BPJS_OFFICER, "61.72"))
    listed = officer.get("/api/agents/", month=JUNE).json()
    row = listed["agents"][0]
    assert (row["id"], row["members"], row["covered"], row["retention_pct"]) == (a.pk, 1, 1, 100.0)
    assert (row["new_members"], row["collected"], row["undeposited"]) == (1, DISCOUNTED, DISCOUNTED)
    assert officer.get(f"/api/agents/{a.pk}", month=JUNE).json()["collected"] == DISCOUNTED
    folio = officer.get(f"/api/agents/{a.pk}/portfolio", as_of="2026-08-20").json()
    member = folio["portfolio"][0]
    assert (folio["members"], folio["active"], member["cover_id"]) == (1, 1, cover.pk)
    assert member["paid_through"] == "2026-06"
    collections = officer.get(f"/api/agents/{a.pk}/collections").json()
    assert [(c["amount"], c["deposit_reference"]) for c in collections] == [(DISCOUNTED, None)]
    fee = officer.post(f"/api/agents/{a.pk}/fees", {"month": JUNE})
    assert fee.status_code == 200 and fee.json()["fee"] == 630  # 7.5 % of Rp8,400
    assert officer.get(f"/api/agents/{a.pk}/fees").json()[0]["total"] == 630


def test_a_bad_month_is_refused_naming_the_field(api):
    a = agent(login=False)
    officer = api(make_user(Role.BPJS_OFFICER, "61.72"))
    for response in (
        officer.get("/api/agents/", month="juni"),
        officer.post(f"/api/agents/{a.pk}/fees", {"month": "2026-13"}),
    ):
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "month"
    no_activity = officer.post(f"/api/agents/{a.pk}/fees", {"month": JUNE}).json()["errors"][0]
    assert (no_activity["code"], no_activity["field"]) == ("agent_fee_no_activity", "month")


def test_an_agent_outside_the_region_or_another_agent_is_not_found(api):
    admin = make_user(Role.ADMIN)
    mine, other = agent(), agent()
    recruit(other, admin)
    elsewhere = api(make_user(Role.BPJS_OFFICER, "61.71"))
    assert elsewhere.get(f"/api/agents/{mine.pk}").status_code == 404
    assert elsewhere.get("/api/agents/").json()["agents"] == []
    own = api(mine.user)
    assert [r["id"] for r in own.get("/api/agents/").json()["agents"]] == [mine.pk]
    for path in ("", "/portfolio", "/collections", "/fees"):
        assert own.get(f"/api/agents/{other.pk}{path}").status_code == 404
    assert own.get(f"/api/agents/{mine.pk}/portfolio").json()["portfolio"] == []
    assert own.post(f"/api/agents/{mine.pk}/fees", {"month": JUNE}).status_code == 403


def test_the_agent_lists_make_no_query_per_row(api):
    admin = make_user(Role.ADMIN)
    a = agent()
    caller = api(admin)
    assert_flat(
        lambda: caller.get("/api/agents/", month=JUNE),
        lambda: agent(login=False),
        shown=lambda r: len(r.json()["agents"]),
    )
    assert_flat(
        lambda: caller.get(f"/api/agents/{a.pk}/portfolio"),
        lambda: recruit(a, admin),
        shown=lambda r: len(r.json()["portfolio"]),
    )
