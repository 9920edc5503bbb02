"""Argument types the management commands share: each names what it expected on a bad value."""

from __future__ import annotations

import argparse
import datetime as dt
import re

from jaring.rules.tables import parse_month

_RUPIAH = re.compile(r"^(?:Rp\.?\s*)?(\d{1,3}(?:[._,]\d{3})+|\d+)$", re.IGNORECASE)


def rupiah_arg(text: str) -> int:
    match = _RUPIAH.match(text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"not a rupiah amount: {text!r}")
    return int(re.sub(r"[._,]", "", match[1]))


def count_arg(text: str) -> int:
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}")
    return int(text)


def month_arg(text: str) -> dt.date:
    month = parse_month(text)
    if month is None:
        raise argparse.ArgumentTypeError(f"not a month YYYY-MM: {text!r}")
    return month


def date_arg(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None
