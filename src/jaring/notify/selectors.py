"""Reads of the outbox, through the user's region (a message keeps its member's regency)."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from jaring.accounts.scope import Actor, scope_q
from jaring.notify.models import Message
from jaring.notify.permissions import NOTIFY


def messages_for(user: Actor) -> QuerySet[Message]:
    NOTIFY.check(user, "view")
    return Message.objects.filter(scope_q(user, field="regency_code"))


def outbox(user: Actor, *, latest: int = 20) -> dict:
    """Messages per status and template, and the latest ones (their text holds no NIK)."""
    qs = messages_for(user)
    counts = {
        (r["template"], r["status"]): r["n"]
        for r in qs.order_by().values("template", "status").annotate(n=Count("id"))
    }
    by_status: dict[str, int] = {}
    for (_, status), n in counts.items():
        by_status[status] = by_status.get(status, 0) + n
    rows = qs.order_by("-id")[:latest]
    return {
        "by_status": by_status,
        "by_template": [
            {"template": t, "status": s, "messages": n} for (t, s), n in sorted(counts.items())
        ],
        "latest": [
            {
                "id": m.pk,
                "template": m.template,
                "channel": m.channel,
                "phone": m.phone[:6] + "…" + m.phone[-3:],
                "status": m.status,
                "attempts": m.attempts,
                "next_attempt_at": m.next_attempt_at.isoformat(),
                "last_error": m.last_error,
                "text": m.text,
            }
            for m in rows
        ],
    }
