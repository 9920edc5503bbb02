"""Who may print membership cards."""

from jaring.accounts.models import Role
from jaring.core.permissions import Permissions

CARDS = Permissions(
    "cards",
    roles={
        "print": frozenset({Role.ADMIN, Role.PROGRAMME_OFFICER, Role.ENUMERATOR, Role.BPJS_OFFICER})
    },
    denied={"print": ("mencetak kartu peserta", "print membership cards")},
)
