"""`jaring calc contribution --funder self`, `jaring continuity` and `jaring selfpay`."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jaring.accounts.models import Role
from jaring.accounts.scope import SYSTEM
from jaring.continuity import services
from tests.continuity.setup import DISCOUNTED, funded_member, pay, self_payer
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _json(*args) -> dict:
    out = StringIO()
    call_command(*args, "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize(("month", "total"), [("2026-05", 8_400), ("2027-01", 16_800)])
def test_a_self_payers_contribution_carries_the_pp_50_2025_discount_in_its_months(month, total):
    """RULES.md: Rp16,800 at the minimum base; PP 50/2025 halves JKK + JKM for April–December
    2026 (sector other) and does not exclude self-payers."""
    result = _json(
        "calc", "contribution", "--funder", "self", "--income", "1000000", "--month", month
    )
    assert result["total"] == total


def test_continuity_counts_who_stayed_covered(monkeypatch):
    admin = make_user(Role.ADMIN)
    kept = self_payer(admin)
    pay(kept, 1, DISCOUNTED, "TRF-1", dt.date(2026, 6, 10))
    lapsing = self_payer(admin)
    stopping = funded_member(admin)
    services.record_choice(
        actor=admin,
        membership_id=stopping.pk,
        data=services.ChoiceInput("stop"),
        today=dt.date(2026, 6, 1),
    )
    funded_member(admin)  # no choice recorded
    for month in (6, 7, 8, 9):
        services.run_month(
            actor=SYSTEM, month=dt.date(2026, month, 1), as_of=dt.date(2026, month, 1)
        )
    services.run_month(actor=SYSTEM, month=dt.date(2026, 10, 1), as_of=dt.date(2026, 9, 16))
    lapsing.refresh_from_db()
    assert lapsing.status == "lapsed"
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: dt.date(2026, 12, 7))
    result = _json("continuity", "--region", "61.72", "--month", "2026-06")
    assert result["funded_ended"] == 4
    assert result["continued_self_paid"] == 1
    assert result["lapsed"] == 1
    assert result["stopped"] == 1
    assert result["not_covered"] == 1
    assert result["renewed"] == 0
    assert result["retention_pct"] == "25.0"
    one_month = result["after_months"][0]
    assert (one_month["months"], one_month["ended"]) == (1, 0)  # 14 July is after June's end


def test_continuity_of_a_region_outside_the_users_is_refused():
    make_user(Role.PROGRAMME_OFFICER, "61.71", username="pontianak")
    with pytest.raises(CommandError):
        call_command("continuity", "--region", "61.72", "--user", "pontianak", stdout=StringIO())


def test_selfpay_run_and_pay_from_the_command_line():
    admin = make_user(Role.ADMIN)
    cover = self_payer(admin)
    run = _json("selfpay", "run", "--month", "2026-06", "--as-of", "2026-06-01")
    assert run["billed"] == 1 and run["amount_due"] == DISCOUNTED
    out = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "selfpay",
            "pay",
            "--cover",
            str(cover.pk),
            "--amount",
            "16800",
            "--channel",
            "bank",
            "--reference",
            "X",
            "--paid-on",
            "2026-06-01",
            stdout=out,
        )


def test_selfpay_remind_says_how_many_are_due_and_how_many_senders_are_plugged_in():
    # The notifications' outbox (jaring.notify) is the one sender.
    out = _json("selfpay", "remind", "--as-of", "2026-06-01")
    assert out == {"due": 0, "queued": 0, "senders": 1}
