"""Which roles may take each action of an area, and the refusal that names the action.

Each area declares one table in its `permissions.py` (data: action -> roles, and what the action
is in both languages). Services refuse through `TABLE.check(user, action)`; pages ask
`TABLE.may(user, action)` to offer a button; code that knows only names, such as a menu built
from every area, asks `allowed(user, "area.action")`. The check and the refusal's wording are the
same everywhere, so that a clerk reads "Peran Anda tidak boleh ..." whichever page refused them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jaring.core.errors import CoreError, PermissionDenied, Problem

if TYPE_CHECKING:
    from jaring.accounts.scope import Actor

# Every area's table by its name, filled as the tables are declared (CoreConfig.ready imports
# each app's permissions module).
_TABLES: dict[str, Permissions] = {}


@dataclass(frozen=True)
class Permissions:
    area: str
    roles: Mapping[str, frozenset[str]]  # action -> the roles that may take it
    denied: Mapping[str, tuple[str, str]]  # action -> what it is, in Indonesian and English

    def __post_init__(self) -> None:
        if self.area in _TABLES:
            raise ValueError(f"a second permission table for {self.area!r}")
        if set(self.roles) != set(self.denied):
            raise ValueError(f"{self.area}: every action needs its roles and its wording")
        _TABLES[self.area] = self

    def may(self, user: Actor, action: str) -> bool:
        # The system (accounts.scope.SYSTEM) has an administrator's role.
        return user.is_authenticated and user.is_active and user.role in self.roles[action]

    def check(self, user: Actor, action: str) -> None:
        if not self.may(user, action):
            what_id, what_en = self.denied[action]
            raise PermissionDenied(
                Problem(
                    CoreError.FORBIDDEN,
                    f"Peran Anda tidak boleh {what_id}.",
                    f"Your role may not {what_en}.",
                )
            )


def allowed(user: Actor, area_action: str) -> bool:
    """Whether `user` may take the action named "area.action" (e.g. "claims.verify")."""
    area, _, action = area_action.partition(".")
    return _TABLES[area].may(user, action)


def tables() -> dict[str, Permissions]:
    """Every area's table by name (for a menu, an overview or a test)."""
    return dict(_TABLES)
