"""The one writer of the audit table (`AuditEvent`), and its reads.

`record` writes one event through the ORM. A bulk action writes one event per record in a few
statements instead: `record_many` for changes worked out in Python (COPY on PostgreSQL, one
`executemany` on SQLite, through `core.table_load`), `record_query` for changes the database
works out itself (one INSERT … SELECT over a queryset or an SQL source, the rows never leave it).
All three store the same columns the same way, so a history reads alike whichever wrote it.

Reads of whole NIKs (UU 27/2022) are `ReadEvent`s, one per request: `record_read` writes one
for a read whose size is known before it is sent (an export), and `ReadAuditMiddleware` one for
each request that showed NIKs through `masking.display_nik` (which calls `shown_whole`).
docs/decisions/0006-read-audit.md says why, and how a person's page finds the reads of them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

import polars as pl
from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from jaring.accounts.errors import AccountError
from jaring.accounts.models import AuditEvent, ReadEvent, ReadSubject, User
from jaring.accounts.scope import Actor, as_user, scope_code
from jaring.core.errors import Problem, ValidationFailed
from jaring.core.table_load import load_frame


def record(
    *,
    actor: Actor | None,
    action: str,
    target,
    region_code: str,
    before: dict | None,
    after: dict | None,
    reason: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=as_user(actor),
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        region_code=region_code,
        before=before,
        after=after,
        reason=reason,
    )


@dataclass(frozen=True, slots=True)
class Change:
    """One record's event in a bulk write: what `record` takes besides actor and action."""

    target_id: int | str
    region_code: str
    before: dict | None
    after: dict | None
    reason: str = ""


# The columns every bulk write fills, the four shared by the whole write first.
_SHARED = ("actor_id", "at", "action", "target_type")
_PER_ROW = ("target_id", "region_code", "before", "after", "reason")


def record_many(
    *,
    actor: Actor | None,
    action: str,
    model: type[models.Model],
    changes: Iterable[Change],
    at: dt.datetime | None = None,
) -> int:
    """One event per change, all with the same actor, action, time and kind of target.

    Returns how many were written. 100,000 events take about a second (json.dumps is most
    of it); the ORM's bulk_create manages ~20k a second."""
    rows = [
        (str(c.target_id), c.region_code, _dumps(c.before), _dumps(c.after), c.reason)
        for c in changes
    ]
    if not rows:
        return 0
    frame = pl.DataFrame(
        rows, schema=dict.fromkeys(_PER_ROW, pl.String), orient="row"
    ).with_columns(
        actor_id=pl.lit(actor.pk if actor else None, dtype=pl.Int64),
        at=pl.lit(_stamp(at)),
        action=pl.lit(action),
        target_type=pl.lit(model._meta.label_lower),
    )
    with transaction.atomic(), connection.cursor() as cursor:
        load_frame(cursor, AuditEvent._meta.db_table, frame.select(*_SHARED, *_PER_ROW))
    return len(rows)


def record_query(
    *,
    actor: Actor | None,
    action: str,
    model: type[models.Model],
    rows: models.QuerySet | tuple[str, Sequence],
    at: dt.datetime | None = None,
) -> int:
    """One event per row of `rows`, in one INSERT … SELECT: the rows stay in the database.

    `rows` is a queryset (`.values(target_id=…, region_code=…, before=…, after=…, reason=…)`)
    or an SQL SELECT with its parameters, giving those five columns by name. `before` and
    `after` may be JSON or its text. Returns how many were written."""
    sql, params = rows.query.sql_with_params() if isinstance(rows, models.QuerySet) else rows
    json_of = "CAST({} AS jsonb)" if connection.vendor == "postgresql" else "{}"
    picks = (
        "CAST(e.target_id AS TEXT), e.region_code, "
        f"{json_of.format('e.before')}, {json_of.format('e.after')}, e.reason"
    )
    actor_id = actor.pk if actor else None
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {AuditEvent._meta.db_table} ({', '.join((*_SHARED, *_PER_ROW))}) "
            f"SELECT %s, %s, %s, %s, {picks} FROM ({sql}) e",
            [actor_id, _stamp(at), action, model._meta.label_lower, *params],
        )
        return cursor.rowcount


def _dumps(value: dict | None) -> str | None:
    # As the JSONField stores it (before and after share an encoder): None is SQL NULL.
    return (
        None
        if value is None
        else json.dumps(value, cls=AuditEvent._meta.get_field("after").encoder)
    )


def _stamp(at: dt.datetime | None) -> str:
    return str(connection.ops.adapt_datetimefield_value(at or timezone.now()))


