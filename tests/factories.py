"""Test data built through the same services the application uses."""

from __future__ import annotations

import datetime as dt
import itertools
import time

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from jaring.accounts import selectors
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


def authenticator(user: User) -> TOTPDevice:
    """The user's authenticator app (made without an audit event, as test set-up)."""
    return selectors.totp_device(user) or TOTPDevice.objects.create(user=user, name="test")


def current_code(user: User) -> str:
    """The 6 digits the user's authenticator app shows now, or, when this 30-second step's code
    was already used (a code works once), the next step's, which the server accepts too (one
    step of tolerance): two logins within 30 seconds must not depend on the clock."""
    device = authenticator(user)
    device.refresh_from_db()
    now = int(time.time() - device.t0) // device.step
    drift = 1 if device.last_t >= now else 0
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):06d}"


def pass_second_factor(client, user: User) -> None:
    """Marks a test client's logged-in session as verified by the user's authenticator, as the
    login code page does (for roles that need a second factor)."""
    if selectors.needs_second_factor(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
        session.save()


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
