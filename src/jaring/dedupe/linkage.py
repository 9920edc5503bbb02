"""Probabilistic record linkage with Splink: the model, its training, and scoring (no Django).

Evidence is grouped by the fact it speaks about, because a NIK repeats facts the other fields
also carry (its birth-date part encodes the birth date and sex, its region part the district
where the person was registered). Counting the NIK's birth-date part and the birth-date field
as two independent agreements would double the weight of "born the same day" and link different
people born the same day in the same district. So:

- name: exact, same names in another order, Jaro-Winkler ≥ 0.95 / 0.88 (on the names as
  written and sorted), else;
- birth date: the field and the NIK's birth-date part both agree, only the field agrees (a
  mistyped NIK), only the NIK part agrees (a mistyped field), the field within one typo or with
  day and month swapped, else;
- place: same village, same district (of the village or of the NIK's region part), the NIK region
  parts one digit apart, else;
- NIK serial: equal, one typo apart, else — the serial is the only part of a NIK that no other
  field carries (a whole-NIK level would count the region and birth-date parts a second time);
- sex.

Training needs no labels: u by random sampling (capped), m by EM on three blocked samples
(capped), and the prior from the EM sessions, stored as matches per record so that it can be
rescaled to the size of the registry an upload is checked against.
"""

from __future__ import annotations

import logging
import math
import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import polars as pl
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on

from jaring.core.errors import Conflict, Problem
from jaring.dedupe.errors import DedupeError
from jaring.dedupe.features import person_features

logger = logging.getLogger(__name__)

MODEL_VERSION = 1

# Measured on 100,000 rows with injected duplicates (bench/RESULTS.md): the lowest threshold
# whose precision stays at or above 0.99.
DEFAULT_THRESHOLD = 0.8

# Blocking rules for prediction. Each leaves out at least one kind of error, so that a
# duplicate with one mistake in any field (or a missing NIK) still shares a block.
PREDICTION_BLOCKS = (
    ("nik_region", "nik_dob"),  # same NIK but for the serial
    ("nik_dob", "nik_serial"),  # same NIK but for the region part
    ("birth_date_text", "district_code"),  # NIK missing or mistyped, name changed
    ("birth_date_text", "name_sorted"),  # moved away, NIK missing or mistyped
    ("name_sorted", "birth_year", "district_code"),  # day or month mistyped or swapped
    ("name_sorted", "birth_month_day", "district_code"),  # year mistyped
)

# EM on these blocks. A comparison that reads a blocking column is held fixed in that session
# (so the blocks name the very columns the comparisons read). The phone number is no evidence
# in the model (families share one) but records sharing it are mostly the same person, which is
# what EM needs to learn every comparison's m at once; the other two sessions cover registries
# without phone numbers.
TRAINING_BLOCKS = (
    ("phone",),  # estimates everything
    ("birth_date_text", "village_code"),  # estimates name, NIK serial, sex
    ("name_sorted", "birth_date_text"),  # estimates place, NIK serial, sex
)

NAME_COLUMNS = ("name", "name_sorted")


def _name_comparison() -> cl.CustomComparison:
    def either(threshold: float) -> cll.Or:
        return cll.Or(*(cll.JaroWinklerLevel(c, threshold) for c in NAME_COLUMNS))

    return cl.CustomComparison(
        output_column_name="name",
        comparison_description="Name",
        comparison_levels=[
            cll.NullLevel("name"),
            cll.ExactMatchLevel("name").configure(label_for_charts="same name"),
            cll.ExactMatchLevel("name_sorted").configure(
                label_for_charts="same names, other order"
            ),
            either(0.95).configure(label_for_charts="one small typo"),
            either(0.88).configure(label_for_charts="similar"),
            cll.ElseLevel().configure(label_for_charts="different"),
        ],
    )


def _birth_date_comparison() -> cl.CustomComparison:
    field_equal = "birth_date_text_l = birth_date_text_r"
    nik_equal = "nik_dob_l = nik_dob_r"
    nik_unknown = "(nik_dob_l is null or nik_dob_r is null)"
    swapped = (
        "(substr(birth_date_text_l, 1, 4) = substr(birth_date_text_r, 1, 4)"
        " and substr(birth_date_text_l, 6, 2) = substr(birth_date_text_r, 9, 2)"
        " and substr(birth_date_text_l, 9, 2) = substr(birth_date_text_r, 6, 2))"
    )
    return cl.CustomComparison(
        output_column_name="birth_date",
        comparison_description="Birth date (field and NIK)",
        comparison_levels=[
            cll.CustomLevel(
                "(birth_date_text_l is null or birth_date_text_r is null) and " + nik_unknown,
                label_for_charts="unknown",
            ).configure(is_null_level=True),
            cll.CustomLevel(
                f"{field_equal} and ({nik_equal} or {nik_unknown})",
                label_for_charts="same birth date, in the field and the NIK",
            ),
            cll.CustomLevel(field_equal, label_for_charts="same birth date, NIK part differs"),
            cll.CustomLevel(nik_equal, label_for_charts="same NIK birth date, field differs"),
            cll.Or(
                cll.DamerauLevenshteinLevel("birth_date_text", 1),
                cll.CustomLevel(swapped),
            ).configure(label_for_charts="one typo or day and month swapped"),
            cll.ElseLevel().configure(label_for_charts="different"),
        ],
    )


