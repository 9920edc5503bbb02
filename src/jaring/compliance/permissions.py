"""Who may do what with employers: the compliance officer works the cases; the city's
programme officer and the BPJS branch see them and bring in lists."""

from jaring.accounts.models import Role
from jaring.core.permissions import Permissions

_SEE = frozenset({Role.ADMIN, Role.COMPLIANCE_OFFICER, Role.PROGRAMME_OFFICER, Role.BPJS_OFFICER})

COMPLIANCE = Permissions(
    "compliance",
    roles={
        "view": _SEE,
        "import": frozenset({Role.ADMIN, Role.COMPLIANCE_OFFICER, Role.BPJS_OFFICER}),
        "match": frozenset({Role.ADMIN, Role.COMPLIANCE_OFFICER}),
        "act": frozenset({Role.ADMIN, Role.COMPLIANCE_OFFICER}),
        # Figures per city and year, no employer's name.
        "report": _SEE | {Role.VIEWER},
    },
    denied={
        "view": ("melihat data kepatuhan pemberi kerja", "see employer compliance"),
        "import": ("mengimpor daftar pemberi kerja", "import employer lists"),
        "match": ("mencocokkan daftar pemberi kerja", "match employer lists"),
        "act": ("menangani kasus kepatuhan", "work compliance cases"),
        "report": ("melihat laporan kepatuhan", "see compliance reports"),
    },
)
