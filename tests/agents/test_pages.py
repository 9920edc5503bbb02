"""The agent's own page (portfolio with due and overdue members, collections, fees) and the
officer's agents by activity and retention; another agent's page is not found."""

from __future__ import annotations

import datetime as dt

import pytest

from jaring.accounts.models import Role
from jaring.accounts.scope import SYSTEM
from jaring.agents import services
from tests.agents.setup import agent, collect, recruit
from tests.continuity.setup import DISCOUNTED
from tests.factories import make_user
from tests.querycount import assert_flat
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_agent_sees_its_own_page_and_not_another_agents():
    admin = make_user(Role.ADMIN)
    mine, other = agent(), agent()
    cover = recruit(mine, admin, full_name="Siti Rahayu")
    recruit(other, admin, full_name="Budi Santoso")
    collect(mine, cover, 1, DISCOUNTED, "KW-1", dt.date(2026, 6, 10))
    services.calculate_fee(actor=SYSTEM, agent_id=mine.pk, month=dt.date(2026, 6, 1))
    web = client_for(mine.user)
    page = web.get("/agents/")
    html = page.content.decode()
    assert page.status_code == 200 and page.context["agent"] == mine
    assert "Siti Rahayu" in html and "Budi Santoso" not in html
    # Cash collected and its fee, in rupiah as the page's language writes it.
    assert "Rp8.400" in html and "Rp630" in html
    assert page.context["counts"]["members"] == 1
    assert web.get(f"/agents/{other.pk}/").status_code == 404
    assert web.get(f"/agents/{mine.pk}/").status_code == 200


def test_the_officer_sees_agents_by_activity_and_retention():
    admin = make_user(Role.ADMIN)
    a = agent()
    recruit(a, admin)
    officer = client_for(make_user(Role.PROGRAMME_OFFICER, "61.72"))
    page = officer.get("/agents/", {"month": "2026-06"})
    row = page.context["page"].object_list[0]
    assert (row.members, row.covered, row.retention, row.new_members) == (1, 1, 100.0, 1)
    assert "100,0" in page.content.decode()
    assert (
        client_for(make_user(Role.PROGRAMME_OFFICER, "61.71")).get(f"/agents/{a.pk}/").status_code
        == 404
    )
    assert (
        client_for(make_user(Role.ENUMERATOR, "61.72.02.1001")).get("/agents/").status_code == 404
    )


def test_the_agent_pages_make_no_query_per_row():
    admin = make_user(Role.ADMIN)
    a = agent()
    web = client_for(admin)
    assert_flat(lambda: web.get("/agents/"), lambda: agent(login=False))
    assert_flat(lambda: web.get(f"/agents/{a.pk}/"), lambda: recruit(a, admin))
