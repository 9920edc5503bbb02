"""Probabilistic record linkage with Splink: the model, its training, and scoring (no Django).

Evidence is grouped by the fact it speaks about, because a NIK repeats facts the other fields
also carry (its birth-date part encodes the birth date and sex, its region part the district
where the person was registered). Counting the NIK's birth-date part and the birth-date field
as two independent agreements would double the weight of "born the same day" and link different
people born the same day in the same district. So (docs/decisions/0005-dedupe-model.md):

- name, in its canonical form (`names.canonical`: titles, abbreviations and spellings made
  one): same, same names in another order, one within the other (a name left out or added; a
  single name within a longer one apart, as "Muhammad" is within many), a letter or two apart,
  else — "else" counts strongly against;
- birth date: the field and the NIK's birth-date part both agree (on a placeholder date such as
  1 January, a level of its own: many strangers share it), the field agrees and the NIK part
  but for its sex (a man and a woman born the same day), only the field agrees (a mistyped
  NIK), only the NIK part agrees (a mistyped field), one typo or day and month swapped, else;
- place: same village, same district (of the village or of the NIK's region part), else (the
  districts of one city are all one digit apart in the NIK: "one typo apart" told nothing);
- NIK serial: the NIK of the next person registered on that day in that district (serials
  0001 / 0002, or the same day with the other sex) under another name (not one name within the
  other: a name left out is the same person) — twins and neighbours, counted strongly against;
  equal; neighbouring; one typo apart; else — the serial is the only part of a NIK that no other
  field carries;
- household: the same phone or address under another name is a relative (counted against),
  the same phone and address, one of them, neither but in another village (a move, which the
  place already counts), else;
- sex.

Parameters: m (how one person's records differ) comes from labelled generated data and is the
same for every city; u (how strangers agree) is estimated on the registry at hand by random
sampling; the prior (duplicates per record) from the registry too, within bounds. A registry
too small to estimate u on uses the default model shipped in `data/default_model.json`
(`bench/dedupe_default_model.py` builds it). Two levels whose evidence the others already
count (a relative; neighbouring serials) have a fixed Bayes factor, whatever the data says.

One record is one person: when a record pairs with two records that are the next NIKs of one day
under other names (twins), only its better pair is kept (`_one_of_twins`): a copy of one twin
looks like the other twin too, a letter apart.
"""

from __future__ import annotations

import copy
import json
import logging
import math
import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import polars as pl
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on

from jaring.dedupe.features import person_features

logger = logging.getLogger(__name__)

# The comparisons' shape: a saved model of another version is not reused (its levels differ).
MODEL_VERSION = 3

# The smallest population a prior is spread over (see `prior`).
MIN_POPULATION = 10_000

# Where precision and recall balance on registry-like populations, for the full run, the import
# and the first import alike (bench/dedupe_quality.py, bench/RESULTS.md).
DEFAULT_THRESHOLD = 0.75

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

