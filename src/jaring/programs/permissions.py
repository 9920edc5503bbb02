"""Who may create and change programmes."""

from jaring.accounts.models import Role
from jaring.core.permissions import Permissions

PROGRAMMES = Permissions(
    "programmes",
    roles={"manage": frozenset({Role.ADMIN, Role.PROGRAMME_OFFICER})},
    denied={"manage": ("mengelola program", "manage programmes")},
)
