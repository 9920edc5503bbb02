"""Request values every area's API reads the same way."""

from __future__ import annotations

import datetime as dt

from jaring.core.errors import CoreError, Problem, ValidationFailed
from jaring.rules.tables import parse_month


def month_param(text: str, field: str = "month") -> dt.date:
    """The first day of the month `text` names (YYYY-MM), or 422 naming the field."""
    month = parse_month(text)
    if month is None:
        raise ValidationFailed(
            Problem(
                CoreError.MONTH_INVALID,
                "Bulan ditulis YYYY-MM, mis. 2026-05.",
                "Write the month as YYYY-MM, e.g. 2026-05.",
                field=field,
            )
        )
    return month
