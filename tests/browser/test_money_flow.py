"""Money in a real browser: the city's finance officer records the SP2D against February's
bill; a fisher dies, his widow's claim is registered with the death certificate and a child,
corrected when she brings the second child's details, the city verifies it, the BPJS branch
approves and pays it; the money report shows what the contribution bought."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest

from jaring.accounts.models import Role, User
from jaring.accounts.scope import SYSTEM
from jaring.claims.models import Claim
from jaring.contributions import services as billing
from jaring.contributions.models import Bill, Payment
from tests.browser.login import enter_login_code
from tests.claims.setup import PDF, member_at
from tests.contributions.setup import programme
from tests.factories import PASIRAN, authenticator, make_user

# Playwright's sync API runs an event loop in this thread; the ORM calls here are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = os.environ.get("JARING_SCREENSHOTS", "")
MONTHLY = 16_800

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"money-{name}.png"), full_page=True)


def log_in(page, base: str, username: str) -> None:
    from playwright.sync_api import expect

    user = User.objects.get(username=username)
    authenticator(user)  # set up at an earlier login
    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill("rahasia-123")
    page.locator("main form button[type=submit]").click()
    enter_login_code(page, user)
    expect(page).to_have_url(re.compile(r"/workers/"))


def test_payment_then_claim_to_paid_and_the_report(page, live_server, settings, tmp_path):
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path / "media"
    admin = make_user(Role.ADMIN)
    make_user(Role.PROGRAMME_OFFICER, "61.72", username="rina", password="rahasia-123")
    make_user(Role.BPJS_OFFICER, "61.72", username="bpjs", password="rahasia-123")
    p = programme(admin)
    fisher = member_at(admin, p, dt.date(2026, 2, 1), PASIRAN, full_name="Budi Santoso")
    member_at(admin, p, dt.date(2026, 2, 1), PASIRAN, full_name="Ahmad Yani")
    billing.run_month(actor=SYSTEM, month=dt.date(2026, 2, 1), as_of=dt.date(2026, 2, 1))
    bill = Bill.objects.get(programme=p)
    assert bill.total == 2 * MONTHLY
    base = live_server.url

    # 1. The SP2D for February, from the bill's "record a payment" link.
    log_in(page, base, "rina")
    page.goto(f"{base}/contributions/bills/{bill.pk}/")
    page.locator(f"a[href$='/contributions/payments/?bill={bill.pk}']").click()
    expect(page.locator("#payment-form input[name=amount]")).to_have_value(str(2 * MONTHLY))
    page.locator("#payment-form input[name=paid_on]").fill("2026-02-16")
    page.locator("#payment-form input[name=reference]").fill("SP2D-0042/2026")
    page.locator("#payment-form button[type=submit]").click()
    expect(page.locator(".message-success")).to_contain_text("SP2D-0042/2026")
    shot(page, "payment")
    payment = Payment.objects.get()
    assert (payment.amount, payment.reference, payment.recorded_by.username) == (
        2 * MONTHLY,
        "SP2D-0042/2026",
        "rina",
    )
    bill.refresh_from_db()
    assert (bill.paid, bill.status) == (2 * MONTHLY, "paid")

    # 2. Budi died on 10 March; his widow brings the death certificate and their daughter's
    # details. BPJS knows 34 months of contributions from before Jaring.
    certificate = tmp_path / "akta-kematian.pdf"
    certificate.write_bytes(PDF)
    page.goto(f"{base}/claims/new/")
    form = page.locator("#claim-form")
    form.locator("input[name=member]").fill(fisher.worker.nik)
    form.locator("select[name=kind]").select_option("death")
    form.locator("input[name=event_date]").fill("2026-03-10")
    form.locator("textarea[name=description]").fill("Meninggal karena sakit jantung di rumah")
    form.locator("input[name=claimant_name]").fill("Siti Aminah")
    form.locator("input[name=claimant_relation]").fill("istri")
    form.locator("input[name=prior_months]").fill("34")
    form.locator("input[name=child-0-name]").fill("Ani")
    form.locator("input[name=child-0-birth_date]").fill("2022-01-01")
    form.locator("select[name=child-0-level]").select_option("tk")
    form.locator("input[name=documents]").set_input_files(str(certificate))
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/claims/\d+/$"))
    # JKM Rp42,000,000 + Ani's scholarship TK to university Rp87,000,000.
    expect(page.locator("#claim-total")).to_have_text("Rp129.000.000")
    expect(page.locator("#entitlements")).to_contain_text("PP 82/2019")
    expect(page.locator("#documents")).to_contain_text("akta-kematian.pdf")
    shot(page, "claim")
    claim = Claim.objects.get()

    # The widow comes back with their son's details before the city verifies: the claim is
    # corrected, every benefit computed again. Ari (born 1 Jul 2019, SD) adds SD to university
    # before 23: Rp84,000,000.
    page.locator("#correct-claim").click()
    form = page.locator("#claim-form")
    expect(form.locator("input[name=child-0-name]")).to_have_value("Ani")
    form.locator("input[name=child-1-name]").fill("Ari")
    form.locator("input[name=child-1-birth_date]").fill("2019-07-01")
    form.locator("select[name=child-1-level]").select_option("sd")
    form.locator("input[name=reason]").fill("Ahli waris menambah data anak kedua")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/claims/{claim.pk}/$"))
    expect(page.locator("#claim-total")).to_have_text("Rp213.000.000")
    shot(page, "claim-corrected")
    assert list(claim.children.values_list("name", flat=True)) == ["Ani", "Ari"]

    page.locator("#action-verify button").click()
    expect(page.locator(".message-success")).to_be_visible()
    claim.refresh_from_db()
    fisher.refresh_from_db()
    assert claim.status == "verified"
    assert (fisher.worker.died_on, fisher.status) == (dt.date(2026, 3, 10), "ended")

    # 3. The branch approves and pays.
    log_in(page, base, "bpjs")
    page.goto(f"{base}/claims/{claim.pk}/")
    expect(page.locator("#action-verify")).to_have_count(0)
    page.locator("#action-approve button").click()
    expect(page.locator(".message-success")).to_be_visible()
    page.locator("#action-pay input[name=paid_on]").fill("2026-04-02")
    page.locator("#action-pay input[name=reference]").fill("BPJS-SKW-0007")
    page.locator("#action-pay button").click()
    expect(page.locator(".message-success")).to_be_visible()
    claim.refresh_from_db()
    assert (claim.status, claim.paid_on, claim.payment_reference) == (
        "paid",
        dt.date(2026, 4, 2),
        "BPJS-SKW-0007",
    )

    # 4. What the city's Rp33,600 bought: the lump sums paid, Rp42,000,000 ÷ Rp33,600 =
    # 1,250.00; the children's school years (Rp171,000,000) are owed, each paid in its year.
    page.goto(f"{base}/claims/reports/money/?year=2026&region=61.72&as_of=2026-04-30")
    expect(page.locator("#total-benefits-paid")).to_have_text("Rp42.000.000")
    expect(page.locator("#total-owed-later")).to_have_text("Rp171.000.000")
    expect(page.locator("#total-ratio")).to_have_text("1.250,00")  # Indonesian marks
    shot(page, "report")
