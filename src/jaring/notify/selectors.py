"""Reads of the outbox, through the user's region (a message keeps its member's regency)."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from jaring.accounts.scope import Actor, scope_code, scope_q
from jaring.notify.models import Message, OptOut
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
                "phone": masked_phone(m.phone),
                "status": m.status,
                "attempts": m.attempts,
                "next_attempt_at": m.next_attempt_at.isoformat(),
                "last_error": m.last_error,
                "text": m.text,
            }
            for m in rows
        ],
    }


def masked_phone(phone: str) -> str:
    return phone[:6] + "…" + phone[-3:]


def messages(user: Actor, *, status: str = "", template: str = "") -> QuerySet[Message]:
    """The outbox, newest first, filtered by status and template."""
    qs = messages_for(user).order_by("-id")
    if status:
        qs = qs.filter(status=status)
    if template:
        qs = qs.filter(template=template)
    return qs


def opt_outs(user: Actor) -> QuerySet[OptOut]:
    """Numbers that asked for no messages: for a regional user, those its region's messages
    went (or would go) to; every one for a national user."""
    NOTIFY.check(user, "view")
    found = OptOut.objects.order_by("-created_at", "-id")
    if scope_code(user) is None:
        return found
    return found.filter(
        phone__in=Message.objects.filter(scope_q(user, field="regency_code")).values("phone")
    )
