from django import template

register = template.Library()


@register.filter
def count(value) -> str:
    """12.345 (Indonesian thousands), – when unknown."""
    if value is None or value == "":
        return "–"
    return f"{int(value):,}".replace(",", ".")
