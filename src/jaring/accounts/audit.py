"""The one writer of the audit table (`AuditEvent`), and its reads.

`record` writes one event through the ORM. A bulk action writes one event per record in a few
statements instead: `record_many` for changes worked out in Python (COPY on PostgreSQL, one
`executemany` on SQLite, through `core.table_load`), `record_query` for changes the database
works out itself (one INSERT … SELECT over a queryset or an SQL source, the rows never leave it).
All three store the same columns the same way, so a history reads alike whichever wrote it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import polars as pl
from django.db import connection, models, transaction
from django.utils import timezone

from jaring.accounts.models import AuditEvent, User
from jaring.accounts.scope import Actor, as_user
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
