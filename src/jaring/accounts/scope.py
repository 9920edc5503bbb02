"""The one place that decides which regions a user may see.

Every selector, export, API route and admin page filters through `scope_q` or
`in_scope`; tests try to escape it by every route.
"""

from django.db.models import Q

from jaring.accounts.models import Role, User

# Which column of a scoped model holds the code of each region level.
_LEVEL_FIELD = {1: "province_code", 2: "regency_code", 3: "district_code", 4: "village_id"}


def scope_code(user: User) -> str | None:
    """The user's region code; None means the whole country."""
    if not user.is_authenticated or not user.is_active:
        return ""
    if user.scope_id is None:
        return None if (user.role == Role.ADMIN or user.is_superuser) else ""
    return user.scope_id


def scope_q(user: User, prefix: str = "") -> Q:
    """A filter for models carrying province_code/regency_code/district_code/village_id.

    `prefix` reaches such a model through a relation ("worker__"). A user with no usable
    scope matches nothing.
    """
    code = scope_code(user)
    if code is None:
        return Q()
    if code == "":
        return Q(pk__in=[])
    level = code.count(".") + 1
    return Q(**{f"{prefix}{_LEVEL_FIELD[level]}": code})


def in_scope(user: User, region_code: str) -> bool:
    code = scope_code(user)
    if code is None:
        return True
    if code == "":
        return False
    return region_code == code or region_code.startswith(code + ".")


def codes_of(village_code: str) -> dict[str, str]:
    """The denormalised region columns of a record in `village_code`."""
    return {
        "province_code": village_code[:2],
        "regency_code": village_code[:5],
        "district_code": village_code[:8],
    }
