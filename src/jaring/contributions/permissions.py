"""Who may see and do what with bills, payments and rate tables."""

from jaring.accounts.models import Role
from jaring.core.permissions import Permissions

CONTRIBUTIONS = Permissions(
    "contributions",
    roles={
        "view": frozenset(
            {
                Role.ADMIN,
                Role.PROGRAMME_OFFICER,
                Role.BPJS_OFFICER,
                Role.COMPLIANCE_OFFICER,
                Role.VIEWER,
            }
        ),
        "bill": frozenset({Role.ADMIN, Role.PROGRAMME_OFFICER}),
        "pay": frozenset({Role.ADMIN, Role.PROGRAMME_OFFICER, Role.BPJS_OFFICER}),
        "rates": frozenset({Role.ADMIN}),
        "reconcile": frozenset({Role.ADMIN, Role.PROGRAMME_OFFICER, Role.BPJS_OFFICER}),
    },
    denied={
        "view": ("melihat tagihan iuran", "see contribution bills"),
        "bill": ("membuat tagihan iuran", "run the monthly billing"),
        "pay": ("mencatat pembayaran iuran", "record contribution payments"),
        "rates": ("menambah versi tabel tarif", "add rate-table versions"),
        "reconcile": ("mencocokkan laporan bulanan BPJS", "reconcile BPJS's monthly statement"),
    },
)