def _place_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="place",
        comparison_description="Village and NIK region",
        comparison_levels=[
            cll.CustomLevel(
                "(village_code_l is null or village_code_r is null)"
                " and (nik_region_l is null or nik_region_r is null)",
                label_for_charts="unknown",
            ).configure(is_null_level=True),
            cll.ExactMatchLevel("village_code").configure(label_for_charts="same village"),
            cll.CustomLevel(
                "district_code_l = district_code_r or nik_region_l = nik_region_r",
                label_for_charts="same district",
            ),
            cll.DamerauLevenshteinLevel("nik_region", 1).configure(
                label_for_charts="NIK region one typo apart"
            ),
            cll.ElseLevel().configure(label_for_charts="different"),
        ],
    )


def _serial_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="nik",
        comparison_description="NIK serial",
        comparison_levels=[
            cll.NullLevel("nik_serial"),
            cll.ExactMatchLevel("nik_serial").configure(label_for_charts="same NIK serial"),
            cll.DamerauLevenshteinLevel("nik_serial", 1).configure(
                label_for_charts="NIK serial one typo apart"
            ),
            cll.ElseLevel().configure(label_for_charts="different"),
        ],
    )


def _equal_or_not(column: str, description: str, same: str) -> cl.CustomComparison:
    """Unknown, equal or different: a phone number or a sex is not "one typo apart"."""
    return cl.CustomComparison(
        output_column_name=column,
        comparison_description=description,
        comparison_levels=[
            cll.NullLevel(column),
            cll.ExactMatchLevel(column).configure(label_for_charts=same),
            cll.ElseLevel().configure(label_for_charts="different"),
        ],
    )


def settings() -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[
            _name_comparison(),
            _birth_date_comparison(),
            _place_comparison(),
            _serial_comparison(),
            _equal_or_not("phone", "Phone", "same phone number"),
            _equal_or_not("sex", "Sex", "same sex"),
        ],
        blocking_rules_to_generate_predictions=[block_on(*b) for b in PREDICTION_BLOCKS],
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=True,
    )


@dataclass(frozen=True)
class Limits:
    """Caps that keep a national-size run inside a small server's time and memory."""

    u_max_pairs: float = 5e6
    em_max_pairs: float = 2e6
    memory: str = os.environ.get("JARING_DEDUPE_MEMORY", "2GB")
    threads: int = int(os.environ.get("JARING_DEDUPE_THREADS", "2"))
    prior_sample: int = 300_000
    seed: int = 42


@dataclass
class TrainedModel:
    """A saved Splink model plus what is needed to reuse it on a registry of another size."""

    splink: dict[str, Any]
    record_count: int
    matches_per_record: float
    timings: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": MODEL_VERSION,
            "splink": self.splink,
            "record_count": self.record_count,
            "matches_per_record": self.matches_per_record,
            "timings": self.timings,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainedModel:
        return cls(
            splink=data["splink"],
            record_count=data["record_count"],
            matches_per_record=data["matches_per_record"],
            timings=data.get("timings", {}),
        )

    def splink_settings(self, *, prior: float, dialect: str) -> dict[str, Any]:
        """The settings for `dialect`, with the trained m and u values.

        The saved JSON holds SQL for the dialect it was trained on (DuckDB's function names are
        not Spark's), so the comparisons are rebuilt for the backend at hand and only the
        trained values are carried over, level by level.
        """
        out = settings().get_settings(dialect).as_dict()
        saved = {
            c["output_column_name"]: c["comparison_levels"] for c in self.splink["comparisons"]
        }
        for comparison in out["comparisons"]:
            trained = saved[comparison["output_column_name"]]
            for level, values in zip(comparison["comparison_levels"], trained, strict=True):
                for key in ("m_probability", "u_probability"):
                    if key in values:
                        level[key] = values[key]
        out["probability_two_random_records_match"] = prior
        return out

    def comparison_levels(self) -> dict[str, list[dict[str, Any]]]:
        """Per comparison, its levels (label, gamma value, m, u) as the model saved them."""
        out = {}
        for comparison in self.splink["comparisons"]:
            levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
            n = len(levels)
            out[comparison["output_column_name"]] = [
                {
                    "gamma": n - 1 - i,
                    "label": lv.get("label_for_charts", ""),
                    "m": lv.get("m_probability"),
                    "u": lv.get("u_probability"),
                }
                for i, lv in enumerate(levels)
            ]
        return out


