"""The hand-over reminder, as a call another area plugs its sender into.

Before city-funded cover ends, each member who has not chosen yet should be reminded. Jaring's
notifications (an outbox of SMS/WhatsApp messages, issue 16 part 5) are built above this app:
it registers a sender in its AppConfig.ready() with `register(sender)`; `remind_ending` (the
`jaring selfpay remind` command, or the background worker) hands each sender the reminders of
the day. A sender receives `Reminder`s (no NIK: a message must never carry one) and returns how
many it queued. With no sender registered nothing is sent, and the command says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils import timezone

from jaring.accounts.scope import Actor
from jaring.continuity.permissions import CONTINUITY
from jaring.continuity.selectors import handover


@dataclass(frozen=True, slots=True)
class Reminder:
    membership_id: int
    worker_id: int
    name: str
    phone: str
    village_id: str
    programme: str
    end_date: dt.date


Sender = Callable[[Sequence[Reminder]], int]
_senders: list[Sender] = []


def register(sender: Sender) -> None:
    if sender not in _senders:
        _senders.append(sender)


def senders() -> list[Sender]:
    return list(_senders)


def due_reminders(
    actor: Actor, *, as_of: dt.date | None = None, within_days: int | None = None
) -> list[Reminder]:
    """The members in the actor's region whose funded cover ends within the notice and who
    have not chosen what comes next."""
    CONTINUITY.check(actor, "view")
    ending = handover(actor, as_of=as_of or timezone.localdate(), within_days=within_days)
    return [
        Reminder(
            membership_id=m.pk,
            worker_id=m.worker_id,
            name=m.worker.full_name,
            phone=m.worker.phone,
            village_id=m.village_id,
            programme=m.programme.name,
            end_date=m.end_date,
        )
        for m in ending.filter(choice__isnull=True)
    ]


def remind_ending(
    *, actor: Actor, as_of: dt.date | None = None, within_days: int | None = None
) -> tuple[int, int]:
    """Hands the due reminders to every registered sender: (reminders, queued by senders)."""
    due = due_reminders(actor, as_of=as_of, within_days=within_days)
    return len(due), sum(sender(due) for sender in _senders) if due else 0
