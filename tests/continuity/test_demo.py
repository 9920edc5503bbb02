"""The Singkawang 2025 scenario's hand-over: when the 5-month cover ends (14 May 2026), 30 %
continue self-paid (a quarter of them lapse), 20 % wait for the city, 10 % stop (specs.py)."""

from __future__ import annotations

import pytest

from jaring.continuity.models import CoverStatus, SelfPayCover, SelfPayment
from jaring.demo.scenarios import loader

pytestmark = pytest.mark.django_db


def test_singkawang_members_continue_self_paid_and_some_lapse():
    result = loader.load("singkawang-2025", scale=0.02)
    (programme,) = result.programmes
    # 154 members of the 5-month group alive when it ends (a fisher's work death in February
    # ended his): 30 % = 46 self-paid, 20 % = 31 renewed, 10 % = 15 stop.
    assert programme.choices == {"self_paid": 46, "renewed": 31, "stop": 15}
    assert programme.self_paid_lapsed == 12  # a quarter of 46, rounded
    assert SelfPayCover.objects.filter(status=CoverStatus.LAPSED).count() == 12
    assert programme.self_payments == SelfPayment.objects.count() > 46
    r = result.retention
    assert r["funded_ended"] == 154
    assert r["continued_self_paid"] == 34 and r["lapsed"] == 12
    assert r["retention_pct"] == f"{100 * 34 / 154:.1f}"
    money = result.continuation_money
    assert money["self_payments"] == sum(SelfPayment.objects.values_list("amount", flat=True))
    assert money["contributions_paid"] > money["self_payments"] > 0
    # The cash payers are the 3 agents' members, whose payments are their collections and
    # fees; the auto-debit payers pay through the bank's monthly files.
    agents, debits = programme.agents, programme.auto_debit
    assert agents["agents"] == 3
    assert agents["members"] == SelfPayCover.objects.filter(channel="cash_agent").count() > 0
    assert agents["collected"] == sum(
        SelfPayment.objects.filter(channel="cash_agent").values_list("amount", flat=True)
    )
    assert agents["fees"] > 0
    assert debits["mandates"] == SelfPayCover.objects.filter(channel="auto_debit").count() > 0
    assert debits["debited"] == SelfPayment.objects.filter(channel="auto_debit").count() > 0
