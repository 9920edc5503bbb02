"""The hand-over from a Perisai agent's view, in a real browser: the agent of Singkawang Barat
logs in (password only: an agent sees NIKs masked), finds the member whose city cover ends in
its area on the hand-over list, records that she continues self-paid with cash to the agent,
takes her first month's cash on her page (the agent's collection), and cannot open another
agent's member."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from django.utils import timezone

from jaring.accounts.models import Role
from jaring.agents.models import AgentCredit, Collection
from jaring.continuity import services
from jaring.continuity.models import SelfPayCover
from jaring.rules.months import add_months
from tests.agents.setup import agent
from tests.contributions.setup import member, programme
from tests.factories import make_user

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_agent_records_the_choice_and_collects_the_first_month(page, live_server):
    from playwright.sync_api import expect

    admin = make_user(Role.ADMIN)
    mine = agent()
    mine.user.set_password("rahasia-123")
    mine.user.save()
    start = add_months(timezone.localdate(), -5) + dt.timedelta(days=10)
    prog = programme(admin)
    m = member(admin, prog, start, full_name="Siti Aminah")
    other = agent()
    theirs = services.record_choice(
        actor=other.user,
        membership_id=member(admin, prog, start, full_name="Rahmat Hidayat").pk,
        data=services.ChoiceInput("self_paid", income=1_000_000, channel="cash_agent"),
    ).cover
    base = live_server.url
    page.goto(f"{base}/login/?next=/continuity/")
    page.locator("input[name=username]").fill(mine.user.username)
    page.locator("input[name=password]").fill("rahasia-123")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/continuity/$"))
    expect(page.locator("#villages")).to_contain_text(m.village.name)
    expect(page.locator("body")).not_to_contain_text(m.worker.nik)
    row = page.locator("#ending tr", has_text="Siti Aminah")
    row.get_by_role("link", name="Catat pilihan").click()
    page.get_by_label("Lanjut mandiri").check()
    page.locator("input[name=income]").fill("1000000")
    page.locator("select[name=channel]").select_option("cash_agent")
    page.locator("#choice-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/continuity/self-paid/\d+/$"))

    cover = SelfPayCover.objects.get(worker=m.worker)
    assert AgentCredit.objects.get(cover=cover).agent == mine
    form = page.locator("#payment-form")
    form.locator("input[name=amount]").fill(str(services.quote(cover, 1)))
    form.locator("input[name=reference]").fill("KWT-AGEN-1")
    form.locator("input[name=paid_on]").fill(timezone.localdate().isoformat())
    form.locator("select[name=channel]").select_option("cash_agent")
    form.locator("button[type=submit]").click()
    expect(page.locator("#months")).to_contain_text("KWT-AGEN-1")
    assert Collection.objects.get().agent == mine

    # Another agent's member is not found; the list of self-payers shows only its own.
    assert page.goto(f"{base}/continuity/self-paid/{theirs.pk}/").status == 404
    page.goto(f"{base}/continuity/self-paid/")
    expect(page.locator("main")).to_contain_text("Siti Aminah")
    expect(page.locator("main")).not_to_contain_text("Rahmat Hidayat")

    # Its own page (the menu's "Agen"): the member, the cash collected, nothing of the other's.
    page.get_by_role("link", name="Agen", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/agents/$"))
    expect(page.locator("#portfolio")).to_contain_text("Siti Aminah")
    expect(page.locator("#collections")).to_contain_text(
        f"Rp{services.quote(cover, 1):,}".replace(",", ".")
    )
    expect(page.locator("main")).not_to_contain_text("Rahmat Hidayat")
