from django import template
from django.utils.formats import number_format

from jaring.accounts.masking import display_nik

register = template.Library()


@register.filter
def shown_nik(nik: str, user) -> str:
    """The NIK as this user may see it (masked for viewers)."""
    return display_nik(user, nik)


@register.filter
def grouped(number) -> str:
    """1.000 in Indonesian, 1,000 in English."""
    return number_format(number, decimal_pos=0, force_grouping=True)


@register.filter
def rupiah(amount) -> str:
    if amount is None or amount == "":
        return ""
    return "Rp" + grouped(amount)


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
