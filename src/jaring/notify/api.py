"""The outbox over the API: messages with their status and retries (phone numbers masked, no
NIK in any text), and opt-outs."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from jaring.core.api.schemas import Strict, errors
from jaring.notify import selectors, services
from jaring.notify.models import MessageStatus, OptOut

router = Router(tags=["notify"])


class OutboxQuery(Schema):
    status: MessageStatus | None = None
    template: str | None = Field(None, max_length=40)
    offset: int = Field(0, ge=0, le=10_000_000)
    limit: int = Field(100, ge=1, le=1000)


class OutboxMessageOut(Schema):
    id: int
    template: str
    channel: str
    phone: str = Field(description="masked: +62812…789")
    status: str
    attempts: int
    next_attempt_at: dt.datetime
    last_error: str
    created_at: dt.datetime
    sent_at: dt.datetime | None
    text: str


class OutboxOut(Schema):
    by_status: dict[str, int]
    messages: list[OutboxMessageOut]


class OptOutQuery(Schema):
    offset: int = Field(0, ge=0, le=10_000_000)
    limit: int = Field(100, ge=1, le=1000)


class OptOutIn(Strict):
    phone: str = Field(max_length=40)
    reason: str = Field("", max_length=200)


class OptOutOut(Schema):
    phone: str = Field(description="masked")
    reason: str
    created_at: dt.datetime


def _opt_out(o: OptOut) -> dict[str, object]:
    return {
        "phone": selectors.masked_phone(o.phone),
        "reason": o.reason,
        "created_at": o.created_at,
    }


@router.get(
    "/outbox",
    response={200: OutboxOut, **errors(401, 403)},
    summary="Messages to members, newest first, with status and retries; counts per status",
)
def outbox(request: HttpRequest, query: Query[OutboxQuery]):
    found = selectors.messages(
        request.auth, status=query.status or "", template=query.template or ""
    )
    by_status = {
        r["status"]: r["n"]
        for r in selectors.messages_for(request.auth)
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
    }
    return {
        "by_status": by_status,
        "messages": [
            {
                "id": m.pk,
                "template": m.template,
                "channel": m.channel,
                "phone": selectors.masked_phone(m.phone),
                "status": m.status,
                "attempts": m.attempts,
                "next_attempt_at": m.next_attempt_at,
                "last_error": m.last_error,
                "created_at": m.created_at,
                "sent_at": m.sent_at,
                "text": m.text,
            }
            for m in found[query.offset : query.offset + query.limit]
        ],
    }


@router.get(
    "/opt-outs",
    response={200: list[OptOutOut], **errors(401, 403)},
    summary="Numbers that get no messages",
)
def opt_outs(request: HttpRequest, query: Query[OptOutQuery]):
    found = selectors.opt_outs(request.auth)[query.offset : query.offset + query.limit]
    return [_opt_out(o) for o in found]


@router.post(
    "/opt-outs",
    response={201: OptOutOut, **errors(401, 403, 422)},
    summary="Stop messages to a number (its queued messages are not sent)",
)
def opt_out(request: HttpRequest, body: OptOutIn):
    return Status(
        201, _opt_out(services.opt_out(actor=request.auth, phone=body.phone, reason=body.reason))
    )
