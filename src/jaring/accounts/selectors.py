"""Reads of accounts: whether a login needs a second factor, and whose logins are locked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from jaring.accounts.models import RecoveryCode, Role, User
from jaring.accounts.permissions import LOGINS, PERSONAL_DATA
from jaring.accounts.scope import Actor, scope_q


def needs_second_factor(user: User) -> bool:
    """Every role that sees whole NIKs logs in with a code from an authenticator app too."""
    return PERSONAL_DATA.may(user, "see")


def totp_device(user: User, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(device__user=user).count()


@dataclass(frozen=True, slots=True)
class Locked:
    user: User
    failures: int
    until: dt.datetime


def _lockout() -> dt.timedelta:
    return dt.timedelta(hours=settings.AXES_COOLOFF_TIME)


def unlockable(actor: Actor):
    """The users whose lock-out `actor` may lift: those of their region; administrators only
    by an administrator."""
    if not LOGINS.may(actor, "unlock"):
        return User.objects.none()
    users = User.objects.filter(scope_q(actor, field="scope__code"))
    return users if actor.role == Role.ADMIN else users.exclude(role=Role.ADMIN)


def locked_out(actor: Actor) -> list[Locked]:
    """The accounts locked by wrong passwords (django-axes counts them per account) that
    `actor` may unlock, the latest first."""
    attempts = {
        row["username"]: row
        for row in AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - _lockout())
        .values("username")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
    }
    if not attempts:
        return []
    users = unlockable(actor).filter(username__in=attempts).select_related("scope")
    found = [
        Locked(u, attempts[u.username]["failures"], attempts[u.username]["last"] + _lockout())
        for u in users
    ]
    return sorted(found, key=lambda locked: locked.until, reverse=True)
