from decimal import Decimal

from django import template
from django.utils.formats import number_format

from jaring.web.templatetags.jaring_ui import grouped

register = template.Library()

# The dashboard's figures arrive as the strings its JSON snapshot keeps ("95.00"), which Django
# does not localise by itself: these filters write them as the page's language does.


@register.filter
def count(value) -> str:
    """12.345 in Indonesian, 12,345 in English; – when unknown."""
    if value is None or value == "":
        return "–"
    return grouped(int(value))


@register.filter
def decimal(value) -> str:
    """95,00 in Indonesian, 95.00 in English, the digits as given; – when unknown."""
    if value is None or value == "":
        return "–"
    return number_format(Decimal(str(value)))


@register.filter
def pct(value) -> str:
    """95,00 % in Indonesian, 95.00 % in English; – when unknown."""
    if value is None or value == "":
        return "–"
    return f"{decimal(value)} %"
