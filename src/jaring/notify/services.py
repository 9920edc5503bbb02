"""Queuing and sending messages to members.

Queuing renders a template (notify/data/notify.toml) into the outbox; `key` says what a message
is about and for whom, so queuing the same reminder again adds nothing. Sending (`send_due`,
the background worker's task and `jaring notify send`) takes the queued messages whose time has
come, in batches, and for each: a number that opted out is not sent to; in quiet hours, or past
the number's rate limit, the message waits; otherwise the channel adapter sends it. A failure
that may pass (timeout, 5xx) is tried again after a backoff that doubles; after the last
attempt, or on a refusal (4xx), the message is failed with the gateway's reason. A message is
marked sent only after the gateway accepted it, one batch's statuses in one UPDATE each: nothing
is lost, and a crash between send and save sends that batch at most once more.

No NIK leaves in a message: a template may name only the fields in FIELDS, and a rendered text
holding 16 digits in a row is refused.
"""

from __future__ import annotations

import datetime as dt
import re
import string
import tomllib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django_tasks import task
from lokal import normalize_phone

from jaring.accounts.scope import SYSTEM, Actor
from jaring.core.errors import Problem, ValidationFailed
from jaring.notify import channels
from jaring.notify.errors import NotifyError
from jaring.notify.models import Message, MessageStatus, OptOut
from jaring.notify.permissions import NOTIFY

FIELDS = frozenset(
    {"name", "programme", "end_date", "month", "amount", "due_date", "status", "bank", "reason"}
)
_SIXTEEN_DIGITS = re.compile(r"\d{16}")
BATCH = 1000


@cache
def config() -> dict:
    text = resources.files("jaring.notify").joinpath("data/notify.toml").read_text("utf-8")
    data = tomllib.loads(text)
    for key, template in data["templates"].items():
        names = {f for _, f, _, _ in string.Formatter().parse(template["text"]) if f}
        if names - FIELDS:
            raise ValueError(f"notify template {key} names {sorted(names - FIELDS)}")
    return data


def _problem(code, message_id: str, message_en: str, field: str, **params) -> ValidationFailed:
    return ValidationFailed(Problem(code, message_id, message_en, field, params))


def indonesian_phone(raw: str) -> str:
    """+62…: a number that is missing or not Indonesian is refused, naming the field."""
    if not raw or not raw.strip():
        raise _problem(
            NotifyError.PHONE_MISSING,
            "Nomor telepon kosong.",
            "The phone number is empty.",
            "phone",
        )
    phone = normalize_phone(raw)
    if not phone or not phone.startswith("+62"):
        raise _problem(
            NotifyError.PHONE_NOT_INDONESIAN,
            f"Nomor telepon '{raw}' bukan nomor Indonesia.",
            f"Phone number '{raw}' is not an Indonesian number.",
            "phone",
        )
    return phone


def render(template: str, values: dict[str, object]) -> tuple[str, str]:
    """(channel, text) of a template filled with `values`; no NIK may come out."""
    templates = config()["templates"]
    if template not in templates:
        raise _problem(
            NotifyError.TEMPLATE_UNKNOWN,
            f"Templat pesan '{template}' tidak dikenal.",
            f"Unknown message template '{template}'.",
            "template",
        )
    try:
        text = templates[template]["text"].format_map(values)
    except KeyError as missing:
        raise _problem(
            NotifyError.TEMPLATE_FIELD,
            f"Templat '{template}' butuh isian {missing}.",
            f"Template '{template}' needs the field {missing}.",
            "template",
        ) from None
    if _SIXTEEN_DIGITS.search(text.replace(" ", "").replace(".", "")):
        raise _problem(
            NotifyError.NIK_IN_MESSAGE,
            "Pesan memuat 16 angka berturut-turut (seperti NIK); pesan tidak dikirim.",
            "The message holds 16 digits in a row (like a NIK); it is not sent.",
            "text",
        )
    return templates[template]["channel"], text


@dataclass(frozen=True, slots=True)
class Outgoing:
    key: str
    template: str
    phone: str
    values: dict
    regency_code: str
    worker_id: int | None = None


@dataclass
class Queued:
    queued: int = 0
    already: int = 0
    skipped: Counter = None

    def as_dict(self) -> dict:
        return {"queued": self.queued, "already": self.already, "skipped": dict(self.skipped)}


def queue(items: Iterable[Outgoing], *, now: dt.datetime | None = None) -> Queued:
    """Puts messages in the outbox; one already queued under the same key is not added again;
    a member without an Indonesian number is counted under the reason, not queued."""
    now = now or timezone.now()
    result = Queued(skipped=Counter())
    pending: dict[str, Message] = {}
    for item in items:
        try:
            phone = indonesian_phone(item.phone)
        except ValidationFailed as exc:
            result.skipped[exc.problems[0].code.value] += 1
            continue
        channel, text = render(item.template, item.values)
        pending[item.key] = Message(
            key=item.key,
            template=item.template,
            channel=channel,
            phone=phone,
            text=text,
            worker_id=item.worker_id,
            regency_code=item.regency_code,
            next_attempt_at=now,
        )
    keys = list(pending)
    for i in range(0, len(keys), BATCH):
        chunk = keys[i : i + BATCH]
        known = set(Message.objects.filter(key__in=chunk).values_list("key", flat=True))
        new = [pending[k] for k in chunk if k not in known]
        Message.objects.bulk_create(new, batch_size=BATCH, ignore_conflicts=True)
        result.queued += len(new)
        result.already += len(known)
    return result


