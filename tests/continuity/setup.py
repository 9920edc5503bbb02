"""A Singkawang member whose 5-month city-funded cover runs 15 January – 14 June 2026.

Expected amounts from RULES.md: at the minimum base (Rp1,000,000) JKK Rp10,000 + JKM Rp6,800 =
Rp16,800 a month; PP 50/2025 halves JKK + JKM for self-payers in April–December 2026 (sector
"other"): Rp8,400; from January 2027 Rp16,800 again. JHT (2 %, Rp20,000) is never discounted.
"""

from __future__ import annotations

import datetime as dt

from jaring.accounts.scope import SYSTEM
from jaring.continuity import services
from jaring.programs.models import Programme
from tests.contributions.setup import member, programme

FUNDED_START = dt.date(2026, 1, 15)
FUNDED_END = dt.date(2026, 6, 14)
SELF_START = dt.date(2026, 6, 15)
DISCOUNTED = 8_400
FULL = 16_800


def programme_of(admin) -> Programme:
    """The tests' one programme (made on first use)."""
    return Programme.objects.order_by("id").first() or programme(admin)


def funded_member(admin, prog=None, **worker):
    return member(admin, prog or programme_of(admin), FUNDED_START, **worker)


def self_payer(admin, m=None, *, channel="bank", jht=False, today=dt.date(2026, 6, 1)):
    m = m or funded_member(admin)
    choice = services.record_choice(
        actor=admin,
        membership_id=m.pk,
        data=services.ChoiceInput("self_paid", income=1_000_000, channel=channel, jht=jht),
        today=today,
    )
    return choice.cover


def pay(cover, months, amount, reference, paid_on, actor=SYSTEM, channel="bank"):
    return services.record_payment(
        actor=actor,
        cover_id=cover.pk,
        data=services.PaymentInput(months, amount, channel, reference, paid_on),
        today=paid_on,
    )
