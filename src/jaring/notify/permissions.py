"""Who may see the outbox and send or stop messages."""

from jaring.accounts.models import Role
from jaring.core.permissions import Permissions

NOTIFY = Permissions(
    "notify",
    roles={
        "view": frozenset({Role.ADMIN, Role.PROGRAMME_OFFICER, Role.BPJS_OFFICER}),
        "send": frozenset({Role.ADMIN, Role.PROGRAMME_OFFICER}),
    },
    denied={
        "view": ("melihat kotak keluar pesan", "see the message outbox"),
        "send": ("mengirim pesan atau mencatat penolakan pesan", "send messages or opt-outs"),
    },
)