@dataclass(frozen=True, slots=True)
class Entry:
    """One change as a history shows it: a stored event's, or one another record keeps (a worker
    an import registered has its ImportRow instead: docs/decisions/0003-import-audit.md)."""

    actor: User | None
    at: dt.datetime
    action: str
    before: dict | None
    after: dict | None
    reason: str

    @classmethod
    def of(cls, event: AuditEvent) -> Entry:
        return cls(event.actor, event.at, event.action, event.before, event.after, event.reason)

    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field that changed, by name."""
        before, after = self.before or {}, self.after or {}
        return [
            (k, before.get(k), after.get(k))
            for k in sorted(set(before) | set(after))
            if before.get(k) != after.get(k)
        ]


def history(target) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            target_type=target._meta.label_lower, target_id=str(target.pk)
        ).select_related("actor")
    )


# --- reads of whole NIKs ---------------------------------------------------------------------


def record_read(
    *,
    actor: Actor | None,
    what: str,
    records: int,
    niks: Iterable[str] = (),
    region_code: str | None = None,
    reason: str = "",
) -> ReadEvent:
    """One read: `records` people shown to `actor`. The NIKs of a read of up to
    JARING_READ_AUDIT_NAMED people are kept (pass them; a larger read's are not looked at);
    a larger read keeps `region_code` (default: the actor's region) and `what` (its filters)."""
    user = as_user(actor)
    named = records <= settings.JARING_READ_AUDIT_NAMED
    # No savepoint: inside a request's transaction a failed write fails the request anyway.
    with transaction.atomic(savepoint=False):
        event = ReadEvent.objects.create(
            actor=user,
            what=what[: ReadEvent._meta.get_field("what").max_length],
            records=records,
            region_code=region_code if region_code is not None else _region_of(actor),
            named=named,
            reason=reason,
        )
        if named and records:
            ReadSubject.objects.bulk_create(
                ReadSubject(event=event, nik=nik) for nik in sorted(set(niks))
            )
    return event


def _region_of(actor: Actor | None) -> str:
    return (scope_code(actor) or "") if actor is not None else ""


@dataclass(slots=True)
class Reads:
    """The whole NIKs one request has shown so far, and to whom."""

    user: User | None = None
    niks: set[str] = field(default_factory=set)
    reason: str = ""


_READS: ContextVar[Reads | None] = ContextVar("jaring_reads", default=None)


@contextmanager
def collecting_reads() -> Iterator[Reads]:
    """Collects what `shown_whole` is told while the block runs (one request's answer)."""
    reads = Reads()
    token = _READS.set(reads)
    try:
        yield reads
    finally:
        _READS.reset(token)


@contextmanager
def command_reads(args: list[str]) -> Iterator[Reads]:
    """One console command's run: the whole NIKs it prints (`jaring programme eligibility`,
    `jaring external_cover list`) are one read by the user it runs as, as a page's are."""
    with collecting_reads() as reads:
        try:
            yield reads
        finally:
            if reads.niks:
                record_read(
                    actor=reads.user,
                    what=" ".join(["jaring", *args]),
                    records=len(reads.niks),
                    niks=reads.niks,
                    reason=reads.reason,
                )


def shown_whole(user: User, nik: str) -> None:
    """`nik` goes whole into the answer being made for `user` (outside a request: nothing)."""
    reads = _READS.get()
    if reads is not None and nik:
        reads.user = reads.user or user
        reads.niks.add(nik)


def read_reason(reason: str) -> None:
    """The reason the user gave for the read being answered (kept with its event)."""
    if (reads := _READS.get()) is not None:
        reads.reason = reason


def check_read_reason(records: int, reason: str) -> None:
    """Refuses a read of more than JARING_EXPORT_REASON_OVER people without a reason, and
    keeps the reason with the read being answered."""
    if records > settings.JARING_EXPORT_REASON_OVER and not reason.strip():
        limit = settings.JARING_EXPORT_REASON_OVER
        raise ValidationFailed(
            Problem(
                AccountError.READ_REASON_REQUIRED,
                f"Lebih dari {limit} NIK utuh: sebutkan alasannya (`reason`).",
                f"More than {limit} whole NIKs: give the reason (`reason`).",
                field="reason",
            )
        )
    read_reason(reason.strip())


def reads_of(nik: str, village_code: str, *, limit: int = 20) -> list[ReadEvent]:
    """The newest reads that showed this NIK: those that kept it, and the larger ones of a
    region that covers `village_code` (they may have included it: their `what` says how)."""
    parts = village_code.split(".")
    covering = ["", *(".".join(parts[:n]) for n in range(1, len(parts) + 1))]
    return list(
        ReadEvent.objects.filter(
            Q(pk__in=ReadSubject.objects.filter(nik=nik).values("event_id"))
            | Q(named=False, region_code__in=covering)
        ).select_related("actor")[:limit]
    )


def read_row(event: ReadEvent) -> dict[str, object]:
    """A read as `jaring audit reads --json` and the admin's list give it."""
    return {
        "user": event.actor.username if event.actor else None,
        "at": event.at.isoformat(),
        "what": event.what,
        "records": event.records,
        "region": event.region_code,
        "reason": event.reason,
    }
