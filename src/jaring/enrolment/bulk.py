"""Set-based writes for memberships: INSERT … SELECT, answers applied with prepared statements,
one audit row per membership.

Bulk actions touch up to a city's 100,000 memberships; row-by-row ORM saves would take minutes.
The selections stay in the database as subqueries, so no id list crosses into Python.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet

from jaring.accounts.models import AuditEvent, User
from jaring.coverage import facts as coverage_facts
from jaring.enrolment.models import Membership
from jaring.programs.models import ProgrammeCategory
from jaring.registry.models import Worker

_CHOSEN = "jaring_enrol_chosen"


def _subquery(qs: QuerySet) -> tuple[str, tuple]:
    sql, params = qs.order_by().values("pk").query.sql_with_params()
    return sql, tuple(params)


def _json(placeholder: str) -> str:
    return f"CAST({placeholder} AS jsonb)" if connection.vendor == "postgresql" else placeholder


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
    coverage_facts.changed(regencies=coverage_facts.regencies_of_programmes([programme_id]))
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
    sub, sub_params = _subquery(memberships)
    before = _json("""'{"status": "' || m.status || '"}'""") if before_status else "NULL"
    sql = f"""
        INSERT INTO {AuditEvent._meta.db_table}
            (actor_id, at, action, target_type, target_id, region_code, before, after, reason)
        SELECT %s, %s, %s, %s, CAST(m.id AS TEXT), m.village_id, {before}, {_json("%s")}, %s
        FROM {Membership._meta.db_table} m
        WHERE m.id IN ({sub})
    """
    params = (
        actor.pk if actor else None,
        _stamp(now),
        action,
        Membership._meta.label_lower,
        json.dumps(after, default=str),
        reason,
        *sub_params,
    )
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.rowcount


# Ids per query when rows come from a file: well under SQLite's and PostgreSQL's limits on
# bound values, few enough queries for 100,000 rows.
CHUNK = 10_000


def in_chunks(qs: QuerySet, field: str, values: Iterable) -> Iterator:
    """`qs.filter(<field>__in=values)`, one query per CHUNK values."""
    values = list(values)
    for i in range(0, len(values), CHUNK):
        yield from qs.filter(**{f"{field}__in": values[i : i + CHUNK]})


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
    meanwhile. One prepared statement per table; ORM saves cost a round of queries per row.
    """
    ops = connection.ops
    stamp = _stamp(now)
    with connection.cursor() as cur:
        cur.executemany(
            f"UPDATE {Membership._meta.db_table} SET status = %s, kpj = %s, start_date = %s, "
            "end_date = %s, rejection_reason = %s, status_changed_at = %s, updated_at = %s "
            "WHERE id = %s AND status = %s",
            [
                (
                    c.status,
                    c.kpj,
                    ops.adapt_datefield_value(c.start_date),
                    ops.adapt_datefield_value(c.end_date),
                    c.rejection_reason,
                    stamp,
                    stamp,
                    c.membership_id,
                    source,
                )
                for c in changes
            ],
        )
        changed = cur.rowcount
        cur.executemany(
            f"INSERT INTO {AuditEvent._meta.db_table} (actor_id, at, action, target_type, "
            f"target_id, region_code, before, after, reason) "
            f"VALUES (%s, %s, %s, %s, %s, %s, {_json('%s')}, {_json('%s')}, %s)",
            [
                (
                    actor.pk,
                    stamp,
                    action,
                    Membership._meta.label_lower,
                    str(c.membership_id),
                    c.region_code,
                    json.dumps(c.before),
                    json.dumps(c.after),
                    c.reason,
                )
                for c in changes
            ],
        )
    return changed