# Bounds on some levels' Bayes factors (low, high), whatever the data says. A shared household
# or a neighbouring serial explains the rest of a pair's agreement (same address, same birth
# date and district) without the two being one person, and the name comparison already counts
# their different names: so these levels have a fixed factor below one. Two NIKs that differ
# only in the serial (by at most 2) or in the sex are twins or people registered one after the
# other on one day: with other names, that is decisive (twins share a household and names a
# letter apart, which would otherwise count for). A different name counts
# strongly against, and names a letter apart (Rina / Rini: twins as often as a typo) or serials
# a digit apart (0003 / 0009: small counters are all a digit apart) count little for.
NEXT_NIK = "next NIK of the same day and district, other name"
RELATIVE = "same phone or address, other name"
MOVED = "another phone and address, in another village"
BAYES_FACTOR_BOUNDS = {
    ("nik", NEXT_NIK): (2.0**-40, 2.0**-40),
    ("household", RELATIVE): (2.0**-4, 2.0**-4),
    # A move changes the address with the village, and the place comparison counts the move
    # already; what the household adds is the phone, changed or left out in about four of ten
    # records of people who moved (2⁻¹·³). Counted as two independent facts, a move weighed
    # 2⁻⁸ and most people who moved were missed.
    ("household", MOVED): (2.0**-1.5, 2.0**-1.5),
    ("nik", "neighbouring NIK serials"): (2.0**-1, 2.0**-1),
    ("name", "different"): (0.0, 2.0**-10),
    ("name", "a letter or two apart"): (0.0, 2.0**3),
    ("nik", "NIK serial one typo apart"): (0.0, 2.0**2),
    # Registry NIKs are unique, so a copy's NIK always differs somewhere; a different serial
    # (an old KTP) is no evidence for.
    ("nik", "different"): (0.0, 1.0),
    # One household sharing a name (a father and his namesake son) is told apart by the birth
    # date: neither may outweigh the other.
    ("birth_date", "different"): (0.0, 2.0**-12),
    # Few strangers born the same day have a mistyped NIK date: no more than full agreement.
    ("birth_date", "same birth date, NIK part differs"): (0.0, 2.0**14),
    ("household", "same phone number and address"): (0.0, 2.0**12),
    ("household", "same phone number"): (0.0, 2.0**12),
    ("household", "same address"): (0.0, 2.0**12),
}
# No level is certain either way: m at least 2⁻¹⁰ (one record in a thousand of one person may
# differ in any way), u at least 10⁻⁶.
_M_FLOOR, _U_FLOOR = 2.0**-10, 1e-6


def _one_within_the_other() -> cll.ComparisonLevel:
    return cll.ArraySubsetLevel("name_tokens")


def _similar_names() -> list[cll.ComparisonLevel]:
    """The name levels short of "different", best first."""
    return [
        cll.ExactMatchLevel("name").configure(label_for_charts="same name"),
        cll.ExactMatchLevel("name_sorted").configure(label_for_charts="same names, other order"),
        cll.And(
            _one_within_the_other(), cll.CustomLevel("least(name_size_l, name_size_r) >= 2")
        ).configure(label_for_charts="one name within the other"),
        _one_within_the_other().configure(label_for_charts="a single name within the other"),
        cll.Or(
            cll.DamerauLevenshteinLevel("name", 2),
            cll.DamerauLevenshteinLevel("name_sorted", 2),
            cll.JaroWinklerLevel("name", 0.92),
            cll.JaroWinklerLevel("name_sorted", 0.92),
        ).configure(label_for_charts="a letter or two apart"),
    ]


def _name_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="name",
        comparison_description="Name",
        comparison_levels=[
            cll.NullLevel("name"),
            *_similar_names(),
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
                f"{field_equal} and ({nik_equal} or {nik_unknown}) and not placeholder_date_l",
                label_for_charts="same birth date, in the field and the NIK",
            ),
            cll.CustomLevel(
                f"{field_equal} and ({nik_equal} or {nik_unknown})",
                label_for_charts="same placeholder birth date (1 Jan, 1 Jul, 31 Dec)",
            ),
            # The NIK's day carries the sex (a woman's plus 40): two people born the same day
            # whose NIKs differ only there are a man and a woman, which the sex counts.
            cll.CustomLevel(
                f"{field_equal} and nik_birth_l = nik_birth_r",
                label_for_charts="same birth date, other sex in the NIK",
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
            cll.ElseLevel().configure(label_for_charts="different"),
        ],
    )


# Serials count per district, day and sex: a twin of the other sex may have any.
_NEXT_NIK_SQL = (
    "nik_region_l = nik_region_r and nik_birth_l = nik_birth_r"
    " and (abs(serial_number_l - serial_number_r) <= 2 or nik_dob_l <> nik_dob_r)"
)


