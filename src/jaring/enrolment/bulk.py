"""Set-based writes for memberships: INSERT … SELECT, answers applied in one statement per
table, one audit row per membership.

Bulk actions touch up to a city's 100,000 memberships; row-by-row ORM saves would take minutes.
The selections stay in the database as subqueries; rows that come from a file (BPJS answers)
travel as one parameter per column or one JSON list (`rows_table`, `among`).
"""

from __future__ import annotations

import datetime as dt
import gc
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Field, JSONField, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import JSONObject

from jaring.accounts import audit
from jaring.accounts.models import User
from jaring.core import events
from jaring.enrolment.models import Membership
from jaring.programs.models import ProgrammeCategory
from jaring.programs.selectors import regencies_of_programmes
from jaring.registry.models import Worker

_CHOSEN = "jaring_enrol_chosen"


def _subquery(qs: QuerySet) -> tuple[str, tuple]:
    sql, params = qs.order_by().values("pk").query.sql_with_params()
    return sql, tuple(params)


def _stamp(now: dt.datetime):
    return connection.ops.adapt_datetimefield_value(now)


def insert_memberships(
    *, programme_id: int, workers: QuerySet[Worker], status: str, now: dt.datetime
) -> int:
    """One membership per worker in `workers`, on the terms of the worker's category."""
    sub, sub_params = _subquery(workers)
    m, w, pc = Membership._meta.db_table, Worker._meta.db_table, ProgrammeCategory._meta.db_table
    # The selection is fixed in a temporary table first: it reads the membership table (already
    # enrolled? covered elsewhere?) that the INSERT is filling, and PostgreSQL would otherwise
    # rescan the growing table for every worker — quadratic, minutes instead of seconds.
    sql = f"""
        INSERT INTO {m} (worker_id, programme_id, category_id, status, kpj, start_date,
            end_date, months, income_base, end_reason, end_note, rejection_reason,
            renewed_to_id, village_id, province_code, regency_code, district_code,
            status_changed_at, created_at, updated_at)
        SELECT w.id, pc.programme_id, w.category_id, %s, '', NULL, NULL, pc.cover_months,
            pc.income_base, '', '', '', NULL, w.village_id, w.province_code, w.regency_code,
            w.district_code, %s, %s, %s
        FROM {w} w JOIN {pc} pc ON pc.category_id = w.category_id AND pc.programme_id = %s
        WHERE w.id IN (SELECT id FROM {_CHOSEN})
    """
    stamp = _stamp(now)
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {_CHOSEN}")
        cur.execute(f"CREATE TEMPORARY TABLE {_CHOSEN} (id bigint PRIMARY KEY)")
        cur.execute(f"INSERT INTO {_CHOSEN} (id) {sub}", sub_params)
        try:
            cur.execute(sql, (status, stamp, stamp, stamp, programme_id))
            inserted = cur.rowcount
        finally:
            cur.execute(f"DROP TABLE {_CHOSEN}")
    events.memberships_changed.send(
        sender="enrolment", regencies=regencies_of_programmes([programme_id])
    )
    return inserted


