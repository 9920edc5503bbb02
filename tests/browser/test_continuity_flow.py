"""The hand-over in a real browser, from the city officer's view: the member whose city-funded
cover ends in nine days is on the list under her village; the officer records that she
continues self-paid, is taken to her self-payment page, enters a wrong amount (refused on the
field, nothing paid), then the right one: her cover continues without a gap."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from django.utils import timezone

from jaring.accounts.models import Role
from jaring.continuity import services
from jaring.continuity.models import SelfPayCover, SelfPayment
from jaring.rules.months import add_months
from tests.browser.test_money_flow import log_in
from tests.contributions.setup import member, programme
from tests.factories import make_user

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_records_the_choice_and_the_first_self_paid_month(page, live_server):
    from playwright.sync_api import expect

    admin = make_user(Role.ADMIN)
    make_user(Role.PROGRAMME_OFFICER, "61.72", username="rina", password="rahasia-123")
    start = add_months(timezone.localdate(), -5) + dt.timedelta(days=10)
    m = member(admin, programme(admin), start, full_name="Siti Aminah")
    base = live_server.url
    log_in(page, base, "rina")

    page.goto(f"{base}/continuity/")
    expect(page.locator("#villages")).to_contain_text(m.village.name)
    row = page.locator("#ending tr", has_text="Siti Aminah")
    row.get_by_role("link", name="Catat pilihan").click()
    page.get_by_label("Lanjut mandiri").check()
    page.locator("input[name=income]").fill("1000000")
    page.locator("select[name=channel]").select_option("cash_agent")
    page.locator("#choice-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/continuity/self-paid/\d+/$"))

    cover = SelfPayCover.objects.get()
    assert cover.start_date == m.end_date + dt.timedelta(days=1)
    right = services.quote(cover, 1)
    form = page.locator("#payment-form")
    form.locator("input[name=amount]").fill(str(right * 2))
    form.locator("input[name=reference]").fill("KWT-001")
    form.locator("input[name=paid_on]").fill(timezone.localdate().isoformat())
    form.locator("button[type=submit]").click()
    expect(page.locator("#payment-form .error")).to_contain_text("bukan")
    assert not SelfPayment.objects.exists()

    form = page.locator("#payment-form")
    form.locator("input[name=amount]").fill(str(right))
    form.locator("input[name=reference]").fill("KWT-001")
    form.locator("input[name=paid_on]").fill(timezone.localdate().isoformat())
    form.locator("button[type=submit]").click()
    expect(page.locator("#months")).to_contain_text("KWT-001")
    cover.refresh_from_db()
    assert cover.covered_from == cover.start_date
    expect(page.locator("#covered-until")).not_to_have_text("–")
