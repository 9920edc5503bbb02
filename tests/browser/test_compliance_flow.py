"""Employer compliance in a real browser, from lead to closure: the compliance officer imports
the city's licence list and BPJS's employer list, matches them, opens a case for the business
registered with too few workers, sends the first warning, opens its letter, and closes the case
when BPJS's next list shows every worker; the work list and the yearly report show it. With
JARING_SCREENSHOTS=DIR the pages are saved in both languages."""

from __future__ import annotations

import os
import re

import pytest

from jaring.accounts.models import Role
from jaring.compliance.models import Case
from tests.browser.login import enter_login_code
from tests.compliance.setup import BPJS, CITY, LICENCES
from tests.factories import authenticator, make_user

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = os.environ.get("JARING_SCREENSHOTS", "")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:
    """The page at 1366 px, and at 390 px (a phone) as `-390`."""
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"compliance-{name}.png"), full_page=True)
        size = page.viewport_size
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(
            path=os.path.join(SCREENSHOTS, f"compliance-{name}-390.png"), full_page=True
        )
        page.set_viewport_size(size)


def test_a_case_from_lead_to_closure(page, live_server, tmp_path, settings):
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path / "media"

    officer = make_user(
        Role.COMPLIANCE_OFFICER,
        CITY,
        username="pengawas",
        password="rahasia-123",
        first_name="Maria",
        last_name="Theresia",
    )
    authenticator(officer)  # set up at an earlier login (tests/browser/test_login_steps.py)
    base = live_server.url
    page.goto(f"{base}/login/")
    page.locator("input[name=username]").fill("pengawas")
    page.locator("input[name=password]").fill("rahasia-123")
    page.locator("main form button[type=submit]").click()
    enter_login_code(page, officer)

    files = {}
    for name, text in (("izin.csv", LICENCES), ("bpjs.csv", BPJS)):
        files[name] = tmp_path / name
        files[name].write_text(text, encoding="utf-8")
    for kind, name in (("licence", "izin.csv"), ("bpjs", "bpjs.csv")):
        page.goto(f"{base}/compliance/import/")
        page.locator("#import-form select[name=kind]").select_option(kind)
        page.locator("#import-form input[name=file]").set_input_files(str(files[name]))
        page.locator("#import-form button[type=submit]").click()
        expect(page.locator(".message-success")).to_be_visible()

    page.goto(f"{base}/compliance/leads/")
    page.locator("#match-form button[type=submit]").click()
    row = page.locator("#leads tr", has_text="SINAR JAYA ABADI PT").filter(has_text="PDS-TK")
    expect(row).to_contain_text("15")
    shot(page, "leads-id")
    row.locator("input[name=opened_on]").fill("2026-06-02")  # a case begun on paper
    row.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/compliance/cases/\d+/"))

    form = page.locator("#step-form")
    form.locator("select[name=step]").select_option("warning_1")
    form.locator("input[name=taken_on]").fill("2026-06-02")
    form.locator("button[type=submit]").click()
    expect(page.locator("#case-deadline")).to_have_text("17-06-2026")
    expect(page.locator("#steps")).to_contain_text("560/001/DISNAKER/2026")
    evidence = page.locator("#evidence-form")
    evidence.locator("input[name=files]").set_input_files(
        files={"name": "tanda-terima.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n"}
    )
    evidence.locator("button[type=submit]").click()
    expect(page.locator("#steps a.evidence-file")).to_have_text("tanda-terima.pdf")
    shot(page, "case-id")
    letter = page.locator("#steps a.letter").get_attribute("href")
    response = page.request.get(base + letter)
    assert response.headers["content-type"] == "application/pdf"

    fixed = BPJS.replace("NPP-001,,61.71,10,30000000", "NPP-001,,61.71,25,80000000")
    files["bpjs2.csv"] = tmp_path / "bpjs2.csv"
    files["bpjs2.csv"].write_text(fixed, encoding="utf-8")
    page.goto(f"{base}/compliance/import/")
    page.locator("#import-form select[name=kind]").select_option("bpjs")
    page.locator("#import-form input[name=file]").set_input_files(str(files["bpjs2.csv"]))
    page.locator("#import-form button[type=submit]").click()
    case = Case.objects.get()
    assert (case.status, case.workers_added) == ("closed", 15)
    page.goto(f"{base}/compliance/cases/{case.pk}/")
    expect(page.locator("#case-closed")).to_contain_text("15")
    page.goto(f"{base}/compliance/report/?region={CITY}&year=2026")
    expect(page.locator("#workers-added")).to_have_text("15")
    shot(page, "report-id")
    if SCREENSHOTS:
        page.goto(f"{base}/compliance/employers/{case.employer_id}/")
        shot(page, "employer-id")
        page.evaluate("document.cookie = 'django_language=en; path=/'")
        for name, path in (
            ("leads-en", "/compliance/leads/"),
            ("case-en", f"/compliance/cases/{case.pk}/"),
            ("employer-en", f"/compliance/employers/{case.employer_id}/"),
            ("report-en", f"/compliance/report/?region={CITY}&year=2026"),
        ):
            page.goto(base + path)
            shot(page, name)
