from decimal import Decimal, InvalidOperation

from django import template

from jaring.core import formats

register = template.Library()

# The dashboard's figures arrive as the strings its JSON snapshot keeps ("95.00"), which Django
# does not localise by itself: these filters write them as the page's language does
# (core.formats, like every page's rupiah and grouped).


def _places(value) -> int:
    try:
        return max(0, -Decimal(str(value)).as_tuple().exponent)
    except (InvalidOperation, TypeError):
        return 0


@register.filter
def count(value) -> str:
    """12.345 in Indonesian, 12,345 in English; – when unknown."""
    return formats.number(value)


@register.filter
def decimal(value) -> str:
    """95,00 in Indonesian, 95.00 in English, the digits as given; – when unknown."""
    return formats.number(value, places=_places(value))


@register.filter
def pct(value) -> str:
    """95,00 % in Indonesian, 95.00 % in English; – when unknown."""
    return formats.percent(value, places=_places(value))
