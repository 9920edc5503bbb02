"""Who may decide that two records are one person (merge) or two (distinct), and who may set
the threshold of a run or retrain the model (what every officer's queue then holds)."""

from jaring.accounts.models import Role
from jaring.core.permissions import Permissions

DUPLICATES = Permissions(
    "duplicates",
    roles={
        "decide": frozenset({Role.ADMIN, Role.PROGRAMME_OFFICER}),
        "tune": frozenset({Role.ADMIN}),
    },
    denied={
        "decide": ("memutuskan duplikat", "decide on duplicates"),
        "tune": ("mengatur ambang dan melatih model duplikat", "tune the duplicate model"),
    },
)
