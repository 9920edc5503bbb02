"""Letter numbers: one run per city and year, the format as data (compliance/data/letters.toml).

`next_number` takes the city's year row under a row lock (SELECT … FOR UPDATE on PostgreSQL;
SQLite's IMMEDIATE transactions write one at a time), so two officers taking a step at once get
consecutive numbers; the number is taken in the step's own transaction, so a refused step gives
its number back and the run has no gaps. The row is created by INSERT … ON CONFLICT DO NOTHING
(a unique city and year), so two first letters of a year cannot make two runs.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from django.db import transaction

from jaring.compliance.models import LetterSequence

_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


@cache
def formats() -> dict:
    text = resources.files("jaring.compliance").joinpath("data/letters.toml").read_text("utf-8")
    return tomllib.loads(text)


def number_format(city: str) -> str:
    data = formats()
    return data.get("cities", {}).get(city, data["default"])


def render(city: str, year: int, month: int, number: int) -> str:
    return number_format(city).format(number=number, year=year, month=_ROMAN[month - 1], city=city)


def next_number(city: str, year: int) -> int:
    """The city's next letter number of `year`; call inside the transaction that uses it."""
    assert transaction.get_connection().in_atomic_block, "take the number in the step's transaction"
    LetterSequence.objects.bulk_create(
        [LetterSequence(regency_code=city, year=year, last=0)], ignore_conflicts=True
    )
    run = LetterSequence.objects.select_for_update().get(regency_code=city, year=year)
    run.last += 1
    run.save(update_fields=["last"])
    return run.last
