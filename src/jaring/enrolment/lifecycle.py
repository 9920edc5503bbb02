"""Which status a membership may move to (who may move it: enrolment.permissions).

candidate → verified → submitted → active → expired | renewed | ended; a submission BPJS
rejects goes back to candidate; a membership may be ended (death, moved, duplicate, withdrawn)
at any point before its cover is over.
"""

from __future__ import annotations

from jaring.core.errors import Conflict, CoreError, Problem
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
