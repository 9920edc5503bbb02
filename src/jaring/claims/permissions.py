"""Who may do what with claims: the city verifies, the BPJS branch approves and pays."""

from jaring.accounts.models import Role
from jaring.core.permissions import Permissions

CLAIMS = Permissions(
    "claims",
    roles={
        "view": frozenset({Role.ADMIN, Role.PROGRAMME_OFFICER, Role.ENUMERATOR, Role.BPJS_OFFICER}),
        "register": frozenset(
            {Role.ADMIN, Role.PROGRAMME_OFFICER, Role.ENUMERATOR, Role.BPJS_OFFICER}
        ),
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
    },
    denied={
        "view": ("melihat klaim", "see claims"),
        "register": ("mendaftarkan klaim", "register claims"),
        "verify": ("memverifikasi klaim", "verify claims"),
        "approve": ("menyetujui klaim", "approve claims"),
        "pay": ("mencatat pembayaran klaim", "record claim payments"),
        "reject": ("menolak klaim", "reject claims"),
        "report": ("melihat laporan keuangan", "see money reports"),
    },
)
