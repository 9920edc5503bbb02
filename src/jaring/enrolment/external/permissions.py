"""Who may import the lists of workers covered outside Jaring."""

from jaring.accounts.models import Role
from jaring.core.permissions import Permissions

EXTERNAL_COVER = Permissions(
    "external_cover",
    roles={"import": frozenset({Role.ADMIN, Role.PROGRAMME_OFFICER, Role.BPJS_OFFICER})},
    denied={"import": ("mengimpor data kepesertaan di luar Jaring", "import cover outside Jaring")},
)
