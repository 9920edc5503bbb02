"""What agreed and what did not, for the officer: one entry per comparison of the model."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from jaring.dedupe.linkage import TrainedModel

COMPARISON_NAMES = {
    "name": _("Name"),
    "birth_date": _("Birth date (field and NIK)"),
    "place": _("Village and NIK region"),
    "nik": _("NIK serial"),
    "phone": _("Phone"),
    "sex": _("Sex"),
}

LEVEL_LABELS = {
    "same name": _("same name"),
    "same names, other order": _("same names, other order"),
    "one small typo": _("one small typo"),
    "similar": _("similar"),
    "different": _("different"),
    "unknown": _("unknown"),
    "same birth date, in the field and the NIK": _("same birth date, in the field and the NIK"),
    "same birth date, NIK part differs": _("same birth date, NIK part differs"),
    "same NIK birth date, field differs": _("same NIK birth date, field differs"),
    "one typo or day and month swapped": _("one typo or day and month swapped"),
    "same village": _("same village"),
    "same district": _("same district"),
    "NIK region one typo apart": _("NIK region one typo apart"),
    "same NIK serial": _("same NIK serial"),
    "NIK serial one typo apart": _("NIK serial one typo apart"),
    "same phone number": _("same phone number"),
    "same sex": _("same sex"),
}


def _agreement(gamma: int, top: int) -> str:
    if gamma < 0:
        return "unknown"
    if gamma == top:
        return "agree"
    return "disagree" if gamma == 0 else "partial"


def explanation(pair: dict[str, Any], model: TrainedModel) -> list[dict[str, Any]]:
    """[{comparison, gamma, label, agreement, weight}] for a predicted pair's row."""
    out = []
    for name, levels in model.comparison_levels().items():
        gamma = pair.get(f"gamma_{name}")
        if gamma is None:
            continue
        top = levels[0]["gamma"] if levels else 0
        label = next((lv["label"] for lv in levels if lv["gamma"] == gamma), "unknown")
        weight = pair.get(f"mw_{name}")
        out.append(
            {
                "comparison": name,
                "gamma": int(gamma),
                "label": label,
                "agreement": _agreement(int(gamma), top),
                "weight": round(float(weight), 2) if weight is not None else 0.0,
            }
        )
    return out


def describe(entry: dict[str, Any]) -> dict[str, Any]:
    """An explanation entry with its comparison and level in the user's language."""
    return {
        **entry,
        "comparison_text": str(COMPARISON_NAMES.get(entry["comparison"], entry["comparison"])),
        "label_text": str(LEVEL_LABELS.get(entry["label"], entry["label"])),
    }
