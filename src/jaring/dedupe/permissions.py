"""Who may decide that two records are one person (merge) or two (distinct)."""

from jaring.accounts.models import Role
from jaring.core.permissions import Permissions

DUPLICATES = Permissions(
    "duplicates",
    roles={"decide": frozenset({Role.ADMIN, Role.PROGRAMME_OFFICER})},
    denied={"decide": ("memutuskan duplikat", "decide on duplicates")},
)
