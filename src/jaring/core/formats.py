"""Numbers, money and percentages as an officer reads them, in one place for every page, PDF,
spreadsheet, message and command: Rp1.428.000 and 37,5 % in Indonesian, Rp1,428,000 and
37.5 % in English.

Pure functions of the value and the language ("id" or "en"; None: the active language), so a PDF
or a refusal written in both languages at once asks for each one by name. The templates' filters
(`web/templatetags/jaring_ui.py`: rupiah, grouped, number, percent) call these.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# (thousands separator, decimal mark)
_MARKS = {"id": (".", ","), "en": (",", ".")}
MISSING = "–"


def _language(lang: str | None) -> str:
    if lang is None:
        from django.utils.translation import get_language

        lang = get_language() or "id"
    return "en" if lang.lower().startswith("en") else "id"


def language(lang: str | None = None) -> str:
    """ "id" or "en": `lang`, or the active language."""
    return _language(lang)


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def number(value, lang: str | None = None, places: int = 0) -> str:
    """12.345 / 12,345; with `places` decimals 12.345,60 / 12,345.60; – when unknown."""
    d = _decimal(value)
    if d is None:
        return MISSING
    thousands, mark = _MARKS[_language(lang)]
    d = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if d < 0 else ""
    whole, _, fraction = f"{abs(d):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = sign + thousands.join(groups)
    return f"{text}{mark}{fraction}" if places > 0 else text


def rupiah(value, lang: str | None = None) -> str:
    """Rp1.428.000 / Rp1,428,000 (whole rupiah: rupiah have no cents); – when unknown."""
    d = _decimal(value)
    if d is None:
        return MISSING
    text = number(abs(d), lang)
    return f"-Rp{text}" if d < 0 else f"Rp{text}"


def percent(value, lang: str | None = None, places: int | None = 1) -> str:
    """37,5 % / 37.5 %; – when unknown. `places=None`: a rate as the regulation writes it, every
    decimal it has and no more (0,1 %, 0,24 %, 5,7 %)."""
    d = _decimal(value)
    if d is None:
        return MISSING
    if places is None:
        places = max(0, -d.normalize().as_tuple().exponent)
    return f"{number(d, lang, places)} %"
