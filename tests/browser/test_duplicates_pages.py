"""The duplicate queue and a pair's page in a real browser, as every role that may open them sees
them, in Bahasa Indonesia and in English, at a phone's width (390 px): the evidence in words, no
codes of the model or the database, the merge behind a confirmation.

The data is the demo's city (households, twins, people listed twice; `demo.services`), with the
duplicate check run once. With `JARING_SCREENSHOTS=DIR` every page is saved as
DIR/duplicates-<page>-<role>-<language>.png (docs/screenshots/ holds them).
"""

from __future__ import annotations

import os
import re

import pytest

from jaring.accounts.models import Role, User
from jaring.accounts.selectors import needs_second_factor
from jaring.dedupe.models import ProbableDuplicate
from jaring.demo import services as demo
from tests.browser.login import enter_login_code

# Playwright's sync API runs an event loop in this thread; the ORM calls here are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = os.environ.get("JARING_SCREENSHOTS", "")
PHONE = {"width": 390, "height": 844}
HEADING = {"id": "Kemungkinan data ganda", "en": "Probable duplicates"}
WHY = {"id": "Mengapa Jaring menduga demikian", "en": "Why Jaring thinks so"}
# What the officer must never read: the model's and the database's names for things.
RAW = re.compile(
    r"\b(candidate|import_row|other_worker|gamma|None|null|True|False|pending|distinct"
    r"|agree|disagree|partial|same_person)\b"
)
SEX_CODE = re.compile(r"(^|[·\s])[MFLP]\s*(·|$)", re.MULTILINE)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def city():
    demo.ensure_users()
    demo.ensure_workers(count=600)
    assert demo.queue_duplicates() > 10


def _page(browser, url: str, username: str, language: str):
    from playwright.sync_api import expect

    expect.set_options(timeout=90_000)
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    # The shared test machine can be slow: a page may take long, it must still come.
    context.set_default_timeout(90_000)
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
        page.screenshot(path=os.path.join(SCREENSHOTS, f"duplicates-{name}.png"), full_page=True)


def _words_only(page) -> None:
    text = page.locator("main").inner_text()
    assert not RAW.findall(text), RAW.findall(text)
    assert not SEX_CODE.search(text), SEX_CODE.search(text)
    # Nothing wider than the phone: the tables scroll inside their own frame.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_queue_and_pair_in_words_for_every_role(browser, live_server, city):
    """One data set for every role and language: loading and checking it takes a while."""
    for user in demo.USERS:
        for language in ("id", "en"):
            _queue_and_pair(browser, live_server.url, user, language)


def _queue_and_pair(browser, url: str, user: demo.DemoUser, language: str) -> None:
    from playwright.sync_api import expect

    context, page = _page(browser, url, user.username, language)
    page.goto(f"{url}/duplicates/")
    expect(page.get_by_role("heading", name=HEADING[language])).to_be_visible()
    _words_only(page)
    _shot(page, f"queue-{user.username}-{language}")
    links = page.locator("tbody tr td:first-child a")
    if user.role == Role.ENUMERATOR and not links.count():  # a village may have no pair at all
        context.close()
        return
    links.first.click()
    expect(page.get_by_role("heading", name=WHY[language])).to_be_visible()
    expect(page.locator("#evidence tbody tr")).to_have_count(6)
    _words_only(page)
    _shot(page, f"pair-{user.username}-{language}")
    merge = page.locator("form[action$='/merge/'] button[type=submit]")
    expect(merge).to_have_count(1 if user.username in ("admin", "officer") else 0)
    context.close()


def test_an_officer_merges_after_confirming(browser, live_server, city):
    from playwright.sync_api import expect

    pair = ProbableDuplicate.objects.filter(other_worker__isnull=False).order_by(
        "-match_probability"
    )[0]
    context, page = _page(browser, live_server.url, "officer", "id")
    page.goto(f"{live_server.url}/duplicates/{pair.pk}/")
    merge = page.locator("form[action$='/merge/']")
    merge.locator("button[type=submit]").click()
    # The confirmation is required: nothing is sent without it.
    expect(page).to_have_url(re.compile(rf"/duplicates/{pair.pk}/$"))
    pair.refresh_from_db()
    assert pair.status == "pending"
    merge.locator("input[name=confirm]").check()
    merge.locator("button[type=submit]").click()
    # The preview: which record is kept, what it takes, what moves; still nothing merged.
    expect(page.locator("#preview")).to_be_visible()
    pair.refresh_from_db()
    assert pair.status == "pending"
    _words_only(page)
    _shot(page, "merge-preview-officer-id")
    page.locator("#confirm").click()
    expect(page.locator(".messages, [role=status], .alert").first).to_be_visible()
    pair.refresh_from_db()
    assert pair.status == "merged"
    _words_only(page)
    _shot(page, "merged-officer-id")
    context.close()
