"""Who is calling the API: a bearer token (scripts, integrations) or a browser session (the docs).

Both leave the user in `request.auth` and `request.user`, so routers read either.

The second factor: a session counts only once its login is complete (password, then the code
from the authenticator app). A token is not a password: an administrator issues it on the server
(`jaring token create`), it is 256 random bits kept by a program, never typed into a login form,
and nothing exchanges a password for one; so the API has no path on which a password alone
suffices (docs/operations.md, Accounts).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from jaring.accounts.errors import AccountError
from jaring.accounts.middleware import pending_step
from jaring.accounts.models import User
from jaring.accounts.services import use_token
from jaring.core.errors import CoreError, PermissionDenied, Problem

_SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
_INCOMPLETE = {
    "two-factor": Problem(
        AccountError.SECOND_FACTOR_REQUIRED,
        "Login belum selesai: masukkan kode dari aplikasi autentikator di halaman login.",
        "Login not complete: enter the code from the authenticator app on the login page.",
    ),
    "password-change": Problem(
        AccountError.PASSWORD_CHANGE_REQUIRED,
        "Login belum selesai: ganti kata sandi yang diberikan administrator.",
        "Login not complete: change the password an administrator gave you.",
    ),
}
_INCOMPLETE["two-factor-setup"] = _INCOMPLETE["two-factor"]


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = use_token(key=token.strip())
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """Django's login session, with Django's CSRF check for requests that change data.

    Ninja's own SessionAuth checks CSRF before it knows whether anyone is logged in, which would
    answer a script with a wrong token "403 CSRF" instead of "401"; this one checks only sessions.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        # `csrf=True` also tells the interactive docs to send the CSRF token with each request.
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> User | None:
        if request.headers.get("Authorization"):
            # A caller that sent a token is judged by that token alone.
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if step := pending_step(request):
            # A password alone does not open the API: the session must have passed the second
            # factor (and chosen its own password), as for every page.
            raise PermissionDenied(_INCOMPLETE[step])
        if request.method not in _SAFE_METHODS and check_csrf(request) is not None:
            raise PermissionDenied(
                Problem(
                    CoreError.CSRF_FAILED,
                    "Pemeriksaan CSRF gagal: muat ulang halaman lalu coba lagi.",
                    "CSRF check failed: reload the page and try again.",
                )
            )
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        return self(request)
