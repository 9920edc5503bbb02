"""Person frames (see `features`) read from the database in bulk.

A million workers come out in a few seconds: COPY on PostgreSQL; on SQLite, chunks of rows that
SQLite itself joins into text (one string per 200,000 rows, read as csv by Polars), so that
Python never builds a tuple per row; never model instances.
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
    "SELECT id, nik, full_name, CAST(birth_date AS TEXT) AS birth_date, sex,"
    " village_id AS village_code, phone, address, rt, rw FROM {table} WHERE merged_into_id IS NULL"
)
_ROW_SQL = (
    "SELECT id, nik, full_name, CAST(birth_date AS TEXT) AS birth_date, sex, village_code, phone,"
    " address, rt, rw FROM {table} WHERE batch_id = %s AND outcome = %s"
)
_CHUNK = 200_000
# Unit and record separators: no NIK, code or phone number holds them (nor, once replaced
# below, a name or an address).
_FREE_TEXT = ("full_name", "address")
_FIELD, _RECORD = "\x1f", "\x1e"


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
    return _read_sqlite(sql, params, schema)


def _read_sqlite(sql: str, params: list[object], schema: dict) -> pl.DataFrame:
    fields = " || char(31) || ".join(
        f"coalesce({c}, '')"
        if c not in _FREE_TEXT
        else f"replace(replace(coalesce({c}, ''), char(30), ' '), char(31), ' ')"
        for c in ("id", *list(schema)[1:])  # unique_id is the table's id
    )
    chunk_sql = (
        f"SELECT max(id), group_concat({fields}, char(30)) FROM "
        f"(SELECT * FROM ({sql}) WHERE id > %s ORDER BY id LIMIT {_CHUNK})"
    )
    text_schema = {c: (pl.String if t == pl.Date else t) for c, t in schema.items()}
    parts, last = [pl.DataFrame(schema=text_schema)], 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(chunk_sql, [*params, last])
            last, text = cursor.fetchone()
            if last is None:
                break
            # Each chunk parsed as it comes: one 200,000-row string in memory at a time.
            parts.append(
                pl.read_csv(
                    text.encode(),
                    has_header=False,
                    separator=_FIELD,
                    eol_char=_RECORD,
                    quote_char=None,
                    empty_string_is_null=False,
                    new_columns=list(schema),
                    schema_overrides=text_schema,
                )
            )
    frame = pl.concat(parts, rechunk=True)
    return frame.with_columns(pl.col("birth_date").str.to_date("%Y-%m-%d", strict=False))


def registry_frame() -> pl.DataFrame:
    """Every live worker (merged ones are left out)."""
    return _read(_WORKER_SQL.format(table=Worker._meta.db_table), [])


def batch_frame(batch_id: int) -> pl.DataFrame:
    """The rows of an import batch that would become new workers; unique_id is the row's id."""
    return _read(_ROW_SQL.format(table=ImportRow._meta.db_table), [batch_id, Outcome.NEW.value])
