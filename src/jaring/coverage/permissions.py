"""Who may change the figures coverage is measured against: the city its working population
and targets, the BPJS branch too the members it reports by segment."""

from jaring.accounts.models import Role
from jaring.core.permissions import Permissions

_CHANGE = ("mengubah data cakupan ini", "change these coverage figures")

COVERAGE = Permissions(
    "coverage",
    roles={
        "population": frozenset({Role.ADMIN, Role.PROGRAMME_OFFICER}),
        "counts": frozenset({Role.ADMIN, Role.PROGRAMME_OFFICER, Role.BPJS_OFFICER}),
    },
    denied={"population": _CHANGE, "counts": _CHANGE},
)