# --- backends ---------------------------------------------------------------------------------


def backend_name() -> str:
    return os.environ.get("JARING_DEDUPE_BACKEND", "duckdb").lower()


@contextmanager
def _db_api(limits: Limits) -> Iterator[Any]:
    if backend_name() == "spark":
        from jaring.dedupe.spark import drop_views, spark_api

        api = spark_api()
        try:
            yield api
        finally:
            drop_views(api.spark)
        return
    import duckdb
    from splink import DuckDBAPI

    with tempfile.TemporaryDirectory(prefix="jaring-dedupe-") as spill:
        con = duckdb.connect(":memory:")
        con.execute(f"SET memory_limit = '{limits.memory}'")
        con.execute(f"SET threads = {int(limits.threads)}")
        con.execute(f"SET temp_directory = '{spill}'")
        con.execute("SET preserve_insertion_order = false")
        try:
            yield DuckDBAPI(connection=con)
        finally:
            con.close()


def _register(db_api: Any, frame: pl.DataFrame, name: str) -> Any:
    # Both DuckDB and Spark 4 take an Arrow table as it is. A Spark session outlives a run,
    # so every registration gets a table name of its own.
    table = f"jaring_{name}_{uuid.uuid4().hex[:8]}"
    return db_api.register(frame.to_arrow(), dataset_display_name=name, table_name=table)


def _to_polars(splink_df: Any) -> pl.DataFrame:
    if backend_name() == "spark":
        from jaring.dedupe.spark import to_polars

        return to_polars(splink_df.as_spark_dataframe())
    return splink_df.as_duckdbpyrelation().pl()


# --- training and scoring -----------------------------------------------------------------------


def _quiet() -> None:
    logging.getLogger("splink").setLevel(logging.WARNING)


def train(
    registry: pl.DataFrame,
    limits: Limits | None = None,
    training_blocks: tuple[tuple[str, ...], ...] = TRAINING_BLOCKS,
) -> TrainedModel:
    """A model trained on the registry itself (no labels)."""
    limits = limits or Limits()
    _quiet()
    features = person_features(registry)
    timings: dict[str, float] = {}
    start = time.perf_counter()
    with _db_api(limits) as db_api:
        linker = Linker(_register(db_api, features, "registry"), settings(), log_level=None)
        linker.training.estimate_u_using_random_sampling(
            max_pairs=limits.u_max_pairs, seed=limits.seed
        )
        timings["u"] = time.perf_counter() - start
        # A registry may hold no two workers sharing a phone number, say; the other sessions
        # then still estimate every comparison.
        blocks = [block for block in training_blocks if _has_pairs(features, block)]
        if not blocks:
            raise _untrainable(len(features))
        for block in blocks:
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on(*block),
                max_pairs=limits.em_max_pairs,
                estimate_without_term_frequencies=True,
            )
        timings["em"] = time.perf_counter() - start - timings["u"]
        saved = linker.misc.save_model_to_json()
        sample = features.sample(min(len(features), limits.prior_sample), seed=limits.seed)
        prior = _estimate_prior(db_api, sample, saved)
        timings["prior"] = time.perf_counter() - start - timings["u"] - timings["em"]
    return TrainedModel(
        splink=saved,
        record_count=len(features),
        matches_per_record=prior * (len(sample) - 1),
        timings=timings,
    )


def _has_pairs(features: pl.DataFrame, block: tuple[str, ...]) -> bool:
    """Whether two records agree on every column of `block`.

    Checked before an EM session rather than caught after: a session that finds no pairs
    raises half-way, leaving the comparisons it held fixed out of the model.
    """
    known = features.select(block).drop_nulls()
    return known.is_duplicated().any()


def _untrainable(records: int) -> Conflict:
    return Conflict(
        Problem(
            DedupeError.MODEL_UNTRAINABLE,
            f"Model duplikat belum bisa dilatih: di antara {records} pekerja terdaftar tidak ada "
            "pasangan dengan nomor HP, tanggal lahir dan kelurahan, atau nama dan tanggal lahir "
            "yang sama.",
            f"The duplicate model cannot be trained yet: among {records} registered workers no "
            "two share a phone number, a birth date and village, or a name and birth date.",
        )
    )


