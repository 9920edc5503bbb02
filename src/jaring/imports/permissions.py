"""Who may import worker lists and see the imports: whoever may change workers, since an import
registers and changes them."""

from jaring.core.permissions import Permissions
from jaring.registry.permissions import WORKERS

IMPORTS = Permissions(
    "imports",
    roles={"import": WORKERS.roles["change"]},
    denied={"import": ("mengimpor data pekerja", "import worker records")},
)
