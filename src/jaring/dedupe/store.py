"""Queued pairs written in bulk: one frame, one COPY (PostgreSQL) or executemany (SQLite).

A full run over a million workers queues ~150,000 pairs; ORM saves of that many rows with their
explanations take minutes, this takes seconds.
"""

from __future__ import annotations

import polars as pl
from django.db import connection
from django.utils import timezone

from jaring.core.table_load import load_frame
from jaring.dedupe.explain import explanation_json
from jaring.dedupe.linkage import TrainedModel
from jaring.dedupe.models import DedupeModel, PairStatus, ProbableDuplicate

_COLUMNS = (
    "worker_id",
    "other_worker_id",
    "import_row_id",
    "other_import_row_id",
    "batch_id",
    "nik_pair",
    "match_probability",
    "match_weight",
    "explanation",
    "status",
    "province_code",
    "regency_code",
    "district_code",
    "village_id",
    "run_id",
    "model_id",
    "found_at",
    "note",
)


def nik_pair(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    """The two NIKs sorted and joined ("-" for a missing one): what decisions are keyed on."""
    a, b = a.fill_null("-"), b.fill_null("-")
    return (
        pl.when(a <= b)
        .then(pl.concat_str([a, b], separator="|"))
        .otherwise(pl.concat_str([b, a], separator="|"))
    )


def _common_region(a: pl.Expr, b: pl.Expr) -> list[pl.Expr]:
    """The region columns of the smallest region holding villages `a` and `b` ("" below it)."""
    out = []
    for column, length in (
        ("province_code", 2),
        ("regency_code", 5),
        ("district_code", 8),
        ("village_id", 13),
    ):
        # Codes nest, so sharing the first `length` characters means sharing every level above.
        same = a.str.slice(0, length) == b.str.slice(0, length)
        out.append(pl.when(same).then(a.str.slice(0, length)).otherwise(pl.lit("")).alias(column))
    return out


def pair_rows(
    pairs: pl.DataFrame,
    model: DedupeModel,
    *,
    batch_id: int | None,
    run_id: int | None,
    **records: str,
) -> pl.DataFrame:
    """Rows for the queue table from scored pairs joined with nik_a/b and village_code_a/b.

    `records` names the pair's columns holding each record of the pair's shape, e.g.
    worker="unique_id_r", import_row="unique_id_l"; the others are left empty.
    """
    village_a, village_b = pl.col("village_code_a").fill_null(""), pl.col("village_code_b")
    kinds = ("worker", "other_worker", "import_row", "other_import_row")
    return pairs.select(
        *(
            (pl.col(records[k]) if k in records else pl.lit(None, pl.Int64)).alias(f"{k}_id")
            for k in kinds
        ),
        pl.lit(batch_id, pl.Int64).alias("batch_id"),
        nik_pair(pl.col("nik_a"), pl.col("nik_b")).alias("nik_pair"),
        pl.col("match_probability"),
        pl.col("match_weight"),
        explanation_json(TrainedModel.from_dict(model.model)).alias("explanation"),
        pl.lit(PairStatus.PENDING.value).alias("status"),
        *_common_region(village_a, village_b.fill_null("")),
        pl.lit(run_id, pl.Int64).alias("run_id"),
        pl.lit(model.pk, pl.Int64).alias("model_id"),
        pl.lit("").alias("note"),
    )


def insert(rows: pl.DataFrame) -> None:
    if rows.is_empty():
        return
    table = ProbableDuplicate._meta.db_table
    now = timezone.now()
    stamp = (
        now.isoformat()
        if connection.vendor == "postgresql"
        else connection.ops.adapt_datetimefield_value(now)
    )
    rows = rows.with_columns(pl.lit(stamp).alias("found_at")).select(_COLUMNS)
    with connection.cursor() as cursor:
        load_frame(cursor, table, rows)
