"""Who may see and manage Perisai agents.

An agent (Role.AGENT) sees its own page: its members (covers credited to it, through
`accounts.scope`'s `own`), their due and overdue months, its collections and fees. It records
hand-over choices and cash payments through continuity's services, whose table lets it.
"""

from jaring.accounts.models import Role
from jaring.core.permissions import Permissions

AGENTS = Permissions(
    "agents",
    roles={
        "view": frozenset(
            {Role.ADMIN, Role.PROGRAMME_OFFICER, Role.BPJS_OFFICER, Role.VIEWER, Role.AGENT}
        ),
        "manage": frozenset({Role.ADMIN, Role.PROGRAMME_OFFICER, Role.BPJS_OFFICER}),
        "fees": frozenset({Role.ADMIN, Role.BPJS_OFFICER}),
    },
    denied={
        "view": ("melihat agen Perisai", "see Perisai agents"),
        "manage": (
            "mendaftarkan agen atau mencatat setoran agen",
            "register agents or record their deposits",
        ),
        "fees": ("menghitung imbalan agen", "calculate agents' fees"),
    },
)
