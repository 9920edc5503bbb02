"""A programme officer's April in a real browser: set up the programme, enrol a village, send
the batch to BPJS, import the branch's answer, print the cards; then a worker checks their
cover on the public page."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re

import pytest
from pypdf import PdfReader

from jaring.accounts.models import Role
from jaring.enrolment.exchange.table import read_table
from jaring.enrolment.models import Membership
from jaring.programs.models import Programme
from tests.browser.login import enter_login_code
from tests.factories import PASIRAN, ROBAN, authenticator, make_user, make_worker

# Playwright's sync API runs an event loop in this thread; the ORM calls here are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = os.environ.get("JARING_SCREENSHOTS", "")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"enrolment-{name}.png"), full_page=True)


def downloaded(page, click) -> tuple[str, bytes]:
    with page.expect_download() as info:
        click()
    download = info.value
    return download.suggested_filename, open(download.path(), "rb").read()


def test_programme_to_cards(page, live_server, tmp_path):
    from playwright.sync_api import expect

    officer = make_user(Role.PROGRAMME_OFFICER, "61.72", username="rina", password="rahasia-123")
    pasiran = [
        make_worker(officer, PASIRAN, full_name=name, sex=sex)
        for name, sex in (("Siti Aminah", "F"), ("Budi Santoso", "M"), ("Ahmad Yani", "M"))
    ]
    make_worker(officer, ROBAN, full_name="Dewi Lestari", sex="F")
    authenticator(officer)

    page.goto(f"{live_server.url}/login/")
    page.locator("input[name=username]").fill("rina")
    page.locator("input[name=password]").fill("rahasia-123")
    page.locator("main form button[type=submit]").click()
    enter_login_code(page, officer)
    expect(page).to_have_url(re.compile(r"/workers/"))

    # 1. The programme: fishers of Singkawang, 5 months, JKK + JKM from the city budget.
    page.goto(f"{live_server.url}/programmes/new/")
    page.locator("#name").fill("Perlindungan Nelayan 2026")
    page.locator("#region").fill("61.72")
    page.locator("#fiscal_year").fill(str(dt.date.today().year))
    page.locator("#budget_ceiling").fill("100000000")
    page.locator("#pks_number").fill("PKS/07/2026")
    page.locator("#include_fisher").check()
    page.locator("input[name=quota_fisher]").fill("100")
    page.locator("form.card button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/programmes/\d+/$"))
    programme = Programme.objects.get(name="Perlindungan Nelayan 2026")

    # 2. Enrol Pasiran's workers ticked by hand: the preview says how many, who and the cost
    # against the remaining budget (3 × 5 months × Rp16.800 = Rp252.000), then confirm; verify.
    page.goto(f"{live_server.url}/programmes/{programme.pk}/eligibility/?village={PASIRAN}")
    for box in page.locator("input[name=worker]").all():
        box.check()
    page.locator("#enrol-form .bulk-bar button[type=submit]").click()
    expect(page.locator("#preview")).to_contain_text("Daftarkan 3 pekerja")
    expect(page.locator("#preview")).to_contain_text("Rp252.000")
    assert not Membership.objects.filter(programme=programme).exists()
    shot(page, "enrol-preview")
    page.locator("#confirm").click()
    expect(page.locator(".message-success")).to_be_visible()
    assert Membership.objects.filter(programme=programme, status="candidate").count() == 3
    page.locator("#action").select_option("verify")
    page.locator("input[name=selection][value=all]").check()
    page.locator("#bulk-form .bulk-bar button[type=submit]").click()
    expect(page.locator("#preview [data-count]")).to_have_attribute("data-count", "3")
    page.locator("#confirm").click()
    expect(page.locator(".message-success")).to_be_visible()

    # 3. The batch for the branch.
    page.goto(f"{live_server.url}/enrolment/bpjs/programmes/{programme.pk}/")
    expect(page.locator("[data-waiting]")).to_have_attribute("data-waiting", "3")
    page.locator("select[name=format]").select_option("csv")
    page.locator("#export-title ~ form button[type=submit]").click()
    expect(page.locator("#preview [data-count]")).to_have_attribute("data-count", "3")
    page.locator("#confirm").click()
    expect(page.locator(".message-success")).to_contain_text(f"JRG-{programme.pk}-0001")
    expect(page.locator("[data-waiting]")).to_have_attribute("data-waiting", "0")
    shot(page, "batch")
    name, content = downloaded(page, lambda: page.get_by_role("link", name="csv").first.click())
    assert name == f"JRG-{programme.pk}-0001.csv"
    rows = [cells for _, cells in read_table(content, name).rows]
    assert sorted(r["name"] for r in rows) == sorted(w.full_name for w in pasiran)

    # 4. The branch accepts two and rejects one, in the same file filled in.
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    today = dt.date.today().isoformat()
    for i, line in enumerate(lines[1:]):
        if line[2] == "Ahmad Yani":
            line[13:15] = ["ditolak", "NIK tidak ditemukan di Dukcapil"]
        else:
            line[9], line[12], line[13] = today, f"2301234560{i}", "diterima"
    answer = tmp_path / "jawaban-bpjs.csv"
    with answer.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(lines)
    page.locator("input[type=file][name=file]").set_input_files(str(answer))
    page.locator("#response-title ~ form button[type=submit]").click()
    expect(page.locator("[data-count=accepted]")).to_have_text("2")
    expect(page.locator("[data-count=rejected]")).to_have_text("1")
    shot(page, "response")
    # The same file again changes nothing.
    page.locator("input[type=file][name=file]").set_input_files(str(answer))
    page.locator("#response-title ~ form button[type=submit]").click()
    expect(page.locator("[data-count=already_applied]")).to_have_text("3")
    expect(page.locator("[data-count=accepted]")).to_have_text("0")

    # 5. Cards for Pasiran: one A4 sheet with the two accepted members.
    expect(page.locator("[data-active]")).to_have_attribute("data-active", "2")
    page.locator("#cards-title ~ form select[name=village]").select_option(PASIRAN)
    name, pdf = downloaded(
        page, lambda: page.locator("#cards-title ~ form button[type=submit]").click()
    )
    assert name.endswith(".pdf")
    (sheet,) = PdfReader(io.BytesIO(pdf)).pages
    text = sheet.extract_text()
    assert "SITI AMINAH" in text and "BUDI SANTOSO" in text and "AHMAD YANI" not in text
    assert pasiran[0].nik not in text

    # 6. Siti checks her cover on the public page, without logging in.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/cek/")
    page.locator("input[name=nik]").fill(pasiran[0].nik)
    page.locator("input[name=birth_date]").fill(pasiran[0].birth_date.isoformat())
    page.locator("main form button[type=submit]").click()
    expect(page.locator("[data-answer=covered]")).to_contain_text("Perlindungan Nelayan 2026")
    shot(page, "public-check")
