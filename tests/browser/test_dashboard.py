"""Each scenario's dashboard in a real browser: the headline numbers are the scenario's
published coverage and target, and the charts draw. Scenarios load at --scale 0.02 (the full
Bontang takes minutes on this machine); the percentages do not depend on the scale."""

from __future__ import annotations

import os

import pytest

from jaring.accounts.models import Role
from jaring.demo.scenarios import SCENARIOS, loader
from tests.factories import make_user

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = os.environ.get("JARING_SCREENSHOTS", "")
PUBLISHED = {
    "pontianak-2026": ("2025-12", "40.37 %", "–"),
    "singkawang-2025": ("2025-12", "27.00 %", "40.00 %"),
    "bontang-2023": ("2023-12", "95.00 %", "100.00 %"),
}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("key", sorted(PUBLISHED))
def test_scenario_dashboard_shows_the_published_figures(page, live_server, key):
    from playwright.sync_api import expect

    loader.load(key, scale=0.02)
    make_user(Role.VIEWER, SCENARIOS[key].city, username="walikota", password="rahasia-123")
    month, coverage, target = PUBLISHED[key]
    page.goto(f"{live_server.url}/login/")
    page.locator("input[name=username]").fill("walikota")
    page.locator("input[name=password]").fill("rahasia-123")
    page.locator("main form button[type=submit]").click()
    page.goto(f"{live_server.url}/coverage/{SCENARIOS[key].city}/?month={month}")
    expect(page.locator("#coverage-pct")).to_have_text(coverage)
    expect(page.locator("#target-pct")).to_have_text(target)
    expect(page.locator("body[data-charts-ready='1']")).to_have_count(1)
    assert page.locator("figure[data-chart] canvas").count() >= 4
    if SCREENSHOTS:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=os.path.join(SCREENSHOTS, f"dashboard-{key}.png"), full_page=True)
