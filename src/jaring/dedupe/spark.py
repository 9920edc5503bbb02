"""The Spark backend, for national-scale runs: `JARING_DEDUPE_BACKEND=spark`.

The model, its comparisons and its blocking rules are the same as on DuckDB (they use only
columns computed in Polars and Splink's own comparison functions, which Splink renders for each
backend). Settings:

- `JARING_SPARK_MASTER`: where the work runs (default `local[2]`; e.g. `spark://host:7077` or
  `yarn` on a cluster);
- `JARING_SPARK_DRIVER_MEMORY` (default `2g`), `JARING_SPARK_PARTITIONS` (shuffle partitions,
  default 8; a few hundred on a cluster);
- `JARING_SPARK_CHECKPOINT_DIR`: where Splink breaks long query plans (default a temporary
  directory; on a cluster a shared path such as HDFS).

Needs `pip install pyspark` (Spark 4) and Java 17 or later.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

import polars as pl


def spark_session() -> Any:
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    return (
        SparkSession.builder.appName("jaring-dedupe")
        .master(os.environ.get("JARING_SPARK_MASTER", "local[2]"))
        # Splink's Jaro-Winkler and Damerau-Levenshtein are Scala UDFs shipped as a jar.
        .config("spark.jars", similarity_jar_location())
        .config("spark.driver.memory", os.environ.get("JARING_SPARK_DRIVER_MEMORY", "2g"))
        .config("spark.sql.shuffle.partitions", os.environ.get("JARING_SPARK_PARTITIONS", "8"))
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )


def spark_api() -> Any:
    from splink.backends.spark import SparkAPI

    spark = spark_session()
    checkpoints = os.environ.get("JARING_SPARK_CHECKPOINT_DIR") or tempfile.mkdtemp(
        prefix="jaring-spark-"
    )
    spark.sparkContext.setCheckpointDir(checkpoints)
    return SparkAPI(spark_session=spark)


def to_polars(frame: Any) -> pl.DataFrame:
    return pl.from_arrow(frame.toArrow())


def drop_views(spark: Any) -> None:
    """Forgets the tables of a finished run (the session lives on in a worker process)."""
    for table in spark.catalog.listTables():
        if table.isTemporary and table.name.startswith(("jaring_", "__splink")):
            spark.catalog.dropTempView(table.name)
