"""A checked batch's new rows become workers with set-based SQL, straight from `ImportRow`.

The rows are already stored in the registry's form, so one INSERT … SELECT adds the workers and
another writes their `create` audit events: nothing travels back through Python, which is what
makes a million-row commit take seconds (bench/RESULTS.md). Run inside the commit's transaction.
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from jaring.accounts.models import AuditEvent, User
from jaring.core.errors import Conflict
from jaring.imports.models import ImportBatch, ImportRow, Outcome
from jaring.imports.reasons import file_problem
from jaring.registry.bulk import indexes_built_after, room_to_sort, snapshot_sql
from jaring.registry.models import Worker

# Worker column -> what the SELECT over the batch's rows gives it.
_COPIED = {
    "nik": "nik",
    "full_name": "full_name",
    "name_key": "name_key",
    "birth_date": "birth_date",
    "sex": "sex",
    "village_id": "village_code",
    "province_code": "SUBSTR(village_code, 1, 2)",
    "regency_code": "SUBSTR(village_code, 1, 5)",
    "district_code": "SUBSTR(village_code, 1, 8)",
    "rt": "rt",
    "rw": "rw",
    "address": "address",
    "phone": "phone",
    "category_id": "category_code",
    "has_disability": "has_disability",
    "disability_kind": "disability_kind",
    "declared_income": "declared_income",
    "consent_date": "consent_date",
    "nik_override_reason": "''",
    "source": "%s",
    "created_at": "%s",
    "updated_at": "%s",
    "created_by_id": "%s",
}
_ROWS = f"{ImportRow._meta.db_table} r"
_NEW = f"r.batch_id = %s AND r.outcome = '{Outcome.NEW.value}'"


def add_new_workers(*, batch: ImportBatch, actor: User, source: str) -> int:
    """Adds the batch's `new` rows as workers, each with its audit event; returns how many.

    Refuses (nothing written) a NIK registered since the check. Every row's village lies in
    the batch's region, so the caller checks the actor's scope once, on that region.
    """
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor, room_to_sort(cursor):
        _refuse_registered(cursor, batch.pk)
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {Worker._meta.db_table}")
        (last_before,) = cursor.fetchone()
        with indexes_built_after(cursor, adding=_count_new(cursor, batch.pk)) as rebuilt:
            cursor.execute(
                f"INSERT INTO {Worker._meta.db_table} ({', '.join(_COPIED)}) "
                f"SELECT {', '.join(_COPIED.values())} FROM {_ROWS} WHERE {_NEW} "
                # In name order, so that the name-led indexes fill in order, not at random.
                + ("" if rebuilt else "ORDER BY r.name_key"),
                [source, stamp, stamp, actor.pk, batch.pk],
            )
            added = cursor.rowcount
        cursor.execute(
            f"INSERT INTO {AuditEvent._meta.db_table} "
            "(actor_id, at, action, target_type, target_id, region_code, before, after, reason) "
            f"SELECT %s, %s, 'create', %s, CAST(w.id AS TEXT), w.village_id, NULL, "
            f"{snapshot_sql()}, w.nik_override_reason "
            # The workers just added, read in id order: a range of the primary key, where
            # joining back on the NIK would look up and then sort every one of them. Ids given
            # out meanwhile to other transactions are above the range's start too, so the
            # source (which names this batch) is checked as well.
            f"FROM {Worker._meta.db_table} w WHERE w.id > %s AND w.source = %s ORDER BY w.id",
            [actor.pk, stamp, Worker._meta.label_lower, last_before, source],
        )
    return added


def _count_new(cursor, batch_id: int) -> int:
    cursor.execute(f"SELECT COUNT(*) FROM {_ROWS} WHERE {_NEW}", [batch_id])
    return cursor.fetchone()[0]


def _refuse_registered(cursor, batch_id: int) -> None:
    """Someone may have registered one of the NIKs since the batch was checked."""
    cursor.execute(
        f"SELECT r.nik FROM {_ROWS} WHERE {_NEW} AND EXISTS "
        f"(SELECT 1 FROM {Worker._meta.db_table} w WHERE w.nik = r.nik) ORDER BY r.nik LIMIT 10",
        [batch_id],
    )
    registered = [nik for (nik,) in cursor.fetchall()]
    if registered:
        raise Conflict(file_problem("nik_registered", niks=", ".join(registered)))
