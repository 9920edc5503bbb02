"""A checked batch's new rows become workers with set-based SQL, straight from `ImportRow`.

The rows are already stored in the registry's form, so one INSERT … SELECT adds the workers:
nothing travels back through Python, which is what makes a million-row commit take seconds
(bench/RESULTS.md). Run inside the commit's transaction.
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from jaring.accounts.models import User
from jaring.core.errors import Conflict
from jaring.imports.models import ImportBatch, ImportRow, Outcome
from jaring.imports.reasons import file_problem
from jaring.registry.bulk import indexes_built_after, room_to_sort
from jaring.registry.errors import RegistryError
from jaring.registry.models import Worker

# Worker field -> the `ImportRow` field it is copied from.
FROM_ROW = {
    "nik": "nik",
    "full_name": "full_name",
    "name_key": "name_key",
    "birth_date": "birth_date",
    "sex": "sex",
    "village_id": "village_code",
    "rt": "rt",
    "rw": "rw",
    "address": "address",
    "phone": "phone",
    "category_id": "category_code",
    "has_disability": "has_disability",
    "disability_kind": "disability_kind",
    "declared_income": "declared_income",
    "consent_date": "consent_date",
}
# Worker column -> what the SELECT over the batch's rows gives it.
_COPIED = {
    **{worker: f"r.{row}" for worker, row in FROM_ROW.items()},
    "province_code": "SUBSTR(r.village_code, 1, 2)",
    "regency_code": "SUBSTR(r.village_code, 1, 5)",
    "district_code": "SUBSTR(r.village_code, 1, 8)",
    "nik_override_reason": "''",
    "import_row_id": "r.id",
    "source": "%s",
    "created_at": "%s",
    "updated_at": "%s",
    "created_by_id": "%s",
}
_ROWS = f"{ImportRow._meta.db_table} r"
_NEW = f"r.batch_id = %s AND r.outcome = '{Outcome.NEW.value}'"


def add_new_workers(*, batch: ImportBatch, actor: User, source: str) -> int:
    """Adds the batch's `new` rows as workers; returns how many.

    Each worker points at the row it came from (`import_row_id`): the caller records one audit
    event for the batch, and the row is the worker's registration record (its values, with the
    batch's committer and time), which is what a million audit events would have repeated at
    two thirds of the commit's time (docs/decisions/0003-import-audit.md).
    Refuses (nothing written) a NIK registered since the check. Every row's village lies in
    the batch's region, so the caller checks the actor's scope once, on that region.
    """
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor, room_to_sort(cursor):
        _refuse_registered(cursor, batch.pk)
        # The check's count of new rows: near enough to choose whether to rebuild the
        # indexes, and counting them again scans a million rows (0.5 s).
        adding = batch.counts.get("new", 0)
        with indexes_built_after(cursor, adding=adding) as rebuilt:
            cursor.execute(
                f"INSERT INTO {Worker._meta.db_table} ({', '.join(_COPIED)}) "
                f"SELECT {', '.join(_COPIED.values())} FROM {_ROWS} WHERE {_NEW} "
                # In name order, so that the name-led indexes fill in order, not at random.
                + ("" if rebuilt else "ORDER BY r.name_key"),
                [source, stamp, stamp, actor.pk, batch.pk],
            )
            added = cursor.rowcount
    return added


def _refuse_registered(cursor, batch_id: int) -> None:
    """Someone may have registered one of the NIKs since the batch was checked."""
    cursor.execute(
        f"SELECT r.nik FROM {_ROWS} WHERE {_NEW} AND EXISTS "
        f"(SELECT 1 FROM {Worker._meta.db_table} w WHERE w.nik = r.nik) ORDER BY r.nik LIMIT 10",
        [batch_id],
    )
    registered = [nik for (nik,) in cursor.fetchall()]
    if registered:
        raise Conflict(file_problem(RegistryError.NIK_REGISTERED, niks=", ".join(registered)))
