"""Writes to accounts: API tokens (created, used, revoked), login lock-outs lifted, the second
factor (an authenticator app and recovery codes: set up, checked, reset) and passwords.

Every change to a user's login is audited on the user; no secret (key, code, password) is ever
written to the audit log."""

from __future__ import annotations

import datetime as dt
import secrets

from axes.utils import reset as reset_login_failures
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from jaring.accounts import audit, selectors
from jaring.accounts.errors import AccountError
from jaring.accounts.models import ApiToken, RecoveryCode, RecoveryCodes, User
from jaring.accounts.permissions import LOGINS
from jaring.accounts.scope import Actor
from jaring.core.errors import (
    Conflict,
    CoreError,
    DomainError,
    NotFound,
    Problem,
    ValidationFailed,
)

# A recognisable prefix lets secret scanners and officers tell a Jaring key from other secrets.
KEY_PREFIX = "jrg_"
# Recording every request would turn each API read into a write; a minute is precise enough.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def _token_audit(*, actor: User | None, action: str, token: ApiToken) -> None:
    audit.record(
        actor=actor,
        action=action,
        target=token,
        region_code=token.user.scope_id or "",
        before=None,
        after={"user": token.user.username, "name": token.name, "prefix": token.prefix},
    )


@transaction.atomic
def create_token(*, user: User, name: str, actor: User | None = None) -> tuple[ApiToken, str]:
    """A new token for `user`; the key is returned once and only its SHA-256 is kept."""
    name = name.strip()
    if not name:
        raise ValidationFailed(
            Problem(
                CoreError.REQUIRED,
                "Nama token wajib diisi.",
                "A token name is required.",
                field="name",
            )
        )
    if not user.is_active:
        raise ValidationFailed(
            Problem(
                AccountError.USER_INACTIVE,
                f"Pengguna '{user.username}' tidak aktif.",
                f"User '{user.username}' is not active.",
                field="user",
            )
        )
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, key_hash=ApiToken.hash(key), prefix=key[:8]
    )
    _token_audit(actor=actor, action="token_create", token=token)
    return token, key


@transaction.atomic
def revoke_token(*, token: ApiToken, actor: User | None = None) -> None:
    _token_audit(actor=actor, action="token_revoke", token=token)
    token.delete()