def _serial_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="nik",
        comparison_description="NIK serial",
        comparison_levels=[
            cll.NullLevel("nik_serial"),
            cll.And(
                cll.CustomLevel(_NEXT_NIK_SQL),
                cll.Not(cll.Or(cll.ExactMatchLevel("name_sorted"), _one_within_the_other())),
            ).configure(label_for_charts=NEXT_NIK),
            cll.ExactMatchLevel("nik_serial").configure(label_for_charts="same NIK serial"),
            cll.CustomLevel(
                "abs(serial_number_l - serial_number_r) <= 2",
                label_for_charts="neighbouring NIK serials",
            ),
            cll.DamerauLevenshteinLevel("nik_serial", 1).configure(
                label_for_charts="NIK serial one typo apart"
            ),
            cll.ElseLevel().configure(label_for_charts="different"),
        ],
    )


def _household_comparison() -> cl.CustomComparison:
    phone = "phone_l = phone_r"
    address = "address_key_l = address_key_r"
    return cl.CustomComparison(
        output_column_name="household",
        comparison_description="Phone and address",
        comparison_levels=[
            cll.CustomLevel(
                "(phone_l is null or phone_r is null)"
                " and (address_key_l is null or address_key_r is null)",
                label_for_charts="unknown",
            ).configure(is_null_level=True),
            cll.And(
                cll.CustomLevel(f"({phone} or {address})"), cll.Not(cll.Or(*_similar_names()))
            ).configure(label_for_charts=RELATIVE),
            cll.CustomLevel(
                f"{phone} and {address}", label_for_charts="same phone number and address"
            ),
            cll.CustomLevel(phone, label_for_charts="same phone number"),
            cll.CustomLevel(address, label_for_charts="same address"),
            cll.CustomLevel("village_code_l <> village_code_r", label_for_charts=MOVED),
            cll.ElseLevel().configure(label_for_charts="different"),
        ],
    )


def _sex_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="sex",
        comparison_description="Sex",
        comparison_levels=[
            cll.NullLevel("sex"),
            cll.ExactMatchLevel("sex").configure(label_for_charts="same sex"),
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
            _household_comparison(),
            _sex_comparison(),
        ],
        blocking_rules_to_generate_predictions=[block_on(*b) for b in PREDICTION_BLOCKS],
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=True,
    )


@dataclass(frozen=True)
class Limits:
    """Caps that keep a national-size run inside a small server's time and memory."""

    u_max_pairs: float = 5e6
    memory: str = os.environ.get("JARING_DEDUPE_MEMORY", "2GB")
    threads: int = int(os.environ.get("JARING_DEDUPE_THREADS", "2"))
    prior_sample: int = 300_000
    seed: int = 42


