"""Who may import worker lists and see the imports: whoever may change workers, since an import
registers and changes them. A city's remembered wordings (synonyms) apply to every later import
of the city: programme officers and administrators keep them; an enumerator's answers on the
review step hold for that import only."""

from jaring.accounts.models import Role
from jaring.core.permissions import Permissions
from jaring.registry.permissions import WORKERS

IMPORTS = Permissions(
    "imports",
    roles={"import": WORKERS.roles["change"], "synonyms": {Role.ADMIN, Role.PROGRAMME_OFFICER}},
    denied={
        "import": ("mengimpor data pekerja", "import worker records"),
        "synonyms": ("mengubah padanan isian kota", "change the city's value synonyms"),
    },
)
