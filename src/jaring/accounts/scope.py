"""The one place that turns a user, or a region, into a region filter.

Every selector, export, API route, service check and admin page filters through `scope_q` (a
queryset filter) or `in_scope` (one region code); tests/web/test_scope_escape_generated.py tries
every route with every role against another region's records.

Two modes:
- `Mode.INSIDE`: the record's region is the user's region or lies inside it (workers,
  memberships, claims, import batches, a programme's bills).
- `Mode.COVERING`: also a region that contains the user's region: a village enumerator works in
  the city's programme.

A record names its region in one of two ways: the denormalised level columns `province_code`,
`regency_code`, `district_code`, `village_id` (the default; one index each, so a filter is one
equality), or one column holding a code of any level (`field="region__code"`, `"region_code"`).
`prefix` reaches either through a relation ("worker__", "membership__").

An agent (Role.AGENT, Perisai) is scoped twice: to its area (its user's scope region) and, for
the records of members, to its own members: a read passes `own`, the relation from the record
to the agent's user (e.g. "agent_credit__agent__user" for a self-paid cover); an agent sees only
the records that name it. A read without `own` (the members whose city cover is ending in its
area, whom it may recruit) is scoped by the area alone.

Background tasks, batch commands run without --user and the demo loader act as `SYSTEM`, which
sees the whole country. No actor at all is an error, never national access.
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Q

from jaring.accounts.models import Role, User

# The column of a record's region at each level, shallowest first.
LEVEL_FIELD = {1: "province_code", 2: "regency_code", 3: "district_code", 4: "village_id"}


class Mode(StrEnum):
    INSIDE = "inside"
    COVERING = "covering"


class System:
    """The actor of background tasks, batch commands without --user and the demo loader.

    It sees the whole country and may take every action (an administrator's role). It is nobody
    in the records: audit events and "created by" columns store no user for it (`as_user`).
    """

    is_authenticated = True
    is_active = True
    is_superuser = True
    is_staff = False
    role = Role.ADMIN
    scope = None
    scope_id = None
    pk = None
    id = None
    username = "system"

    def __repr__(self) -> str:
        return "SYSTEM"

    __str__ = __repr__


SYSTEM = System()
Actor = User | System


def as_user(actor: Actor | None) -> User | None:
    """The user to record as having done something: none for the system."""
    return None if actor is SYSTEM else actor


def scope_code(user: Actor) -> str | None:
    """The actor's region code; None means the whole country, "" nowhere."""
    if user is None:
        raise TypeError("a region scope needs a user or accounts.scope.SYSTEM, not None")
    if user is SYSTEM:
        return None
    if not user.is_authenticated or not user.is_active:
        return ""
    if user.scope_id is None:
        return None if (user.role == Role.ADMIN or user.is_superuser) else ""
    return user.scope_id


def level_of(code: str) -> int:
    return code.count(".") + 1


def _within(code: str, region: str) -> bool:
    return code == region or code.startswith(region + ".")


def _ancestors(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def region_q(code: str, *, prefix: str = "", field: str | None = None, mode=Mode.INSIDE) -> Q:
    """Records in region `code` (any level) or inside it; COVERING adds the regions above it."""
    if field is None:
        if mode != Mode.INSIDE:
            raise ValueError("the level columns hold a record's own region: use `field`")
        return Q(**{f"{prefix}{LEVEL_FIELD[level_of(code)]}": code})
    column = prefix + field
    q = Q(**{column: code}) | Q(**{f"{column}__startswith": code + "."})
    if mode == Mode.COVERING:
        q |= Q(**{f"{column}__in": _ancestors(code)})
    return q


def scope_q(
    user: Actor,
    *,
    prefix: str = "",
    field: str | None = None,
    mode=Mode.INSIDE,
    own: str | None = None,
) -> Q:
    """The records `user` may see: `region_q` of their region; nothing without a usable scope.
    For an agent, with `own` (the relation to the user owning the record), only its own."""
    code = scope_code(user)
    if code is None:
        q = Q()
    elif code == "":
        return Q(pk__in=[])
    else:
        q = region_q(code, prefix=prefix, field=field, mode=mode)
    if own is not None and getattr(user, "role", None) == Role.AGENT:
        q &= Q(**{prefix + own: user.pk})
    return q


def in_scope(user: Actor, region_code: str, *, mode=Mode.INSIDE) -> bool:
    """Whether `region_code` (any level) is in the user's region, like `scope_q`."""
    code = scope_code(user)
    if code is None:
        return True
    if code == "":
        return False
    return _within(region_code, code) or (mode == Mode.COVERING and _within(code, region_code))


def codes_of(village_code: str) -> dict[str, str]:
    """The denormalised region columns of a record in `village_code`."""
    return {
        "province_code": village_code[:2],
        "regency_code": village_code[:5],
        "district_code": village_code[:8],
    }