@dataclass
class TrainedModel:
    """A saved Splink model plus what is needed to reuse it on a registry of another size.

    `kind` is "default" (the model shipped with Jaring, estimated on generated data) or
    "registry" (u and the prior estimated on a city's registry, m from the default).
    """

    splink: dict[str, Any]
    record_count: int
    matches_per_record: float
    kind: str = "registry"
    timings: dict[str, float] = field(default_factory=dict)
    source: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": MODEL_VERSION,
            "kind": self.kind,
            "splink": self.splink,
            "record_count": self.record_count,
            "matches_per_record": self.matches_per_record,
            "timings": self.timings,
            "source": self.source,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainedModel:
        return cls(
            splink=data["splink"],
            record_count=data["record_count"],
            matches_per_record=data["matches_per_record"],
            kind=data.get("kind", "registry"),
            timings=data.get("timings", {}),
            source=data.get("source", {}),
        )

    def splink_settings(self, *, prior: float, dialect: str) -> dict[str, Any]:
        """The settings for `dialect`, with the trained m and u values.

        The saved JSON holds SQL for the dialect it was trained on (DuckDB's function names are
        not Spark's), so the comparisons are rebuilt for the backend at hand and only the
        trained values are carried over, level by level; the Bayes factors of the levels in
        BAYES_FACTOR_BOUNDS are then held within them.
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
        return _bounded(out)

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


@cache
def _default_json() -> str:
    return resources.files("jaring.dedupe").joinpath("data/default_model.json").read_text()


def default_model() -> TrainedModel:
    """The model Jaring ships: m and u estimated on generated populations with known truth."""
    return TrainedModel.from_dict(json.loads(_default_json()))


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


def _levels(comparison: dict[str, Any]) -> list[dict[str, Any]]:
    return [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]


def _normalised(saved: dict[str, Any]) -> dict[str, Any]:
    """The model with no certain level: m and u floored, m summing to one per comparison.

    This is what a model stores; the policy bounds are applied when it is used (`_bounded`),
    against the u of the registry at hand, so that a registry model built on the default's m
    starts from the measured m, not from one already bent to the default's u.
    """
    for comparison in saved["comparisons"]:
        levels = _levels(comparison)
        for level in levels:
            level["m_probability"] = max(level.get("m_probability") or 0.0, _M_FLOOR)
            level["u_probability"] = max(level.get("u_probability") or 0.0, _U_FLOOR)
        total = sum(level["m_probability"] for level in levels)
        for level in levels:
            level["m_probability"] /= total
    return saved


def _bounded(settings: dict[str, Any]) -> dict[str, Any]:
    """`settings` with the Bayes factors of the levels in BAYES_FACTOR_BOUNDS held within them."""
    for comparison in settings["comparisons"]:
        name = comparison["output_column_name"]
        for level in _levels(comparison):
            bounds = BAYES_FACTOR_BOUNDS.get((name, level.get("label_for_charts")))
            if bounds is not None:
                u = level["u_probability"]
                level["m_probability"] = (
                    min(max(level["m_probability"] / u, bounds[0]), bounds[1]) * u
                )
    return settings


def estimate_default(
    people: pl.DataFrame, person_ids: pl.Series, limits: Limits | None = None
) -> TrainedModel:
    """The default model from a generated population whose truth is known.

    `person_ids` gives, row by row, who each record is (records of one person share it). m is
    counted over every pair of records of one person, u by random sampling, and the prior from
    the true number of duplicate pairs.
    """
    limits = limits or Limits()
    _quiet()
    features = person_features(people).with_columns(person_ids.alias("person_id"))
    with _db_api(limits) as db_api:
        linker = Linker(_register(db_api, features, "generated"), settings(), log_level=None)
        linker.training.estimate_u_using_random_sampling(
            max_pairs=limits.u_max_pairs, seed=limits.seed
        )
        linker.training.estimate_m_from_label_column("person_id")
        saved = _normalised(linker.misc.save_model_to_json())
    sizes = features.group_by("person_id").len()["len"]
    pairs = int((sizes * (sizes - 1) // 2).sum())
    return TrainedModel(
        splink=saved,
        record_count=len(features),
        matches_per_record=2 * pairs / len(features),
        kind="default",
    )


def train(
    registry: pl.DataFrame, limits: Limits | None = None, base: TrainedModel | None = None
) -> TrainedModel:
    """The model for this registry: u and the prior estimated on it, m from `base`.

    No labels are needed. m stays the default's: how one person's records differ is a matter of
    clerks and forms, not of the city; EM on unlabelled pairs learns instead whatever the
    registry's look-alikes have in common (a family shares a phone and an address).
    """
    limits = limits or Limits()
    base = base or default_model()
    _quiet()
    features = person_features(registry)
    timings: dict[str, float] = {}
    start = time.perf_counter()
    with _db_api(limits) as db_api:
        dialect = db_api.sql_dialect.sql_dialect_str
        linker = Linker(
            _register(db_api, features, "registry"),
            base.splink_settings(prior=1e-4, dialect=dialect),
            log_level=None,
        )
        linker.training.estimate_u_using_random_sampling(
            max_pairs=limits.u_max_pairs, seed=limits.seed
        )
        timings["u"] = time.perf_counter() - start
        sampled = min(limits.u_max_pairs, len(features) * (len(features) - 1) / 2)
        saved = _normalised(_from_base(linker.misc.save_model_to_json(), base, sampled))
        sample = features.sample(min(len(features), limits.prior_sample), seed=limits.seed)
        prior = _estimate_prior(db_api, sample, _bounded(copy.deepcopy(saved)))
        timings["prior"] = time.perf_counter() - start - timings["u"]
    # A registry that is already clean says little about how many duplicates the next list
    # brings, one full of look-alikes overstates it: the estimate stays near the default's.
    matches = min(max(prior * (len(sample) - 1), base.matches_per_record / 20), 0.5)
    return TrainedModel(
        splink=saved,
        record_count=len(features),
        matches_per_record=min(matches, base.matches_per_record * 5),
        timings=timings,
        source={"m_from": base.source or "default", "u_from": f"{len(features)} records"},
    )


# How many random pairs the default model's u counts as, when it is blended with a registry's:
# a small registry's sample misses rare agreements (no two strangers share a placeholder date
# among a thousand pairs) and would make them certain evidence; a million-worker registry's
# five million pairs outweigh the default five to one.
_BASE_U_PAIRS = 1e6


def _from_base(saved: dict[str, Any], base: TrainedModel, sampled: float) -> dict[str, Any]:
    """`saved` with every level's m from `base`, and u blended with base's by pairs counted."""
    for comparison, other in zip(saved["comparisons"], base.splink["comparisons"], strict=True):
        for level, base_level in zip(
            comparison["comparison_levels"], other["comparison_levels"], strict=True
        ):
            if "m_probability" in base_level:
                level["m_probability"] = base_level["m_probability"]
            if "u_probability" in base_level:
                level["u_probability"] = (
                    (level.get("u_probability") or 0.0) * sampled
                    + base_level["u_probability"] * _BASE_U_PAIRS
                ) / (sampled + _BASE_U_PAIRS)
    return saved


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


def prior(model: TrainedModel, records: int) -> float:
    """The probability that two records drawn from `records` are one person.

    The same for a full run and for an upload: an upload checked against the registry and
    within itself is scored with the prior of the registry and the upload taken together, so
    that it finds the pairs a full run over both would find. Fewer than MIN_POPULATION records
    count as that many: a short first list is a sample of a city's people, whose duplicates are
    spread over the whole city, not packed into the sample.
    """
    return min(model.matches_per_record / max(records, MIN_POPULATION), 0.5)


_PAIR_COLUMNS = ("unique_id_l", "unique_id_r", "match_weight", "match_probability")


def _pairs(predictions: Any) -> pl.DataFrame:
    frame = _to_polars(predictions)
    # gamma_*: the level each comparison found; mw_*: the weight it added (for the officer).
    parts = [c for c in frame.columns if c.startswith(("gamma_", "mw_"))]
    return frame.select(*_PAIR_COLUMNS, *parts)


def _one_of_twins(pairs: pl.DataFrame, people: pl.DataFrame, *, both_sides: bool) -> pl.DataFrame:
    """`pairs` without a record's weaker pair when its two partners are twins.

    Twins (or neighbours: the next NIK of one day and district, under another name, see
    NEXT_NIK) are two people, so a record cannot be both of them: a copy of one twin with a
    mistyped NIK also looks like the other, a letter apart in the name. `people` holds the
    partners' features; with `both_sides`, a record may be either end of a pair (a registry
    scored within itself), else only `unique_id_l` (candidates against the registry).
    """
    ends = [pairs.select(x="unique_id_l", y="unique_id_r", w="match_weight")]
    if both_sides:
        ends.append(pairs.select(x="unique_id_r", y="unique_id_l", w="match_weight"))
    shared = pl.concat(ends).filter(pl.col("x").is_duplicated())
    if shared.is_empty():
        return pairs
    columns = ("nik_region", "nik_birth", "nik_dob", "serial_number", "name_sorted", "name_tokens")
    partners = people.select("unique_id", *columns).join(
        shared.select(unique_id="y").unique(), on="unique_id", how="semi"
    )
    both = (
        shared.join(shared, on="x", suffix="_2")
        .filter(pl.col("y") < pl.col("y_2"))
        .join(partners, left_on="y", right_on="unique_id")
        .join(partners, left_on="y_2", right_on="unique_id", suffix="_2")
    )
    common = pl.col("name_tokens").list.set_intersection(pl.col("name_tokens_2")).list.len()
    shorter = pl.min_horizontal(
        pl.col("name_tokens").list.len(), pl.col("name_tokens_2").list.len()
    )
    twins = both.filter(
        (pl.col("nik_region") == pl.col("nik_region_2"))
        & (pl.col("nik_birth") == pl.col("nik_birth_2"))
        & (
            ((pl.col("serial_number") - pl.col("serial_number_2")).abs() <= 2)
            | (pl.col("nik_dob") != pl.col("nik_dob_2"))
        )
        & (pl.col("name_sorted") != pl.col("name_sorted_2"))
        & (common < shorter)
    )
    weaker = twins.select(
        "x", y=pl.when(pl.col("w") >= pl.col("w_2")).then("y_2").otherwise("y")
    ).unique()
    drop = [weaker.select(unique_id_l="x", unique_id_r="y")]
    if both_sides:
        drop.append(weaker.select(unique_id_l="y", unique_id_r="x"))
    return pairs.join(pl.concat(drop), on=["unique_id_l", "unique_id_r"], how="anti")


def score_registry(
    registry: pl.DataFrame,
    model: TrainedModel,
    *,
    threshold: float,
    limits: Limits | None = None,
    records: int | None = None,
) -> pl.DataFrame:
    """Probable duplicate pairs within the registry: unique_id_l < unique_id_r, gamma_*, mw_*.

    `records`: how many records the prior is spread over (default: the registry's; an upload's
    rows scored among themselves pass the registry's size plus theirs, see `prior`).
    """
    limits = limits or Limits()
    _quiet()
    features = person_features(registry)
    with _db_api(limits) as db_api:
        linker = Linker(
            _register(db_api, features, "registry"),
            model.splink_settings(
                prior=prior(model, records or len(features)),
                dialect=db_api.sql_dialect.sql_dialect_str,
            ),
            log_level=None,
        )
        predictions = linker.inference.predict(
            threshold_match_probability=threshold, warning_mode="never"
        )
        return _one_of_twins(_pairs(predictions), features, both_sides=True)


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
    between the two frames. Candidates are not compared with each other. The prior is that of
    the registry and the candidates together (see `prior`).
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
                prior=prior(model, len(everyone) + len(left)),
                dialect=db_api.sql_dialect.sql_dialect_str,
            ),
            log_level=None,
        )
        predictions = linker.inference.predict_between(
            left_df, right_df, threshold_match_probability=threshold, warning_mode="never"
        )
        return _one_of_twins(_pairs(predictions), right, both_sides=False)


def one_of_twins_across(
    rows: pl.DataFrame, registry: pl.DataFrame, to_registry: pl.DataFrame, within: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """An upload's pairs against the registry and within the file, with `_one_of_twins` applied
    across the two: a row may pair with one twin in the registry and the other in the file."""
    if to_registry.is_empty() or within.is_empty():
        return to_registry, within
    # Workers' ids below zero, so that they share one id space with the rows'.
    as_worker = -pl.col("unique_id_r") - 1
    workers = registry.join(
        to_registry.select(unique_id="unique_id_r").unique(), on="unique_id", how="semi"
    ).with_columns(unique_id=-pl.col("unique_id") - 1)
    people = person_features(pl.concat([rows, workers], how="vertical_relaxed"))
    both = pl.concat([within, to_registry.with_columns(unique_id_r=as_worker)])
    kept = _one_of_twins(both, people, both_sides=True)
    return (
        kept.filter(pl.col("unique_id_r") < 0).with_columns(unique_id_r=as_worker),
        kept.filter(pl.col("unique_id_r") >= 0),
    )


def _sharing_a_block(records: pl.DataFrame, candidates: pl.DataFrame) -> pl.DataFrame:
    reachable = [
        records.join(candidates.select(block).drop_nulls().unique(), on=list(block), how="semi")
        for block in PREDICTION_BLOCKS
    ]
    return pl.concat(reachable).unique("unique_id")
