"""Who may see a person's identifying data whole (NIK, phone); a viewer and an agent (who meets
its members in person and has no second factor) see them masked.
Who may lift another user's login lock-out."""

from jaring.accounts.models import Role
from jaring.core.permissions import Permissions

PERSONAL_DATA = Permissions(
    "personal_data",
    roles={"see": frozenset(Role) - {Role.VIEWER, Role.AGENT}},
    denied={"see": ("melihat NIK dan nomor telepon utuh", "see whole NIKs and phone numbers")},
)

# A clerk locked out after too many wrong passwords asks the city's programme officer, who
# knows them, rather than wait half an hour or find the national administrator.
LOGINS = Permissions(
    "logins",
    roles={"unlock": frozenset({Role.ADMIN, Role.PROGRAMME_OFFICER})},
    denied={
        "unlock": (
            "membuka kunci login pengguna lain",
            "unlock other users' logins",
        )
    },
)
