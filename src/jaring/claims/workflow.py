"""Which status each action moves a claim from and to (who may take it: claims.permissions).

submitted → verified → approved → paid; rejected (with a reason) from any status before paid.
The city verifies (the member, the event, the documents); the BPJS branch approves and pays.
"""

from __future__ import annotations

from jaring.accounts.scope import Actor
from jaring.claims.models import ClaimStatus as S
from jaring.claims.permissions import CLAIMS
from jaring.core.errors import Conflict, CoreError, Problem

# action -> (statuses it starts from, status it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "verify": (frozenset({S.SUBMITTED}), S.VERIFIED),
    "approve": (frozenset({S.VERIFIED}), S.APPROVED),
    "pay": (frozenset({S.APPROVED}), S.PAID),
    "reject": (frozenset({S.SUBMITTED, S.VERIFIED, S.APPROVED}), S.REJECTED),
}
ACTIONS = tuple(TRANSITIONS)
# Claims whose facts may still be corrected: once BPJS approved, the amounts are final.
EDITABLE = (S.SUBMITTED, S.VERIFIED)
# For messages in Bahasa Indonesia whatever the request language (labels follow the request).
STATUS_ID = {
    S.SUBMITTED: "diajukan",
    S.VERIFIED: "diverifikasi",
    S.APPROVED: "disetujui",
    S.PAID: "dibayar",
    S.REJECTED: "ditolak",
}


def actions_for(user: Actor, status: str) -> list[str]:
    """The actions `user` may take on a claim in `status`, in workflow order."""
    return [
        a for a, (sources, _) in TRANSITIONS.items() if status in sources and CLAIMS.may(user, a)
    ]


def target_of(action: str, status: str) -> str:
    """The status `action` leads to from `status`; Conflict when it may not."""
    sources, target = TRANSITIONS[action]
    if status not in sources:
        raise Conflict(
            Problem(
                CoreError.ILLEGAL_TRANSITION,
                f"Klaim berstatus '{STATUS_ID[status]}' tidak bisa diubah menjadi "
                f"'{STATUS_ID[target]}'.",
                f"A claim in status '{status}' cannot move to '{target}'.",
                field="status",
                params={"from": status, "to": target},
            )
        )
    return target
