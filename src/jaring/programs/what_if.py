"""The what-if questions of the programme page, API and CLI, with their inputs checked first.

The rules name their arguments in English ("budget harus …"); an officer typed into a field
labelled "Anggaran (Rp)", so each input is checked here and refused under that label.
"""

from __future__ import annotations

import re

from jaring.core.errors import Problem, ValidationFailed
from jaring.programs import budget
from jaring.programs.errors import ProgrammeError
from jaring.programs.models import Programme

# Field → (Indonesian label, English label), as the programme page labels them.
LABELS = {
    "budget": ("Anggaran (Rp)", "Budget (Rp)"),
    "workers": ("Jumlah pekerja", "Workers"),
    "months": ("Bulan", "Months"),
    "base": ("Dasar upah (Rp)", "Income base (Rp)"),
}
# What people type into a rupiah or count field: "Rp80.539.200", "80,539,200", "1 000".
_SEPARATORS = re.compile(r"^\s*(?:rp\.?)?\s*|[\s.,]", re.IGNORECASE)


def whole(field: str, raw: object) -> int | None:
    """A positive whole number from a form, query or argument; None when not given."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    label_id, label_en = LABELS[field]
    text = _SEPARATORS.sub("", raw) if isinstance(raw, str) else raw
    try:
        value = int(text)
    except (TypeError, ValueError):
        raise ValidationFailed(
            Problem(
                ProgrammeError.WHAT_IF_NOT_NUMBER,
                f"{label_id} harus berupa bilangan bulat, bukan '{raw}'.",
                f"{label_en} must be a whole number, not '{raw}'.",
                field=field,
            )
        ) from None
    if value <= 0:
        raise ValidationFailed(
            Problem(
                ProgrammeError.WHAT_IF_NOT_POSITIVE,
                f"{label_id} harus lebih dari 0.",
                f"{label_en} must be more than 0.",
                field=field,
            )
        )
    return value


def answer(
    programme: Programme,
    *,
    budget_rp: object = None,
    workers: object = None,
    months: object = None,
    category: str = "",
    base: object = None,
) -> dict[str, object]:
    """`capacity` for a budget, `cost` for a number of workers, or both; at least one asked."""
    problems: list[Problem] = []
    values: dict[str, int | None] = {}
    for field, raw in (
        ("budget", budget_rp),
        ("workers", workers),
        ("months", months),
        ("base", base),
    ):
        try:
            values[field] = whole(field, raw)
        except ValidationFailed as exc:
            problems += exc.problems
    if not problems and values["budget"] is None and values["workers"] is None:
        problems.append(
            Problem(
                ProgrammeError.WHAT_IF_NOTHING_ASKED,
                "Isi Anggaran (Rp) atau Jumlah pekerja.",
                "Give a Budget (Rp) or a number of Workers.",
                field="budget",
            )
        )
    if not problems and values["months"] is None and not category:
        problems.append(
            Problem(
                ProgrammeError.WHAT_IF_MONTHS_REQUIRED,
                "Isi Bulan, atau pilih Kategori agar lama perlindungannya yang dipakai.",
                "Give the Months, or choose a Category to use its cover length.",
                field="months",
            )
        )
    if problems:
        raise ValidationFailed(*problems)
    terms = {"months": values["months"], "category_code": category or None, "base": values["base"]}
    out: dict[str, object] = {}
    if values["budget"] is not None:
        out["capacity"] = budget.what_if_capacity(programme, budget=values["budget"], **terms)
    if values["workers"] is not None:
        out["cost"] = budget.what_if_cost(programme, workers=values["workers"], **terms)
    return out
