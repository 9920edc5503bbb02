"""The districts and villages a user may pick in filters and forms: only those in scope."""

from __future__ import annotations

from django.db.models import QuerySet

from jaring.accounts.models import User
from jaring.accounts.scope import Mode, in_scope, scope_code
from jaring.regions.models import Level, Region

# Regions are found through the parent index (a province's grandchildren are its districts, a
# district's children its villages): a filter on level makes SQLite walk all 83,000 villages.


def _districts_under(code: str) -> QuerySet[Region]:
    if code.count(".") == 0:
        return Region.objects.filter(parent__parent_id=code)
    return Region.objects.filter(parent_id=code)


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
    return _districts_under(code).select_related("parent").order_by("code")


def villages(user: User, district: str) -> QuerySet[Region]:
    if district.count(".") != 2:
        return Region.objects.none()
    if in_scope(user, district):
        return Region.objects.filter(parent_id=district).order_by("code")
    if in_scope(user, district, mode=Mode.COVERING):  # a village user: their own village only
        return Region.objects.filter(code=scope_code(user), level=Level.VILLAGE)
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
