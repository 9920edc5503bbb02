"""Person frames (see `features`) read from the database in bulk.

A million workers come out in a few seconds: COPY on PostgreSQL, one cursor on SQLite, never
model instances.
"""

from __future__ import annotations

import io

import polars as pl
from django.db import connection

from jaring.dedupe.features import PERSON_COLUMNS
from jaring.imports.models import ImportRow, Outcome
from jaring.registry.models import Worker

# birth_date as text: on SQLite that skips a Python date conversion per row (Polars parses the
# column at once); PostgreSQL writes the same ISO text to COPY anyway.
_WORKER_SQL = (
    "SELECT id, nik, full_name, CAST(birth_date AS TEXT), sex, village_id, phone FROM {table}"
    " WHERE merged_into_id IS NULL"
)
_ROW_SQL = (
    "SELECT id, nik, full_name, CAST(birth_date AS TEXT), sex, village_code, phone FROM {table}"
    " WHERE batch_id = %s AND outcome = %s"
)


def _read(sql: str, params: list[object]) -> pl.DataFrame:
    schema = dict(PERSON_COLUMNS)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg 3, for COPY
            query = raw.mogrify(sql, params) if params else sql
            buffer = io.BytesIO()
            with raw.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)") as copy:
                for chunk in copy:
                    buffer.write(chunk)
        buffer.seek(0)
        if not buffer.getbuffer().nbytes:
            return pl.DataFrame(schema=schema)
        return pl.read_csv(
            buffer,
            has_header=False,
            new_columns=list(schema),
            schema_overrides=schema,
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    text = {c: (pl.String if t == pl.Date else t) for c, t in schema.items()}
    frame = pl.DataFrame(rows, schema=text, orient="row")
    return frame.with_columns(pl.col("birth_date").str.to_date("%Y-%m-%d", strict=False))


def registry_frame() -> pl.DataFrame:
    """Every live worker (merged ones are left out)."""
    return _read(_WORKER_SQL.format(table=Worker._meta.db_table), [])


def batch_frame(batch_id: int) -> pl.DataFrame:
    """The rows of an import batch that would become new workers; unique_id is the row's id."""
    return _read(_ROW_SQL.format(table=ImportRow._meta.db_table), [batch_id, Outcome.NEW.value])
