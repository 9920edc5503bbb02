"""The districts and villages a user may pick in filters and forms: only those in scope."""

from __future__ import annotations

from django.db.models import QuerySet

from jaring.accounts.models import User
from jaring.accounts.scope import scope_code
from jaring.regions.models import Level, Region


def _under(code: str, level: int) -> QuerySet[Region]:
    # A code range rather than LIKE, so the primary-key index answers it on both databases.
    return Region.objects.filter(level=level, code__gt=code + ".", code__lt=code + "/")


def needs_province(user: User) -> bool:
    """A national user picks a province first: 7,000 districts do not fit in one list."""
    return scope_code(user) is None


def provinces() -> QuerySet[Region]:
    return Region.objects.filter(level=Level.PROVINCE)


def districts(user: User, province: str = "") -> QuerySet[Region]:
    code = scope_code(user)
    if code is None:
        code = province
    if not code:
        return Region.objects.none()
    if code.count(".") >= 2:
        return Region.objects.filter(code=code[:8], level=Level.DISTRICT)
    return _under(code, Level.DISTRICT).select_related("parent")


def villages(user: User, district: str) -> QuerySet[Region]:
    code = scope_code(user)
    if not district or code == "":
        return Region.objects.none()
    if code is None or district == code or district.startswith(code + "."):
        return _under(district, Level.VILLAGE)
    if code.startswith(district + "."):
        return Region.objects.filter(code=code, level=Level.VILLAGE)
    return Region.objects.none()


def defaults(user: User) -> dict[str, str]:
    """The district and village a new record starts in when the scope fixes them."""
    code = scope_code(user) or ""
    out = {}
    if code.count(".") >= 2:
        out["district"] = code[:8]
    if code.count(".") == 3:
        out["village"] = code
    return out
