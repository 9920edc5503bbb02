"""Who may move memberships through their lifecycle. BPJS officers record what the branch
answered."""

from jaring.accounts.models import Role
from jaring.core.permissions import Permissions

_OFFICERS = frozenset({Role.ADMIN, Role.PROGRAMME_OFFICER})
_WITH_BPJS = _OFFICERS | {Role.BPJS_OFFICER}
# One wording in Indonesian for every action, as before the table.
_THIS = "melakukan tindakan ini pada keanggotaan"

MEMBERSHIPS = Permissions(
    "memberships",
    roles={
        "enrol": _OFFICERS | {Role.ENUMERATOR},
        "verify": _OFFICERS,
        "submit": _WITH_BPJS,
        "activate": _WITH_BPJS,
        "reject": _WITH_BPJS,
        "end": _OFFICERS,
        "expire": _OFFICERS,
        "renew": _OFFICERS,
    },
    denied={
        action: (_THIS, f"{action} memberships")
        for action in ("enrol", "verify", "submit", "activate", "reject", "end", "expire", "renew")
    },
)
