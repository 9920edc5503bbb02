"""Who may see and manage auto-debit mandates and exchange the banks' files.

An agent records the mandates of its own members (accounts.scope, `own`)."""

from jaring.accounts.models import Role
from jaring.core.permissions import Permissions

AUTODEBIT = Permissions(
    "autodebit",
    roles={
        "view": frozenset(
            {Role.ADMIN, Role.PROGRAMME_OFFICER, Role.BPJS_OFFICER, Role.VIEWER, Role.AGENT}
        ),
        "mandate": frozenset({Role.ADMIN, Role.PROGRAMME_OFFICER, Role.BPJS_OFFICER, Role.AGENT}),
        "exchange": frozenset({Role.ADMIN, Role.BPJS_OFFICER}),
    },
    denied={
        "view": ("melihat mandat auto-debet", "see auto-debit mandates"),
        "mandate": ("mencatat mandat auto-debet", "record auto-debit mandates"),
        "exchange": (
            "membuat file debet atau membaca hasil debet bank",
            "make debit files or read the banks' results",
        ),
    },
)
