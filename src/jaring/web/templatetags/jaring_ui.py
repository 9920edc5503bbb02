from django import template

from jaring.accounts.masking import display_nik
from jaring.core import formats, words

register = template.Library()


@register.filter
def shown_nik(nik: str, user) -> str:
    """The NIK as this user may see it (masked for viewers)."""
    return display_nik(user, nik)


# Every page's numbers go through these (core.formats): Rp1.428.000 and 37,5 % in Indonesian,
# Rp1,428,000 and 37.5 % in English; – for a figure not known.


@register.filter
def grouped(number) -> str:
    """1.000 in Indonesian, 1,000 in English."""
    return formats.number(number)


@register.filter
def formula(text) -> str:
    """A rule's formula in the page's language (core.words.formula_words)."""
    return words.formula_words(str(text or ""))


@register.filter
def rupiah(amount) -> str:
    """Rp1.428.000 in Indonesian, Rp1,428,000 in English."""
    return formats.rupiah(amount)


@register.filter
def decimals(value, places: int = 2) -> str:
    """12.345,60 in Indonesian, 12,345.60 in English."""
    return formats.number(value, places=int(places))


@register.filter
def percent(value, places: int = 1) -> str:
    """37,5 % in Indonesian, 37.5 % in English."""
    return formats.percent(value, places=int(places))


@register.filter
def rate(value) -> str:
    """A regulation's rate with every decimal it has: 0,1 % / 0.1 %, 0,24 % / 0.24 %."""
    return formats.percent(value, places=None)


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced or, given None, removed."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


@register.filter
def event(action: str) -> str:
    """An audit event's name in words ("membership.verified" → "Diverifikasi")."""
    return words.event_words(action or "")
