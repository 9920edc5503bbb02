"""Writes to accounts: API tokens (created, used, revoked), login lock-outs lifted."""

from __future__ import annotations

import datetime as dt
import secrets

from axes.utils import reset as reset_login_failures
from django.db import transaction
from django.utils import timezone

from jaring.accounts import audit
from jaring.accounts.errors import AccountError
from jaring.accounts.models import ApiToken, User
from jaring.core.errors import CoreError, Problem, ValidationFailed

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
