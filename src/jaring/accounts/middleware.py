"""Limits on a logged-in browser session (idle time and lifetime), the steps a login takes
after the password (the second factor, a new password) before any page opens, and the read
audit.

API clients send a token on every request and keep no session, so the session limits do not
apply to them (the API refuses a browser session whose login is not complete:
api.auth.SessionAuth); the read audit does.
"""

from __future__ import annotations

import functools
import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from jaring.accounts import audit, selectors

_LOGIN_AT = "jaring_login_at"
_SEEN_AT = "jaring_seen_at"
# The last-seen time is written at most this often, so a busy page does not save its session
# on every request.
_SEEN_EVERY = 60


def start_session_clock(sender, request, user, **kwargs) -> None:
    """At login (connected to `user_logged_in` in AccountsConfig.ready)."""
    request.session[_LOGIN_AT] = request.session[_SEEN_AT] = int(time.time())


class SessionLimitsMiddleware:
    """Logs out a session idle for JARING_IDLE_MINUTES or older than JARING_SESSION_HOURS.

    Django's cookie age alone cannot do both: every save of the session pushes its expiry on.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            # A session without the times (made before this check existed) counts as expired.
            login_at = request.session.get(_LOGIN_AT, 0)
            seen = request.session.get(_SEEN_AT, 0)
            if (
                now - seen > settings.JARING_IDLE_MINUTES * 60
                or now - login_at > settings.JARING_SESSION_HOURS * 3600
            ):
                logout(request)
                return redirect(f"{reverse('login')}?next={request.path}")
            if now - seen >= _SEEN_EVERY:
                request.session[_SEEN_AT] = now
        return self.get_response(request)


class ReadAuditMiddleware:
    """One `ReadEvent` for each request whose answer showed whole NIKs (`audit.shown_whole`).

    A streamed answer is made after this returns, so it shows nothing here: a streamed export
    records its read itself, before it starts (it knows how many people it sends)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit.collecting_reads() as reads:
            response = self.get_response(request)
        if reads.niks:
            audit.record_read(
                actor=reads.user,
                what=f"{request.method} {request.get_full_path()}",
                records=len(reads.niks),
                niks=reads.niks,
                reason=reads.reason,
            )
        return response


def login_step(view):
    """Marks a view a login may open before it is complete: the steps' own pages, logging out,
    the language switch."""

    @functools.wraps(view)
    def step(*args, **kwargs):
        return view(*args, **kwargs)

    step.login_step = True
    return step


def pending_step(request) -> str | None:
    """The URL name of the next step the session's login must take, or None when complete.

    The second factor comes first (set up at the first login), then the new password, so that
    the password is changed only by someone who passed both factors."""
    user = request.user
    if not user.is_authenticated:
        return None
    if selectors.needs_second_factor(user) and not user.is_verified():
        return "two-factor" if selectors.totp_device(user) else "two-factor-setup"
    if user.must_change_password:
        return "password-change"
    return None


class LoginStepsMiddleware:
    """Sends a session whose login is not complete to its next step, whatever page it asks for.

    Needs django-otp's OTPMiddleware before it (request.user.is_verified)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "login_step", False) or request.path_info.startswith("/api/"):
            return None
        step = pending_step(request)
        if step is None:
            return None
        return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
