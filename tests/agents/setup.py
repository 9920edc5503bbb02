"""An agent of Singkawang Barat with its login, and members it recruits at the hand-over."""

from __future__ import annotations

import datetime as dt
import itertools

from jaring.accounts.models import Role
from jaring.accounts.scope import SYSTEM
from jaring.agents import services
from jaring.continuity import services as continuity
from jaring.rules.nik import compose
from tests.continuity.setup import funded_member
from tests.factories import make_user

AREA = "61.72.02"  # Singkawang Barat (PASIRAN's district)
_n = itertools.count(1)


def agent(admin=SYSTEM, *, area=AREA, joined=dt.date(2026, 1, 5), login=True, **extra):
    n = next(_n)
    user = make_user(Role.AGENT, area) if login else None
    return services.register_agent(
        actor=admin,
        data=services.AgentInput(
            full_name=extra.pop("full_name", f"Agen Perisai {n}"),
            nik=extra.pop("nik", compose("61.72.02", dt.date(1990, 1, n % 28 + 1), "M", n)),
            phone=extra.pop("phone", f"0812000000{n:02d}"),
            area=area,
            bpjs_agent_number=extra.pop("number", f"AG-{n:04d}"),
            username=user.username if user else "",
            joined_on=joined,
        ),
    )


def recruit(agent_, admin, *, channel="cash_agent", today=dt.date(2026, 6, 1), **worker):
    """A funded member in the agent's area continues self-paid through the agent's login."""
    m = funded_member(admin, **worker)
    chosen = continuity.record_choice(
        actor=agent_.user,
        membership_id=m.pk,
        data=continuity.ChoiceInput("self_paid", income=1_000_000, channel=channel),
        today=today,
    )
    return chosen.cover


def collect(agent_, cover, months, amount, reference, paid_on):
    return continuity.record_payment(
        actor=agent_.user,
        cover_id=cover.pk,
        data=continuity.PaymentInput(months, amount, "cash_agent", reference, paid_on),
        today=paid_on,
    )
