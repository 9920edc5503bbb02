"""Moving an analysis' rows into `ImportRow`, with the engine's bulk path.

`core.table_load`: a million rows in seconds, where the ORM's bulk_create manages ~20k rows a
second.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import polars as pl
from django.db import connection

from jaring.core.table_load import load_frame
from jaring.imports.models import ImportRow

# ImportRow column -> analysis column, and how long the text may be.
_TEXT = {
    "nik": 64,
    "full_name": 150,
    "name_key": 150,
    "sex": 1,
    "village_code": 13,
    "rt": 3,
    "rw": 3,
    "address": 255,
    "phone": 16,
    "category_code": 40,
    "disability_kind": 20,
    "place_of_birth": 100,
    "mother_maiden_name": 150,
    "marital_status": 10,
    "email": 254,
}
_COLUMNS = (
    "batch_id",
    "row_number",
    "outcome",
    *_TEXT,
    "birth_date",
    "has_disability",
    "declared_income",
    "consent_date",
    "worker_id",
    "changes",
    "reasons",
    "original",
)
_CHUNK = 100_000
# Text columns with a database default (""): left out of a chunk where all are empty.
_DEFAULTED = ("place_of_birth", "mother_maiden_name", "marital_status", "email")


def _stored(rows: pl.DataFrame, batch_id: int, originals: dict[int, str]) -> pl.DataFrame:
    original = pl.DataFrame(
        {"row": list(originals), "original": list(originals.values())},
        schema={"row": pl.Int64, "original": pl.String},
    )
    return (
        rows.join(original, on="row", how="left", maintain_order="left")
        .with_columns(
            batch_id=pl.lit(batch_id, dtype=pl.Int64),
            row_number=pl.col("row"),
            **{c: pl.col(c).fill_null("").str.slice(0, n) for c, n in _TEXT.items()},
        )
        .select(_COLUMNS)
    )


def save_rows(
    rows: pl.DataFrame,
    *,
    batch_id: int,
    originals: dict[int, str],
    progress: Callable[[float], None],
) -> None:
    """Stores the rows of a batch (which must have none yet), reporting the share done."""
    stored = _stored(rows, batch_id, originals)
    done = 0
    with connection.cursor() as cursor:
        # By outcome, so that a chunk of new rows (most of a list) can leave out the columns
        # only the other outcomes fill.
        for group in stored.partition_by("outcome", maintain_order=True):
            for start in range(0, group.height, _CHUNK):
                chunk = _filled(group.slice(start, _CHUNK))
                load_frame(cursor, ImportRow._meta.db_table, chunk)
                done += chunk.height
                progress(done / stored.height)


def _filled(chunk: pl.DataFrame) -> pl.DataFrame:
    """The chunk without the columns that are empty in all its rows: the table stores NULL
    for a column an INSERT leaves out (no column has a database default), and every value
    bound costs; new rows leave five empty, a third of SQLite's time for them. The columns
    with a database default go the same way when all their cells are empty."""
    return chunk.select(
        c
        for c in chunk.columns
        if chunk[c].null_count() < chunk.height and not (c in _DEFAULTED and (chunk[c] == "").all())
    )


def decode_json(value: object) -> object:
    """JSON columns come back as text from SQLite's raw cursor, decoded from PostgreSQL."""
    return json.loads(value) if isinstance(value, str) else value
