"""Who may do what with claims, and which status each action moves a claim from and to.

submitted → verified → approved → paid; rejected (with a reason) from any status before paid.
The city verifies (the member, the event, the documents); the BPJS branch approves and pays.
"""

from __future__ import annotations

from jaring.accounts.models import Role, User
from jaring.claims.models import ClaimStatus as S
from jaring.core.errors import Conflict, CoreError, Problem
from jaring.core.permissions import Permissions

ROLES: dict[str, frozenset[str]] = {
    "view": frozenset({Role.ADMIN, Role.PROGRAMME_OFFICER, Role.ENUMERATOR, Role.BPJS_OFFICER}),
    "register": frozenset({Role.ADMIN, Role.PROGRAMME_OFFICER, Role.ENUMERATOR, Role.BPJS_OFFICER}),
    "verify": frozenset({Role.ADMIN, Role.PROGRAMME_OFFICER}),
    "approve": frozenset({Role.ADMIN, Role.BPJS_OFFICER}),
    "pay": frozenset({Role.ADMIN, Role.BPJS_OFFICER}),
    "reject": frozenset({Role.ADMIN, Role.PROGRAMME_OFFICER, Role.BPJS_OFFICER}),
    # Money reports: figures, no person's data.
    "report": frozenset(
        {
            Role.ADMIN,
            Role.PROGRAMME_OFFICER,
            Role.BPJS_OFFICER,
            Role.COMPLIANCE_OFFICER,
            Role.VIEWER,
        }
    ),
}

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

_DENIED = {
    "view": ("melihat klaim", "see claims"),
    "register": ("mendaftarkan klaim", "register claims"),
    "verify": ("memverifikasi klaim", "verify claims"),
    "approve": ("menyetujui klaim", "approve claims"),
    "pay": ("mencatat pembayaran klaim", "record claim payments"),
    "reject": ("menolak klaim", "reject claims"),
    "report": ("melihat laporan keuangan", "see money reports"),
}

_PERMISSIONS = Permissions(ROLES, _DENIED)
may = _PERMISSIONS.may
check_may = _PERMISSIONS.check


def actions_for(user: User | None, status: str) -> list[str]:
    """The actions `user` may take on a claim in `status`, in workflow order."""
    return [a for a, (sources, _) in TRANSITIONS.items() if status in sources and may(user, a)]


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
