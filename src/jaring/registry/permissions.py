"""Who may register and change workers: the people who collect and keep the registry."""

from jaring.accounts.models import Role
from jaring.core.permissions import Permissions

_EDITORS = frozenset({Role.ADMIN, Role.PROGRAMME_OFFICER, Role.ENUMERATOR})

WORKERS = Permissions(
    "workers",
    roles={"change": _EDITORS, "add": _EDITORS},
    denied={
        # Registering or changing one worker through a form, the API or the admin site.
        "change": ("mengubah data pekerja", "change worker records"),
        # Loading many at once (registry.bulk).
        "add": ("menambah data pekerja", "add worker records"),
    },
)
