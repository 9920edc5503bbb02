"""Who may update the region table from a newer Kemendagri list: administrators only (every
city's villages and every NIK check depend on it)."""

from jaring.accounts.models import Role
from jaring.core.permissions import Permissions

REGIONS = Permissions(
    "regions",
    roles={"load": {Role.ADMIN}},
    denied={"load": ("memperbarui daftar wilayah", "update the region list")},
)
