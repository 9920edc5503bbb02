"""The demo: Kota Singkawang with synthetic workers and one user per role.

Every step is idempotent, so `make demo` can run again on the same database. A scenario is a
function that builds on the base city (`SCENARIOS`); `jaring demo --scenario NAME` runs one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice

from django.db import transaction

from jaring.accounts.models import Role, User
from jaring.demo.synthetic import iter_people, people_frame
from jaring.registry.bulk import insert_workers
from jaring.registry.models import Worker

CITY = "61.72"  # Kota Singkawang
SOURCE = "demo"
PASSWORD = "jaring-demo"
# Ages are counted from a fixed day so that the same seed always gives the same NIKs, and a
# demo database can be topped up on any later day without duplicating people.
REFERENCE_DAY = dt.date(2026, 1, 1)
_CHUNK = 50_000


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    scope: str | None
    name: str


USERS = (
    DemoUser("admin", Role.ADMIN, None, "Admin Jaring"),
    DemoUser("officer", Role.PROGRAMME_OFFICER, CITY, "Rina Wulandari (Disnaker)"),
    DemoUser("enumerator", Role.ENUMERATOR, "61.72.02.1001", "Uray Hamdan (Kel. Pasiran)"),
    DemoUser("bpjs", Role.BPJS_OFFICER, CITY, "Hendra Wijaya (BPJS TK Singkawang)"),
    DemoUser("compliance", Role.COMPLIANCE_OFFICER, CITY, "Maria Theresia (Pengawasan)"),
    DemoUser("viewer", Role.VIEWER, CITY, "Bong Siu Lan (Sekretariat Daerah)"),
)


@dataclass
class DemoResult:
    users_created: list[str] = field(default_factory=list)
    workers_added: int = 0


@transaction.atomic
def ensure_users() -> list[str]:
    """Creates the demo users that do not exist yet; returns their usernames.

    An existing user is left as it is (its password may have been changed on purpose).
    """
    created = []
    for u in USERS:
        if User.objects.filter(username=u.username).exists():
            continue
        first, _, last = u.name.partition(" ")
        User.objects.create_user(
            username=u.username,
            password=PASSWORD,
            role=u.role,
            scope_id=u.scope,
            first_name=first,
            last_name=last,
            is_staff=u.role == Role.ADMIN,
            is_superuser=u.role == Role.ADMIN and u.scope is None,
        )
        created.append(u.username)
    return created


def ensure_workers(*, count: int, seed: int = 0) -> int:
    """Loads the first `count` synthetic workers of `seed` that are not registered yet.

    Returns how many were added; running it again adds none.
    """
    registered = set(Worker.objects.filter(regency_code=CITY).values_list("nik", flat=True))
    people = iter_people(count, region=CITY, seed=seed, today=REFERENCE_DAY)
    added = 0
    while chunk := list(islice(people, _CHUNK)):
        fresh = [p for p in chunk if p.nik not in registered]
        added += insert_workers(people_frame(fresh), source=SOURCE)
    return added


def load_city(*, workers: int, seed: int) -> DemoResult:
    """The base demo: Singkawang's users and workers."""
    result = DemoResult(users_created=ensure_users())
    result.workers_added = ensure_workers(count=workers, seed=seed)
    return result


SCENARIOS: dict[str, Callable[..., DemoResult]] = {"default": load_city}
