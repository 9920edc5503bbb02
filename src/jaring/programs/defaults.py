"""Programme defaults read from `data/defaults.toml`: data an officer may change, not code."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources


@cache
def defaults() -> dict:
    text = resources.files("jaring.programs").joinpath("data/defaults.toml").read_text("utf-8")
    return tomllib.loads(text)


def age_limits() -> tuple[int, int]:
    ages = defaults()["age_at_enrolment"]
    return ages["min_age"], ages["max_age"]


def sector_of(category_code: str) -> str:
    return "transport" if category_code in defaults()["sectors"]["transport"] else "other"
