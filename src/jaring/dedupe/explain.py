"""What agreed and what did not, for the officer: one entry per comparison of the model.

Stored on each pair as JSON: [{comparison, gamma, label, agreement, weight}], where `label` is
the level the comparison found (in English, as in the model), `agreement` one of agree /
partial / disagree / unknown, and `weight` the log2 Bayes factor it added.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from django.utils.translation import gettext_lazy as _

from jaring.dedupe.linkage import MOVED, NEXT_NIK, RELATIVE, TrainedModel

COMPARISON_NAMES = {
    "name": _("Name"),
    "birth_date": _("Birth date (field and NIK)"),
    "place": _("Village and NIK region"),
    "nik": _("NIK serial"),
    "household": _("Phone and address"),
    "phone": _("Phone"),
    "sex": _("Sex"),
}

LEVEL_LABELS = {
    "same name": _("same name"),
    "same names, other order": _("same names, other order"),
    "one name within the other": _("one name within the other (a name left out or added)"),
    "a single name within the other": _(
        "a single name within the other (e.g. Muhammad in Muhammad Rizki): shared by many"
    ),
    "a letter or two apart": _("names a letter or two apart (a twin, or a typo)"),
    "one small typo": _("one small typo"),
    "similar": _("similar"),
    "different": _("different"),
    "unknown": _("unknown"),
    "same birth date, in the field and the NIK": _("same birth date, in the field and the NIK"),
    "same placeholder birth date (1 Jan, 1 Jul, 31 Dec)": _(
        "same placeholder birth date (1 Jan, 1 Jul, 31 Dec): shared by many"
    ),
    "same birth date, other sex in the NIK": _(
        "same birth date; the NIKs say one is a man, the other a woman"
    ),
    "same birth date, NIK part differs": _("same birth date, NIK part differs"),
    "same NIK birth date, field differs": _("same NIK birth date, field differs"),
    "one typo or day and month swapped": _("one typo or day and month swapped"),
    "same village": _("same village"),
    "same district": _("same district"),
    # Model v2's level (pairs it scored keep it).
    "NIK region one typo apart": _("NIK region one typo apart"),
    "same NIK serial": _("same NIK serial"),
    NEXT_NIK: _(
        "the next NIK of the same day and district, under another name: twins or neighbours"
    ),
    "neighbouring NIK serials": _(
        "neighbouring NIK serials: registered one after the other, e.g. born the same day"
    ),
    "NIK serial one typo apart": _("NIK serial one typo apart"),
    RELATIVE: _("same phone or address, other name: possibly a relative"),
    "same phone number and address": _("same phone number and address"),
    "same phone number": _("same phone number"),
    "same address": _("same address"),
    MOVED: _("another phone and address, in another village: moved, or someone else"),
    "same sex": _("same sex"),
}


def _agreement(gamma: pl.Expr, top: int) -> pl.Expr:
    # A level between full agreement and "else" is partial, whichever way its weight points
    # (a shared address under another name is partial, and counts against).
    return (
        pl.when(gamma < 0)
        .then(pl.lit("unknown"))
        .when(gamma == top)
        .then(pl.lit("agree"))
        .when(gamma == 0)
        .then(pl.lit("disagree"))
        .otherwise(pl.lit("partial"))
    )


def explanation_json(model: TrainedModel) -> pl.Expr:
    """A JSON text column built from a prediction's gamma_* and mw_* columns."""
    parts = []
    for name, levels in model.comparison_levels().items():
        gamma, weight = pl.col(f"gamma_{name}"), pl.col(f"mw_{name}").fill_null(0)
        labels = {lv["gamma"]: lv["label"] for lv in levels}
        label = gamma.replace_strict(labels, default="unknown", return_dtype=pl.String)
        parts.append(
            pl.concat_str(
                pl.lit(f'{{"comparison": "{name}", "gamma": '),
                gamma.cast(pl.String),
                pl.lit(', "label": "'),
                label,
                pl.lit('", "agreement": "'),
                _agreement(gamma, max(labels, default=0)),
                pl.lit('", "weight": '),
                weight.round(2).cast(pl.String),
                pl.lit("}"),
            )
        )
    return pl.concat_str([pl.lit("["), pl.concat_str(parts, separator=", "), pl.lit("]")])


def relatives(explanation: list[dict[str, Any]]) -> bool:
    """Whether the two share a phone or address under other names (a household)."""
    return any(e.get("label") == RELATIVE for e in explanation)


# What a weight (log2 of the Bayes factor) means, in words: from this many bits up.
STRENGTHS = (
    (8, _("strongly for the same person")),
    (2, _("for the same person")),
    (-2, _("says little")),
    (-8, _("against: different people")),
    (float("-inf"), _("strongly against: different people")),
)


def strength(weight: float) -> str:
    return str(next(text for bits, text in STRENGTHS if weight >= bits))


def describe(entry: dict[str, Any]) -> dict[str, Any]:
    """An explanation entry with its comparison, level and weight in the user's language."""
    return {
        **entry,
        "comparison_text": str(COMPARISON_NAMES.get(entry["comparison"], entry["comparison"])),
        "label_text": str(LEVEL_LABELS.get(entry["label"], entry["label"])),
        "strength_text": strength(entry.get("weight") or 0.0),
    }