def audit_memberships(
    *,
    actor: User | None,
    memberships: QuerySet[Membership],
    action: str,
    after: dict[str, object],
    reason: str,
    now: dt.datetime,
    before_status: bool = True,
) -> int:
    """One audit event per membership: before = its current status, after = `after`."""
    rows = memberships.order_by().values(
        target_id=F("pk"),
        region_code=F("village_id"),
        before=JSONObject(status=F("status")) if before_status else Value(None, JSONField()),
        after=Value(after, output_field=JSONField()),
        reason=Value(reason),
    )
    return audit.record_query(actor=actor, action=action, model=Membership, rows=rows, at=now)


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """CPython's cycle collector off for a bulk call (as a `with` block or a decorator).

    Reading and judging 100,000 answers allocates millions of small objects and no cycles;
    the collector would rescan them again and again: a third of a response import's CPU.
    Reference counting frees them meanwhile; any cycle is collected once it is back on."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def among(qs: QuerySet, field: str, values: Iterable) -> QuerySet:
    """`qs.filter(<field>__in=values)` with every value in one parameter, a JSON list the
    database unpacks: binding 100,000 NIKs or ids one by one costs more than the query, and
    older SQLite refuses more than 999 (later 32,766) parameters."""
    target = qs.model._meta.pk if field == "pk" else qs.model._meta.get_field(field)
    if connection.vendor == "postgresql":
        unpacked = (
            f"SELECT CAST(value AS {target.cast_db_type(connection)}) "
            "FROM jsonb_array_elements_text(CAST(%s AS jsonb))"
        )
    else:
        unpacked = "SELECT value FROM json_each(%s)"
    return qs.filter(**{f"{field}__in": RawSQL(unpacked, (json.dumps(list(values)),))})


def rows_table(fields: Sequence[Field], rows: Iterable[Sequence]) -> tuple[str, list]:
    """A FROM item `v` holding `rows`, with one column per field (named by its column).

    For statements that write 100,000 rows from Python in one go: the rows travel as one
    JSON parameter the database unpacks. `executemany` through Django's cursor sends and plans
    a statement per row on PostgreSQL, and arrays cost seconds of quoting there. Values are
    what JSON holds: dates as ISO text, JSON columns as JSON text. UPDATE … FROM this needs
    SQLite 3.33 or later.
    """
    names = [connection.ops.quote_name(f.column) for f in fields]
    data = json.dumps(list(rows), default=str)
    if connection.vendor == "postgresql":
        picks = ", ".join(
            f"CAST(e->>{i} AS {f.cast_db_type(connection)}) AS {n}"
            for i, (f, n) in enumerate(zip(fields, names, strict=True))
        )
        return f"(SELECT {picks} FROM jsonb_array_elements(CAST(%s AS jsonb)) AS e) AS v", [data]
    picks = ", ".join(f"json_extract(value, '$[{i}]') AS {n}" for i, n in enumerate(names))
    return f"(SELECT {picks} FROM json_each(%s)) AS v", [data]


@dataclass(frozen=True, slots=True)
class Change:
    """A membership's new state and the audit event that explains it."""

    membership_id: int
    region_code: str
    status: str
    kpj: str
    start_date: dt.date | None
    end_date: dt.date | None
    rejection_reason: str
    before: dict[str, object]
    after: dict[str, object]
    reason: str


def apply_changes(
    *, actor: User, changes: list[Change], action: str, source: str, now: dt.datetime
) -> int:
    """Writes each change to a membership still in status `source`, with one audit event each.

    Returns how many memberships changed: fewer than asked means another officer moved some
    meanwhile. One statement per table for every change; ORM saves cost queries per row.
    """
    ops, stamp, table = connection.ops, _stamp(now), Membership._meta.db_table
    state, state_params = rows_table(
        [_field(Membership, f) for f in ("id", *_STATE)],
        [
            (
                c.membership_id,
                c.status,
                c.kpj,
                ops.adapt_datefield_value(c.start_date),
                ops.adapt_datefield_value(c.end_date),
                c.rejection_reason,
            )
            for c in changes
        ],
    )
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {table} SET {', '.join(f'{f} = v.{f}' for f in _STATE)}, "
            f"status_changed_at = %s, updated_at = %s FROM {state} "
            # `|| ''` keeps SQLite off the status index: it must walk the answers and find
            # each membership by id (with stale statistics it scanned the answers per member).
            f"WHERE {table}.id = v.id AND {table}.status || '' = %s",
            [stamp, stamp, *state_params, source],
        )
        changed = cur.rowcount
    audit.record_many(
        actor=actor,
        action=action,
        model=Membership,
        changes=[
            audit.Change(c.membership_id, c.region_code, c.before, c.after, c.reason)
            for c in changes
        ],
        at=now,
    )
    return changed


# The membership columns an answer from BPJS sets (besides the time stamps).
_STATE = ("status", "kpj", "start_date", "end_date", "rejection_reason")


def _field(model, name: str) -> Field:
    return model._meta.get_field(name)
