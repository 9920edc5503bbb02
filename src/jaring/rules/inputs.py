"""Checks on what a caller passes to the calculators, refused with the argument's name."""

from __future__ import annotations

from collections.abc import Iterable

from jaring.rules.errors import RuleCode, RuleError
from jaring.rules.messages import Reason

REASONS = {
    "choice": Reason(
        RuleCode.INPUT_CHOICE,
        "{field}: '{value}' tidak dikenal; pilihan: {allowed}.",
        "{field}: '{value}' is not known; choose from: {allowed}.",
    ),
    "positive": Reason(
        RuleCode.INPUT_NOT_POSITIVE,
        "{field} harus bilangan bulat lebih dari 0 (rupiah/bulan/orang), bukan {value}.",
        "{field} must be a whole number greater than 0 (rupiah/months/people), not {value}.",
    ),
    "non_negative": Reason(
        RuleCode.INPUT_NEGATIVE,
        "{field} harus bilangan bulat 0 atau lebih, bukan {value}.",
        "{field} must be a whole number, 0 or more, not {value}.",
    ),
    "one_of": Reason(
        RuleCode.INPUT_ONE_OF,
        "Isi tepat satu dari {fields}.",
        "Give exactly one of {fields}.",
    ),
    "empty": Reason(
        RuleCode.INPUT_EMPTY,
        "{field} tidak boleh kosong.",
        "{field} cannot be empty.",
    ),
    "percent": Reason(
        RuleCode.INPUT_PERCENT,
        "{field} harus persentase antara 0 dan 100, bukan {value}.",
        "{field} must be a percentage between 0 and 100, not {value}.",
    ),
}


def refuse(key: str, *, field: str, **params: object) -> RuleError:
    return RuleError(REASONS[key], field=field, **params)


def choice(field: str, value: str, allowed: Iterable[str]) -> str:
    allowed = tuple(allowed)
    if value not in allowed:
        raise refuse("choice", field=field, value=value, allowed=", ".join(allowed))
    return value


def choices(field: str, values: Iterable[str], allowed: Iterable[str]) -> tuple[str, ...]:
    """Distinct values in the order of `allowed`; at least one."""
    allowed = tuple(allowed)
    picked = {choice(field, v, allowed) for v in values}
    if not picked:
        raise refuse("empty", field=field)
    return tuple(a for a in allowed if a in picked)


def positive(field: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise refuse("positive", field=field, value=value)
    return value


def non_negative(field: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise refuse("non_negative", field=field, value=value)
    return value
