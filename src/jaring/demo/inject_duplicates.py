"""Duplicate people injected into a synthetic list, with the truth recorded.

The same person turns up twice when two lists (RT head, health post, fire service) both carry
them, typed by different hands: the name mistyped or in another order, a title added, the birth
date mistyped or with day and month swapped, the NIK mistyped or left out, sometimes another
village of the same district. `inject_duplicates` adds such copies and returns, next to the
frame, the truth: which record duplicates which and what was changed.

With `registry_safe=True` every copy keeps a NIK that passes the NIK rules and is unique, so the
frame can be loaded into the registry (whose NIKs are required and unique): a mistyped NIK is
then the only way a copy's NIK differs.
"""

from __future__ import annotations

import datetime as dt
import random
import string
from collections.abc import Callable

import polars as pl

from jaring.demo.synthetic import villages_under
from jaring.rules.nik import parse

TITLES = ("H.", "Hj.", "Drs.", "Ir.")
DEGREES = (", S.Pd", ", S.E.", ", A.Md", ", S.H.")


def _name_typo(rng: random.Random, name: str) -> str:
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    i = rng.choice(letters)
    kind = rng.randrange(4)
    if kind == 0:  # substitution
        return name[:i] + rng.choice(string.ascii_lowercase) + name[i + 1 :]
    if kind == 1:  # deletion
        return name[:i] + name[i + 1 :]
    if kind == 2:  # insertion (a doubled letter, the commonest slip)
        return name[:i] + name[i] + name[i:]
    j = min(i + 1, len(name) - 1)  # transposition
    return name[:i] + name[j] + name[i] + name[j + 1 :]


def _swap_order(rng: random.Random, name: str) -> str | None:
    parts = name.split()
    if len(parts) < 2:
        return None
    rest = parts[1:]
    rng.shuffle(rest)
    return " ".join([*rest, parts[0]])


def _with_title(rng: random.Random, name: str) -> str:
    if rng.random() < 0.5:
        return f"{rng.choice(TITLES)} {name}"
    return name + rng.choice(DEGREES)


def _wrong_date(rng: random.Random, born: dt.date, today: dt.date) -> tuple[dt.date, str] | None:
    kind = rng.randrange(3)
    try:
        if kind == 0:
            if born.day > 12 or born.day == born.month:
                return None
            return dt.date(born.year, born.day, born.month), "date_day_month_swapped"
        if kind == 1:
            day = born.day + rng.choice((-10, -1, 1, 10))
            return born.replace(day=day), "date_day_mistyped"
        year = born.year + rng.choice((-10, -1, 1, 10))
        wrong = born.replace(year=year)
        return (wrong, "date_year_mistyped") if wrong <= today else None
    except ValueError:
        return None


def _mistyped_nik(rng: random.Random, nik: str) -> str:
    digits = list(nik)
    if rng.random() < 0.7:
        i = rng.randrange(16)
        digits[i] = rng.choice([d for d in string.digits if d != digits[i]])
    else:
        i = rng.randrange(15)
        if digits[i] == digits[i + 1]:
            digits[i + 1] = str((int(digits[i + 1]) + 1) % 10)
        else:
            digits[i], digits[i + 1] = digits[i + 1], digits[i]
    return "".join(digits)


def _unused_mistyping(rng: random.Random, nik: str, taken: set[str]) -> str:
    # A slip that lands on another person's NIK is the exact check's business, not ours.
    while (typed := _mistyped_nik(rng, nik)) in taken:
        pass
    return typed


def _valid_unique(rng: random.Random, nik: str, taken: set[str], today: dt.date) -> str | None:
    for _ in range(30):
        typed = _mistyped_nik(rng, nik)
        if typed not in taken and parse(typed, today=today).valid:
            return typed
    return None


def inject_duplicates(
    people: pl.DataFrame,
    *,
    rate: float = 0.2,
    seed: int = 0,
    registry_safe: bool = False,
    today: dt.date | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """`people` plus about `rate` × len(people) copies, and the truth.

    The returned frame has the columns of `people` plus `record_id` (0.. for the originals, then
    the copies). The truth has one row per copy: `record_id`, `original_id` (the record it
    duplicates) and `errors` (what was changed, e.g. ["name_typo", "nik_missing"]).
    """
    today = today or dt.date.today()
    rng = random.Random(seed)
    n = len(people)
    originals = people.with_row_index("record_id").with_columns(pl.col("record_id").cast(pl.Int64))
    rows = originals.sample(n=int(n * rate), seed=seed, shuffle=True).to_dicts()
    taken = set(people["nik"].drop_nulls().to_list())
    copies, truth = [], []

    name_changes: list[tuple[float, str, Callable[[str], str | None]]] = [
        (0.35, "name_typo", lambda s: _name_typo(rng, s)),
        (0.15, "name_swapped", lambda s: _swap_order(rng, s)),
        (0.10, "name_title", lambda s: _with_title(rng, s)),
        (0.10, "name_upper_case", str.upper),
    ]
    for row in rows:
        copy = dict(row)
        errors: list[str] = []
        for p, label, change in name_changes:
            if rng.random() < p:
                changed = change(copy["full_name"])
                if changed and changed != copy["full_name"]:
                    copy["full_name"] = changed
                    errors.append(label)
        if rng.random() < 0.2:
            wrong = _wrong_date(rng, copy["birth_date"], today)
            if wrong:
                copy["birth_date"], label = wrong
                errors.append(label)
        if rng.random() < 0.1:
            neighbours = [
                v for v in villages_under(copy["village_code"][:8]) if v != row["village_code"]
            ]
            if neighbours:
                copy["village_code"] = rng.choice(neighbours)
                errors.append("village_other_in_district")
        roll = rng.random()
        if roll < 0.3:
            copy["phone"] = ""
            errors.append("phone_missing")
        elif roll < 0.6:
            copy["phone"] = "08" + "".join(rng.choices(string.digits, k=10))
            errors.append("phone_other")
        roll = rng.random()
        if registry_safe:
            typed = _valid_unique(rng, copy["nik"], taken, today)
            if typed is None:
                continue  # no valid unused mistyping of this NIK: leave the person single
            copy["nik"] = typed
            errors.append("nik_mistyped")
        elif roll < 0.45:
            copy["nik"] = _unused_mistyping(rng, copy["nik"], taken)
            errors.append("nik_mistyped")
        elif roll < 0.70:
            copy["nik"] = None
            errors.append("nik_missing")
        if copy["nik"]:
            taken.add(copy["nik"])
        copy["record_id"] = n + len(copies)
        copies.append(copy)
        truth.append(
            {"record_id": copy["record_id"], "original_id": row["record_id"], "errors": errors}
        )

    frame = pl.concat([originals, pl.DataFrame(copies, schema=originals.schema)])
    truth_frame = pl.DataFrame(
        truth,
        schema={"record_id": pl.Int64, "original_id": pl.Int64, "errors": pl.List(pl.String)},
    )
    return frame, truth_frame


def true_pairs(truth: pl.DataFrame) -> set[tuple[int, int]]:
    """Every pair of records that are the same person, as (lower id, higher id)."""
    groups: dict[int, list[int]] = {}
    for record_id, original_id in truth.select("record_id", "original_id").iter_rows():
        groups.setdefault(original_id, [original_id]).append(record_id)
    return {
        (min(a, b), max(a, b))
        for members in groups.values()
        for i, a in enumerate(members)
        for b in members[i + 1 :]
    }
