"""Who may see and do what with bills, payments and rate tables, and which bills they see.

Bills are money of a whole programme: a user sees a programme's bills when the programme's
region lies inside their own (a city officer sees the city's programmes, not the province's).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from jaring.accounts.models import Role, User
from jaring.accounts.scope import scope_code
from jaring.core.permissions import Permissions
from jaring.programs.models import Programme

ROLES: dict[str, frozenset[str]] = {
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
}

_DENIED = {
    "view": ("melihat tagihan iuran", "see contribution bills"),
    "bill": ("membuat tagihan iuran", "run the monthly billing"),
    "pay": ("mencatat pembayaran iuran", "record contribution payments"),
    "rates": ("menambah versi tabel tarif", "add rate-table versions"),
}

_PERMISSIONS = Permissions(ROLES, _DENIED)
may = _PERMISSIONS.may
check_may = _PERMISSIONS.check


def programmes_managed(user: User | None) -> QuerySet[Programme]:
    """Programmes whose region is the user's region or inside it; every one for the system."""
    qs = Programme.objects.select_related("region")
    code = None if user is None else scope_code(user)
    if code is None:
        return qs
    if code == "":
        return qs.none()
    return qs.filter(Q(region_id=code) | Q(region__code__startswith=code + "."))
