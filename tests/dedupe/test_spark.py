"""The Spark backend in local mode gives the DuckDB answers.

pyspark is an optional extra (`make install-spark`): without it or without Java these tests are
skipped with the reason printed, except under CI=true, which installs both and must run them.
"""

import importlib.util
import os
import shutil

import pytest

from jaring.dedupe import linkage

from .conftest import pair_set


def _missing() -> str | None:
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (make install-spark)"
    if shutil.which("java") is None:
        return "no Java runtime on this machine (Spark needs Java 17+)"
    return None


if (_reason := _missing()) is not None:
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"CI=true must run the Spark tests: {_reason}")
    pytest.skip(_reason, allow_module_level=True)


@pytest.fixture
def on_spark(monkeypatch):
    monkeypatch.setenv("JARING_DEDUPE_BACKEND", "spark")


def test_spark_scores_the_registry_like_duckdb(population, trained, monkeypatch):
    frame, _ = population
    on_duckdb = linkage.score_registry(frame, trained, threshold=0.8)
    monkeypatch.setenv("JARING_DEDUPE_BACKEND", "spark")
    on_spark = linkage.score_registry(frame, trained, threshold=0.8)
    assert linkage.backend_name() == "spark"
    # Spark's Jaro-Winkler (Splink's Scala UDF) rounds a few names into a lower level than
    # DuckDB's, so a borderline pair may fall on the other side of the threshold.
    spark_pairs, duckdb_pairs = pair_set(on_spark), pair_set(on_duckdb)
    assert len(spark_pairs & duckdb_pairs) / len(spark_pairs | duckdb_pairs) >= 0.98
    assert len(on_spark) > 1000


def test_spark_checks_candidates_against_the_registry(population, trained, on_spark):
    frame, truth = population
    copies = frame.filter(frame["unique_id"].is_in(truth["record_id"].head(200).implode()))
    originals = frame.filter(~frame["unique_id"].is_in(truth["record_id"].implode()))
    pairs = linkage.score_candidates(copies, originals, trained, threshold=0.8)
    expected = set(truth.head(200).select("record_id", "original_id").iter_rows())
    found = set(pairs.select("unique_id_l", "unique_id_r").iter_rows())
    # As in test_linkage: the old injector's name typos weigh little (twins are written so too).
    assert len(found & expected) / len(expected) >= 0.85
