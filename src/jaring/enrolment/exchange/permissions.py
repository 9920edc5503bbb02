"""Who may exchange files with the BPJS branch (batches out, answers in)."""

from jaring.accounts.models import Role
from jaring.core.permissions import Permissions

EXCHANGE = Permissions(
    "exchange",
    roles={"exchange": frozenset({Role.ADMIN, Role.PROGRAMME_OFFICER, Role.BPJS_OFFICER})},
    denied={"exchange": ("bertukar berkas dengan BPJS", "exchange files with BPJS")},
)
