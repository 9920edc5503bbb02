"""Which status a membership may move to, and who may move it.

candidate → verified → submitted → active → expired | renewed | ended; a submission BPJS
rejects goes back to candidate; a membership may be ended (death, moved, duplicate, withdrawn)
at any point before its cover is over.
"""

from __future__ import annotations

from jaring.accounts.models import Role, User
from jaring.core.errors import Conflict, CoreError, PermissionDenied, Problem
from jaring.enrolment.models import MembershipStatus as S

ALLOWED: dict[str, frozenset[str]] = {
    S.CANDIDATE: frozenset({S.VERIFIED, S.ENDED}),
    S.VERIFIED: frozenset({S.SUBMITTED, S.ENDED}),
    S.SUBMITTED: frozenset({S.ACTIVE, S.CANDIDATE, S.ENDED}),
    S.ACTIVE: frozenset({S.EXPIRED, S.RENEWED, S.ENDED}),
    S.EXPIRED: frozenset({S.RENEWED}),
    S.RENEWED: frozenset(),
    S.ENDED: frozenset(),
}


def sources_of(target: str) -> list[str]:
    """The statuses a membership may be in to move to `target`."""
    return [s for s, targets in ALLOWED.items() if target in targets]


class IllegalTransition(Conflict):
    """Some memberships cannot move to the status asked; nothing was changed."""

    def __init__(self, target: str, by_status: dict[str, int]):
        problems = [
            Problem(
                CoreError.ILLEGAL_TRANSITION,
                f"{n} keanggotaan berstatus '{S(status).label}' tidak bisa diubah menjadi "
                f"'{S(target).label}'.",
                f"{n} membership(s) in status '{status}' cannot move to '{target}'.",
                field="status",
                params={"from": status, "to": target, "count": n},
            )
            for status, n in sorted(by_status.items())
        ]
        super().__init__(*problems)


# Who may do what. BPJS officers record what the branch answered.
ROLES: dict[str, frozenset[str]] = {
    "enrol": frozenset({Role.ADMIN, Role.PROGRAMME_OFFICER, Role.ENUMERATOR}),
    "verify": frozenset({Role.ADMIN, Role.PROGRAMME_OFFICER}),
    "submit": frozenset({Role.ADMIN, Role.PROGRAMME_OFFICER, Role.BPJS_OFFICER}),
    "activate": frozenset({Role.ADMIN, Role.PROGRAMME_OFFICER, Role.BPJS_OFFICER}),
    "reject": frozenset({Role.ADMIN, Role.PROGRAMME_OFFICER, Role.BPJS_OFFICER}),
    "end": frozenset({Role.ADMIN, Role.PROGRAMME_OFFICER}),
    "expire": frozenset({Role.ADMIN, Role.PROGRAMME_OFFICER}),
    "renew": frozenset({Role.ADMIN, Role.PROGRAMME_OFFICER}),
}


def may(actor: User, action: str) -> bool:
    return actor.is_authenticated and actor.is_active and actor.role in ROLES[action]


def check_may(actor: User, action: str) -> None:
    if not may(actor, action):
        raise PermissionDenied(
            Problem(
                CoreError.FORBIDDEN,
                "Peran Anda tidak boleh melakukan tindakan ini pada keanggotaan.",
                f"Your role may not {action} memberships.",
            )
        )
