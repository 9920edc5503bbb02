"""Who may see a person's identifying data whole (NIK, phone); a viewer sees them masked."""

from jaring.accounts.models import Role
from jaring.core.permissions import Permissions

PERSONAL_DATA = Permissions(
    "personal_data",
    roles={"see": frozenset(Role) - {Role.VIEWER}},
    denied={"see": ("melihat NIK dan nomor telepon utuh", "see whole NIKs and phone numbers")},
)