def use_token(*, key: str) -> User | None:
    """The active user a key belongs to, noting when the token was last used; else None."""
    token = (
        ApiToken.objects.select_related("user", "user__scope")
        .filter(key_hash=ApiToken.hash(key))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def unlock(*, user: User, actor: User | None = None) -> int:
    """Lifts the login lock-out of `user` (failures counted against the account, from any
    address) before it cools off; the number of failure records cleared."""
    cleared = reset_login_failures(username=user.username)
    audit.record(
        actor=actor,
        action="login_unlock",
        target=user,
        region_code=user.scope_id or "",
        before={"failure_records": cleared},
        after={"failure_records": 0},
    )
    return cleared


@transaction.atomic
def unlock_in_scope(*, actor: Actor, username: str) -> int:
    """An officer's unlock: only a user `actor` may unlock (selectors.unlockable), else 404."""
    LOGINS.check(actor, "unlock")
    user = selectors.unlockable(actor).filter(username=username).first()
    if user is None:
        raise NotFound(Problem(CoreError.NOT_FOUND, "Pengguna tidak ditemukan.", "No such user."))
    return unlock(user=user, actor=actor)


# The second factor -------------------------------------------------------------------------

# Recovery codes: 16 characters of 32 (80 bits), without the look-alikes 0/O and 1/I.
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
RECOVERY_CODES = 10


class TooSoon(DomainError):
    status = 429


def _login_audit(*, actor: Actor | None, action: str, user: User, after: dict | None = None):
    audit.record(
        actor=actor,
        action=action,
        target=user,
        region_code=user.scope_id or "",
        before=None,
        after=after,
    )


def _wrong_code() -> ValidationFailed:
    return ValidationFailed(
        Problem(
            AccountError.CODE_WRONG,
            "Kode salah atau sudah kedaluwarsa.",
            "The code is wrong or has expired.",
            field="code",
        )
    )


def start_totp(*, user: User) -> TOTPDevice:
    """The authenticator key a user is setting up: the same one until it is confirmed, so that
    reloading the page does not change the QR code already scanned."""
    if selectors.totp_device(user):
        raise Conflict(
            Problem(
                AccountError.SECOND_FACTOR_EXISTS,
                "Aplikasi autentikator sudah terpasang; minta administrator menyetel ulang.",
                "An authenticator app is already set up; ask an administrator to reset it.",
            )
        )
    return selectors.totp_device(user, confirmed=False) or TOTPDevice.objects.create(
        user=user, name="authenticator", confirmed=False
    )


def confirm_totp(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirms the key being set up with a code from the app; returns the device and the new
    recovery codes (shown once)."""
    device = start_totp(user=user)
    if not _verify(device, code):
        raise _wrong_code()
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _replace_recovery_codes(user)
        _login_audit(actor=user, action="second_factor_enrol", user=user)
    return device, codes


def register_totp(*, user: User, key: str, name: str) -> TOTPDevice:
    """A confirmed authenticator with a given hex key (the demo's users share a public one)."""
    device = selectors.totp_device(user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=name, key=key, confirmed=True)
        _login_audit(actor=None, action="second_factor_enrol", user=user)
    return device


def _verify(device: Device, code: str) -> bool:
    """django-otp's check (throttled: each wrong code doubles the wait before the next)."""
    with transaction.atomic():
        device = type(device).objects.select_for_update().get(pk=device.pk)
        allowed, data = device.verify_is_allowed()
        ok = allowed and device.verify_token(code)
    if not allowed:
        wait = max(
            1,
            int(((data or {}).get("locked_until", timezone.now()) - timezone.now()).total_seconds())
            + 1,
        )
        raise TooSoon(
            Problem(
                AccountError.CODE_TOO_SOON,
                f"Terlalu banyak kode salah. Tunggu {wait} detik lalu coba lagi.",
                f"Too many wrong codes. Wait {wait} seconds and try again.",
                field="code",
                params={"retry_after": wait},
            )
        )
    return ok


def verify_second_factor(*, user: User, code: str) -> Device:
    """The device that accepts `code`: six digits from the app, or a recovery code (used up)."""
    plain = "".join(code.split())
    if plain.isdigit():
        device = selectors.totp_device(user)
        if device is not None and _verify(device, plain):
            return device
        raise _wrong_code()
    codes = RecoveryCodes.objects.filter(user=user).first()
    if codes is None or not codes.verify_token(plain):
        raise _wrong_code()
    _login_audit(
        actor=user,
        action="recovery_code_used",
        user=user,
        after={"left": selectors.recovery_codes_left(user)},
    )
    return codes


def _replace_recovery_codes(user: User) -> list[str]:
    RecoveryCodes.objects.filter(user=user).delete()
    device = RecoveryCodes.objects.create(user=user, name="recovery codes")
    codes = [
        "-".join(raw[i : i + 4] for i in range(0, 16, 4))
        for raw in (
            "".join(secrets.choice(_CODE_ALPHABET) for _ in range(16))
            for _ in range(RECOVERY_CODES)
        )
    ]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, code_hash=RecoveryCode.hash(c)) for c in codes
    )
    return codes


@transaction.atomic
def new_recovery_codes(*, user: User) -> list[str]:
    """A fresh set of recovery codes (the old ones stop working), to show once."""
    codes = _replace_recovery_codes(user)
    _login_audit(actor=user, action="recovery_codes_new", user=user, after={"codes": len(codes)})
    return codes


@transaction.atomic
def reset_second_factor(*, user: User, actor: Actor | None = None) -> int:
    """Removes a user's authenticator and recovery codes (a lost phone): at the next login they
    set up a new one. Sessions verified by the old one are no longer verified. Returns how many
    devices were removed."""
    removed = TOTPDevice.objects.filter(user=user).delete()[1].get(
        TOTPDevice._meta.label, 0
    ) + RecoveryCodes.objects.filter(user=user).delete()[1].get(RecoveryCodes._meta.label, 0)
    audit.record(
        actor=actor,
        action="second_factor_reset",
        target=user,
        region_code=user.scope_id or "",
        before={"devices": removed},
        after={"devices": 0},
    )
    return removed


# Passwords --------------------------------------------------------------------------------


@transaction.atomic
def change_password(*, user: User, password: str) -> None:
    """The user's own new password (already validated by the form)."""
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    _login_audit(actor=user, action="password_change", user=user)


@transaction.atomic
def set_password(*, user: User, password: str | None, actor: Actor | None) -> None:
    """A password an administrator gives (a new account, a forgotten password): the user must
    choose their own at the next login. None leaves the account without a usable password."""
    user.set_password(password)
    user.must_change_password = password is not None
    user.save(update_fields=["password", "must_change_password"])
    _login_audit(actor=actor, action="password_set", user=user)
