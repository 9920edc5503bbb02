"""The officer's way around, in a real browser (issue 15): every demo role's menu leads only to
pages that open, the BPJS exchange is reached by clicking, and an enumerator's worker list on a
phone folds its menu and shows each worker as a card.

With `JARING_SCREENSHOTS=DIR` the pages are saved as DIR/officer-<page>.png.
"""

from __future__ import annotations

import os
import re

import pytest

from jaring.accounts.models import User
from jaring.accounts.selectors import needs_second_factor
from jaring.demo import services as demo
from tests.browser.login import enter_login_code
from tests.factories import PASIRAN, make_worker
from tests.programs.factories import make_programme

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = os.environ.get("JARING_SCREENSHOTS", "")
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(browser, url: str, username: str, viewport: dict, language: str = "id"):
    context = browser.new_context(viewport=viewport, locale="id-ID")
    context.set_default_timeout(60_000)
    context.add_cookies([{"name": "django_language", "value": language, "url": url}])
    page = context.new_page()
    page.goto(f"{url}/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(demo.PASSWORD)
    page.locator("main form button[type=submit]").click()
    user = User.objects.get(username=username)
    if needs_second_factor(user):
        enter_login_code(page, user)
    page.wait_for_url(re.compile(r"^(?!.*/login/)"))
    return context, page


def _shot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"officer-{name}.png"), full_page=True)


def test_every_roles_menu_opens_and_the_bpjs_page_is_reached_by_clicking(browser, live_server):
    demo.ensure_users()
    programme = make_programme(User.objects.get(username="admin"), region_code="61.72")
    seen: dict[str, list[str]] = {}
    for user in demo.USERS:
        context, page = _login(browser, live_server.url, user.username, LAPTOP)
        links = page.locator("nav.nav a")
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        assert hrefs, user.username
        for href in hrefs:
            answer = page.request.get(live_server.url + href)
            assert answer.status == 200, (user.username, href, answer.status)
        seen[user.username] = hrefs
        if user.username == "officer":
            page.locator("nav.nav a", has_text="BPJS dan kartu").click()
            page.get_by_role("link", name=programme.name).click()
            expect_heading = page.locator("h1")
            assert expect_heading.inner_text() == "Pertukaran data BPJS dan kartu"
            assert page.locator("nav.nav a[aria-current=page]").inner_text() == "BPJS dan kartu"
            _shot(page, "bpjs-by-clicking")
        context.close()
    # Who sees what: the enumerator no coverage, contributions nor employers; the viewer no
    # imports and no BPJS exchange.
    assert "/coverage/" not in seen["enumerator"] and "/contributions/" not in seen["enumerator"]
    assert "/imports/" not in seen["viewer"] and "/enrolment/bpjs/" not in seen["viewer"]
    assert "/enrolment/bpjs/" in seen["bpjs"] and "/imports/" in seen["enumerator"]


def test_an_enumerators_worker_list_on_a_phone(browser, live_server):
    demo.ensure_users()
    admin = User.objects.get(username="admin")
    for name in ("Siti Aminah", "Abdurrahman Wahid Kusumaatmadja", "Lim Ah Kiong"):
        make_worker(admin, PASIRAN, full_name=name)
    context, page = _login(browser, live_server.url, "enumerator", PHONE)
    page.goto(f"{live_server.url}/workers/")
    nav = page.locator("nav.nav")
    assert not nav.is_visible()  # folded behind "Menu"
    page.locator("label.nav-toggle-label").click()
    assert nav.is_visible() and nav.locator("a", has_text="Pekerja").is_visible()
    page.locator("label.nav-toggle-label").click()
    assert not nav.is_visible()
    # Each worker is a card: the column names beside the values, nothing wider than the phone.
    assert not page.locator("table.table-stack thead").is_visible()
    row = page.locator("table.table-stack tbody tr", has_text="Siti Aminah")
    box = row.bounding_box()
    assert box["width"] <= PHONE["width"] and box["height"] > 100
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(page, "workers-phone")
    context.close()
