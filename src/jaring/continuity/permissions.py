"""Who may see and do what with self-paying members and the hand-over.

The worker records their own choice through the public page (NIK + birth date), without a role.
An agent (Perisai) sees the members whose city cover ends in its area and records their choice;
it sees and takes payments only for its own members (accounts.scope, `own`).
"""

from jaring.accounts.models import Role
from jaring.core.permissions import Permissions

CONTINUITY = Permissions(
    "continuity",
    roles={
        "view": frozenset(
            {
                Role.ADMIN,
                Role.PROGRAMME_OFFICER,
                Role.ENUMERATOR,
                Role.BPJS_OFFICER,
                Role.VIEWER,
                Role.AGENT,
            }
        ),
        "choose": frozenset({Role.ADMIN, Role.PROGRAMME_OFFICER, Role.ENUMERATOR, Role.AGENT}),
        "pay": frozenset({Role.ADMIN, Role.PROGRAMME_OFFICER, Role.BPJS_OFFICER, Role.AGENT}),
        "bill": frozenset({Role.ADMIN, Role.PROGRAMME_OFFICER, Role.BPJS_OFFICER}),
    },
    denied={
        "view": ("melihat peserta mandiri", "see self-paying members"),
        "choose": ("mencatat pilihan peserta", "record a member's choice"),
        "pay": ("mencatat pembayaran iuran mandiri", "record self-payments"),
        "bill": ("menjalankan tagihan bulanan mandiri", "run the monthly self-payment run"),
    },
)
