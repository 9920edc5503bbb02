"""What agents does when continuity opens a cover or records a payment (core.events)."""

from __future__ import annotations

from jaring.accounts.models import Role
from jaring.agents import services


def credit_cover(sender, *, cover, actor, **kwargs) -> None:
    """A cover an agent opened (a member's hand-over choice) is the agent's new member."""
    if getattr(actor, "role", None) == Role.AGENT:
        services.credit_to_own_agent(actor=actor, cover=cover)


def record_collection(sender, *, payment, actor, **kwargs) -> None:
    """Cash paid to an agent is the agent's collection, to be deposited to BPJS."""
    services.collect(actor=actor, payment=payment)