def _estimate_prior(db_api: Any, sample: pl.DataFrame, trained: dict[str, Any]) -> float:
    """The probability that two random records match, by EM on that one parameter.

    With m and u fixed, the expected number of matches is the sum of the pairs' match
    probabilities; pairs outside the prediction blocks contribute next to nothing, so only the
    blocked pairs are scored. The estimate does not depend on the sample size: a uniform sample
    of records keeps the same share of matching pairs.
    """
    start_prior = 1e-4
    linker = Linker(
        _register(db_api, sample, "prior_sample"),
        {**trained, "probability_two_random_records_match": start_prior},
        log_level=None,
    )
    weights = _to_polars(linker.inference.predict(warning_mode="never"))["match_weight"]
    # Each pair's evidence without the prior: log2 of its Bayes factor.
    evidence = weights - math.log2(start_prior / (1 - start_prior))
    bayes = 2.0**evidence
    total_pairs = len(sample) * (len(sample) - 1) / 2
    prior = start_prior
    for _ in range(100):
        odds = prior / (1 - prior) * bayes
        updated = (odds / (1 + odds)).sum() / total_pairs
        if abs(updated - prior) <= 1e-4 * prior:
            return updated
        prior = updated
    return prior


def _prior_for_dedupe(model: TrainedModel, n: int) -> float:
    return min(model.matches_per_record / max(n - 1, 1), 0.5)


def _prior_for_link(model: TrainedModel, registry_size: int) -> float:
    # A dedupe of N records with D duplicate pairs has prior 2D/N²; an upload whose rows each
    # match one of N registry records with the same probability D/N has prior D/N².
    return min(model.matches_per_record / 2 / max(registry_size, 1), 0.5)


_PAIR_COLUMNS = ("unique_id_l", "unique_id_r", "match_weight", "match_probability")


def _pairs(predictions: Any) -> pl.DataFrame:
    frame = _to_polars(predictions)
    # gamma_*: the level each comparison found; mw_*: the weight it added (for the officer).
    parts = [c for c in frame.columns if c.startswith(("gamma_", "mw_"))]
    return frame.select(*_PAIR_COLUMNS, *parts)


def score_registry(
    registry: pl.DataFrame,
    model: TrainedModel,
    *,
    threshold: float,
    limits: Limits | None = None,
) -> pl.DataFrame:
    """Probable duplicate pairs within the registry: unique_id_l < unique_id_r, gamma_*, mw_*."""
    limits = limits or Limits()
    _quiet()
    features = person_features(registry)
    with _db_api(limits) as db_api:
        linker = Linker(
            _register(db_api, features, "registry"),
            model.splink_settings(
                prior=_prior_for_dedupe(model, len(features)),
                dialect=db_api.sql_dialect.sql_dialect_str,
            ),
            log_level=None,
        )
        predictions = linker.inference.predict(
            threshold_match_probability=threshold, warning_mode="never"
        )
        return _pairs(predictions)


def score_candidates(
    candidates: pl.DataFrame,
    registry: pl.DataFrame,
    model: TrainedModel,
    *,
    threshold: float,
    limits: Limits | None = None,
) -> pl.DataFrame:
    """Pairs (candidate, registry record) above `threshold`.

    `unique_id_l` is the candidate's id, `unique_id_r` the registry record's; ids may overlap
    between the two frames. Candidates are not compared with each other.
    """
    limits = limits or Limits()
    _quiet()
    left, everyone = person_features(candidates), person_features(registry)
    # Only registry records sharing a block with some candidate can be paired: handing Splink
    # those few thousand instead of a million saves most of the work. The prior still
    # reflects the whole registry.
    right = _sharing_a_block(everyone, left)
    with _db_api(limits) as db_api:
        left_df = _register(db_api, left, "candidates")
        right_df = _register(db_api, right, "registry")
        linker = Linker(
            right_df,
            model.splink_settings(
                prior=_prior_for_link(model, len(everyone)),
                dialect=db_api.sql_dialect.sql_dialect_str,
            ),
            log_level=None,
        )
        predictions = linker.inference.predict_between(
            left_df, right_df, threshold_match_probability=threshold, warning_mode="never"
        )
        return _pairs(predictions)


def _sharing_a_block(records: pl.DataFrame, candidates: pl.DataFrame) -> pl.DataFrame:
    reachable = [
        records.join(candidates.select(block).drop_nulls().unique(), on=list(block), how="semi")
        for block in PREDICTION_BLOCKS
    ]
    return pl.concat(reachable).unique("unique_id")
