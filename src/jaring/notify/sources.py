"""What is queued, from the areas below: the hand-over reminder (continuity.reminders hands
its reminders to `cover_ending`), contributions due in 3 days, overdue, lapsed covers, and a
claim's new status (core.events.claim_status_changed). Each message's key names the
member-month, the cover or the claim's step, so each is queued once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from jaring.accounts.scope import Actor
from jaring.claims.workflow import STATUS_ID
from jaring.continuity import selectors as continuity
from jaring.continuity.reminders import Reminder
from jaring.contributions.services import month_of
from jaring.notify import services
from jaring.notify.permissions import NOTIFY
from jaring.rules.tables import month_text, rupiah

DUE_SOON_DAYS = 3


def _day(value: dt.date) -> str:
    return value.strftime("%d-%m-%Y")


def cover_ending(reminders: Sequence[Reminder]) -> int:
    """continuity.reminders' sender: one message per membership whose funded cover ends."""
    items = (
        services.Outgoing(
            key=f"cover_ending:{r.membership_id}",
            template="cover_ending",
            phone=r.phone,
            values={"name": r.name, "programme": r.programme, "end_date": _day(r.end_date)},
            regency_code=r.village_id[:5],
            worker_id=r.worker_id,
        )
        for r in reminders
    )
    return services.queue(items).queued


def _months(rows, template: str) -> Iterator[services.Outgoing]:
    for cover, period, amount, due, worker, name, phone, regency in rows.iterator(2000):
        yield services.Outgoing(
            key=f"{template}:{cover}:{period}",
            template=template,
            phone=phone,
            values={
                "name": name,
                "month": month_text(month_of(period)),
                "amount": rupiah(amount),
                "due_date": _day(due),
            },
            regency_code=regency,
            worker_id=worker,
        )


def queue_daily(*, actor: Actor, today: dt.date) -> dict:
    """The day's reminders: due in DUE_SOON_DAYS days, overdue since yesterday, lapsed since
    the last month (each queued once)."""
    NOTIFY.check(actor, "send")
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    out = {
        "due_soon": services.queue(
            _months(continuity.unpaid_months(due_from=soon, due_to=soon), "due_soon")
        ).as_dict(),
        "overdue": services.queue(
            _months(
                continuity.unpaid_months(
                    due_from=today - dt.timedelta(days=31), due_to=today - dt.timedelta(days=1)
                ),
                "overdue",
            )
        ).as_dict(),
    }
    lapsed = (
        services.Outgoing(
            key=f"cover_lapsed:{cover}",
            template="cover_lapsed",
            phone=phone,
            values={"name": name},
            regency_code=regency,
            worker_id=worker,
        )
        for cover, worker, name, phone, regency in continuity.lapsed_covers(
            ended_from=today - dt.timedelta(days=62)
        ).iterator(2000)
    )
    out["cover_lapsed"] = services.queue(lapsed).as_dict()
    return out


def claim_status(sender, *, claim, **kwargs) -> None:
    """The worker's phone learns the claim's new status (for a death claim, the household's
    phone, addressed to the claimant), inside the claim's transaction: a refused step queues
    nothing."""
    worker = claim.worker
    services.queue(
        [
            services.Outgoing(
                key=f"claim_status:{claim.pk}:{claim.status}:{claim.status_changed_at:%Y%m%d%H%M%S}",
                template="claim_status",
                phone=worker.phone,
                values={
                    "name": claim.claimant_name or worker.full_name,
                    "status": STATUS_ID[claim.status],
                },
                regency_code=claim.regency_code,
                worker_id=worker.pk,
            )
        ]
    )
