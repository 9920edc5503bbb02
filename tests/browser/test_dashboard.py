"""Each scenario's dashboard in a real browser, at the scenario's reference month: the headline
numbers are the scenario's published coverage and target and its headcounts, the charts draw,
a chart exports to PNG and PDF and shows its table.

Scenarios load at `JARING_SCREENSHOT_SCALE` (0.02 by default: the full Bontang takes minutes
on this machine); the published percentages do not depend on the scale, the headcounts are
scaled as the loader scales them. With `JARING_SCREENSHOTS=DIR` each page is also saved as
DIR/dashboard-<scenario>.png (docs/screenshots/ holds them at scale 1)."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

from jaring.accounts.models import Role
from jaring.demo.scenarios import SCENARIOS, loader
from tests.factories import make_user

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = os.environ.get("JARING_SCREENSHOTS", "")
SCALE = float(os.environ.get("JARING_SCREENSHOT_SCALE", "0.02"))

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _pct(value: Decimal) -> str:
    """As the Indonesian page writes it: 95,00 %."""
    return f"{value:.2f} %".replace(".", ",")


def _people(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _shown_pct(text: str) -> Decimal:
    return Decimal(text.removesuffix(" %").replace(",", "."))


def _login(page, url: str) -> None:
    page.goto(f"{url}/login/")
    page.locator("input[name=username]").fill("walikota")
    page.locator("input[name=password]").fill("rahasia-123")
    page.locator("main form button[type=submit]").click()


@pytest.mark.parametrize("key", sorted(SCENARIOS))
def test_scenario_dashboard_shows_the_published_figures(page, live_server, key):
    from playwright.sync_api import expect

    s = SCENARIOS[key]
    loader.load(key, scale=SCALE)
    make_user(Role.VIEWER, s.city, username="walikota", password="rahasia-123")
    month = s.reference_month
    (spec,) = [p for p in s.programmes if p.fiscal_year == month.year]
    members = sum(sum(q.values()) for _, _, q in loader.scaled(spec, SCALE))
    _login(page, live_server.url)
    page.goto(f"{live_server.url}/coverage/{s.city}/?month={month:%Y-%m}")

    target = s.targets[month.year]
    expect(page.locator("#target-pct")).to_have_text(_pct(target))
    published = s.coverage_points.get(month)
    if published is not None:
        expect(page.locator("#coverage-pct")).to_have_text(_pct(published))
    else:
        # Pontianak's reference month (2026) lies after its last published figure (2025):
        # between that figure and the 2026 target, both published.
        shown = _shown_pct(page.locator("#coverage-pct").inner_text())
        assert s.coverage_points[max(s.coverage_points)] < shown < target
    expect(page.locator(".budget-facts").first).to_contain_text(f"({_people(members)} peserta)")
    if spec.disabilities is not None:
        # Bontang: 345 of 34,782 members with a disability, as many in proportion at a scale.
        disabled = round(spec.disabilities * members / spec.headcount)
        expect(page.locator("#disability")).to_have_text(_people(disabled))
    for sex in ("#women", "#men"):
        assert int(page.locator(sex).inner_text().replace(".", "")) > 0
    expect(page.locator("#money-paid")).to_have_count(1)
    expect(page.locator("body[data-charts-ready='1']")).to_have_count(1)
    assert page.locator("figure[data-chart] canvas").count() >= 4

    # The trend chart's table view lists every published figure inside its four years.
    trend = page.locator("figure[data-chart=trend]")
    table = trend.locator("table")
    expect(table).to_be_hidden()
    trend.locator("summary").click()
    expect(table).to_be_visible()
    rows = {r[0]: r for r in (tr.split("\t") for tr in table.locator("tbody tr").all_inner_texts())}
    shown_points = {m: p for m, p in s.coverage_points.items() if f"{m:%Y-%m}" in rows}
    assert shown_points
    for m, p in shown_points.items():
        assert rows[f"{m:%Y-%m}"][4] == _pct(p).removesuffix(" %")

    with page.expect_download() as png:
        trend.locator("[data-export=png]").click()
    assert png.value.suggested_filename.endswith(".png")
    assert Path(png.value.path()).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    with page.expect_download() as pdf:
        trend.locator("[data-export=pdf]").click()
    assert pdf.value.suggested_filename == "grafik.pdf"
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF")

    if SCREENSHOTS:
        trend.locator("summary").click()  # the shot shows the charts, tables folded
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=os.path.join(SCREENSHOTS, f"dashboard-{key}.png"), full_page=True)
