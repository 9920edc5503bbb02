"""Which roles may take each action of an area, and the refusal that names the action.

Each area keeps its own table; the check is the same everywhere, and so is the refusal's
wording, so that a clerk reads "Peran Anda tidak boleh ..." whichever page refused them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jaring.core.errors import CoreError, PermissionDenied, Problem

if TYPE_CHECKING:
    from jaring.accounts.models import User


@dataclass(frozen=True)
class Permissions:
    roles: Mapping[str, frozenset[str]]  # action -> the roles that may take it
    denied: Mapping[str, tuple[str, str]]  # action -> what it is, in Indonesian and English

    def may(self, user: User | None, action: str) -> bool:
        # No user is the system: the command line without --user, the background worker.
        if user is None:
            return True
        return user.is_authenticated and user.is_active and user.role in self.roles[action]

    def check(self, user: User | None, action: str) -> None:
        if not self.may(user, action):
            what_id, what_en = self.denied[action]
            raise PermissionDenied(
                Problem(
                    CoreError.FORBIDDEN,
                    f"Peran Anda tidak boleh {what_id}.",
                    f"Your role may not {what_en}.",
                )
            )
