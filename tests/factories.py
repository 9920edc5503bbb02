"""Test data built through the same services the application uses."""

from __future__ import annotations

import datetime as dt
import itertools

from jaring.accounts.models import Role, User
from jaring.registry import services
from jaring.registry.models import Worker
from jaring.registry.validation import WorkerInput
from jaring.rules.nik import compose

# Two villages in two districts of Kota Singkawang, one in Kota Pontianak.
PASIRAN = "61.72.02.1001"  # Singkawang Barat
ROBAN = "61.72.01.1001"  # Singkawang Tengah
PONTIANAK_VILLAGE = "61.71.01.1002"  # Benuamelayu Laut, Pontianak Selatan

_serials = itertools.count(1)
_users = itertools.count(1)


def make_user(role: str = Role.ADMIN, scope: str | None = None, **extra) -> User:
    n = next(_users)
    user = User.objects.create_user(
        username=extra.pop("username", f"{role}-{n}"),
        password=extra.pop("password", "rahasia-123"),
        role=role,
        scope_id=scope,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN and scope is None,
        **extra,
    )
    return user


def worker_input(village: str = PASIRAN, **overrides) -> WorkerInput:
    birth = overrides.pop("birth_date", dt.date(1985, 8, 17))
    sex = overrides.pop("sex", "M")
    nik = overrides.pop("nik", None) or compose(village[:8], birth, sex, next(_serials))
    fields = {
        "nik": nik,
        "full_name": "Budi Santoso",
        "birth_date": birth,
        "sex": sex,
        "village_code": village,
        "category_code": "fisher",
        "rt": "001",
        "rw": "002",
        "phone": "081234567890",
    }
    fields.update(overrides)
    return WorkerInput(**fields)


def make_worker(actor: User | None = None, village: str = PASIRAN, **overrides) -> Worker:
    actor = actor or User.objects.filter(role=Role.ADMIN, scope=None).first() or make_user()
    return services.create_worker(
        actor=actor, data=worker_input(village, **overrides), source="test"
    )
