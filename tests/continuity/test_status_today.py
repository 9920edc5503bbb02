"""A self-paid cover past the lapse rule is lapsed today everywhere, before the daily run has
recorded it (issue 13): the API, the pages, the retention counts, the coverage counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from jaring.accounts.scope import SYSTEM
from jaring.continuity import selectors, services
from jaring.continuity.models import CoverStatus
from tests.continuity.setup import DISCOUNTED, pay, self_payer
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db


def test_a_cover_past_the_lapse_rule_is_lapsed_before_the_daily_run(admin, api, monkeypatch):
    cover = self_payer(admin)
    pay(cover, 1, DISCOUNTED, "TRF-JUN", dt.date(2026, 6, 10))
    for month in (7, 8, 9, 10):  # each month billed on its first day: nothing lapses then
        services.run_month(
            actor=SYSTEM, month=dt.date(2026, month, 1), as_of=dt.date(2026, month, 1)
        )
    caller, web = api(admin), client_for(admin)

    def on(day: dt.date):
        monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)

    # 15 October: July, August and September unpaid past their due date: arrears, not a lapse.
    on(dt.date(2026, 10, 15))
    assert caller.get(f"/api/continuity/covers/{cover.pk}").json()["status"] == "active"
    retained = selectors.retention(SYSTEM, "61.72", dt.date(2026, 10, 1))
    assert retained.self_paying_active == 1

    # 16 October: October's due date has passed too, four months: lapsed, though no run since.
    on(dt.date(2026, 10, 16))
    cover.refresh_from_db()
    assert cover.status == CoverStatus.ACTIVE  # as recorded
    assert caller.get(f"/api/continuity/covers/{cover.pk}").json()["status"] == "lapsed"
    listed = caller.get("/api/continuity/covers", status="lapsed").json()
    assert [c["id"] for c in listed] == [cover.pk]
    assert caller.get("/api/continuity/covers", status="active").json() == []
    with translation.override("id"):
        lapsed = str(CoverStatus.LAPSED.label)
    page = web.get(f"/continuity/self-paid/{cover.pk}/").content.decode()
    assert lapsed in page
    assert lapsed in web.get("/continuity/self-paid/", {"status": "lapsed"}).content.decode()
    retained = selectors.retention(SYSTEM, "61.72", dt.date(2026, 10, 1))
    assert retained.self_paying_active == 0
    # Coverage counts only paid months: June's month (to 14 July) and nothing after.
    assert selectors.self_paid_on("61.72", [dt.date(2026, 7, 14), dt.date(2026, 10, 16)]) == [1, 0]

    # The daily run then records what the pages already said.
    assert services.apply_lapses(actor=SYSTEM, as_of=dt.date(2026, 10, 16)) == (1, 4)
    assert caller.get(f"/api/continuity/covers/{cover.pk}").json()["status"] == "lapsed"