# --- sending ------------------------------------------------------------------------------------


def _clock(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


def quiet_until(now: dt.datetime) -> dt.datetime | None:
    """The end of the quiet hours `now` falls in (local time), or None outside them."""
    cfg = config()
    start, end = _clock(cfg["quiet_start"]), _clock(cfg["quiet_end"])
    local = timezone.localtime(now)
    t = local.time()
    inside = (start <= t or t < end) if start > end else (start <= t < end)
    if not inside:
        return None
    day = local.date() + dt.timedelta(days=1) if t >= end and start > end else local.date()
    return local.replace(
        year=day.year, month=day.month, day=day.day, hour=end.hour, minute=end.minute, second=0
    )


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=config()["backoff_seconds"] * 2 ** max(attempts - 1, 0))


@dataclass
class SendResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    opted_out: int = 0
    held_quiet: int = 0
    held_rate: int = 0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _recent_counts(phones: Sequence[str], since: dt.datetime) -> Counter:
    rows = (
        Message.objects.filter(
            phone__in=phones,
            sent_at__gte=since,
            status__in=(MessageStatus.SENT, MessageStatus.DELIVERED),
        )
        .values("phone")
        .annotate(n=Count("id"))
    )
    return Counter({r["phone"]: r["n"] for r in rows})


def send_batch(batch: list[Message], adapter, *, now: dt.datetime, result: SendResult) -> None:
    cfg = config()
    phones = sorted({m.phone for m in batch})
    opted = set(OptOut.objects.filter(phone__in=phones).values_list("phone", flat=True))
    window = dt.timedelta(hours=cfg["rate_window_hours"])
    recent = _recent_counts(phones, now - window)
    changed: list[Message] = []
    for m in batch:
        if m.phone in opted:
            m.status, m.last_error = MessageStatus.OPTED_OUT, "opted out"
            result.opted_out += 1
        elif recent[m.phone] >= cfg["rate_limit_per_number"]:
            # The number's window frees at the latest one rate window from now.
            m.next_attempt_at = now + window / cfg["rate_limit_per_number"]
            result.held_rate += 1
        else:
            outcome = adapter.send(to=m.phone, text=m.text, channel=m.channel, ref=str(m.pk))
            m.attempts += 1
            if outcome.ok:
                m.status, m.sent_at, m.gateway_id = MessageStatus.SENT, now, outcome.gateway_id
                m.last_error = ""
                recent[m.phone] += 1
                result.sent += 1
            elif outcome.retry and m.attempts < cfg["max_attempts"]:
                m.next_attempt_at = now + backoff(m.attempts)
                m.last_error = outcome.error
                result.retrying += 1
            else:
                m.status, m.last_error = MessageStatus.FAILED, outcome.error
                result.failed += 1
        changed.append(m)
    Message.objects.bulk_update(
        changed,
        ["status", "attempts", "next_attempt_at", "last_error", "gateway_id", "sent_at"],
        batch_size=BATCH,
    )


def send_due(
    *, actor: Actor, now: dt.datetime | None = None, limit: int | None = None, adapter=None
) -> SendResult:
    """Sends the queued messages whose time has come (in batches of BATCH)."""
    NOTIFY.check(actor, "send")
    now = now or timezone.now()
    result = SendResult()
    quiet = quiet_until(now)
    due = Message.objects.filter(status=MessageStatus.QUEUED, next_attempt_at__lte=now)
    if quiet is not None:
        result.held_quiet = due.update(next_attempt_at=quiet)
        return result
    adapter = adapter or channels.configured()
    done = 0
    last_id = 0
    try:
        while limit is None or done < limit:
            size = BATCH if limit is None else min(BATCH, limit - done)
            batch = list(due.filter(pk__gt=last_id).order_by("pk")[:size])
            if not batch:
                break
            last_id = batch[-1].pk
            with transaction.atomic():
                send_batch(batch, adapter, now=now, result=result)
            done += len(batch)
    finally:
        adapter.close()
    return result


@task()
def send_outbox() -> dict:
    """The background worker's send (`jaring db_worker`), as the system."""
    return send_due(actor=SYSTEM).as_dict()


def mark_delivered(*, gateway_ids: Iterable[str], at: dt.datetime | None = None) -> int:
    """The gateway's delivery reports: these messages reached the phone."""
    return Message.objects.filter(
        gateway_id__in=list(gateway_ids), status=MessageStatus.SENT
    ).update(status=MessageStatus.DELIVERED, delivered_at=at or timezone.now())


@transaction.atomic
def opt_out(*, actor: Actor, phone: str, reason: str = "") -> OptOut:
    """This number gets no more messages; those queued for it are not sent."""
    NOTIFY.check(actor, "send")
    phone = indonesian_phone(phone)
    row, _ = OptOut.objects.get_or_create(phone=phone, defaults={"reason": reason})
    Message.objects.filter(phone=phone, status=MessageStatus.QUEUED).update(
        status=MessageStatus.OPTED_OUT, last_error="opted out"
    )
    return row
