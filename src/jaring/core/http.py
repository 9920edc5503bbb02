"""What a request says about its sender."""

from __future__ import annotations

from django.conf import settings


def client_address(request) -> str:
    """The caller's IP; behind a reverse proxy, the header it sets (JARING_CLIENT_IP_HEADER,
    e.g. HTTP_X_REAL_IP), else every visitor would share one limit. Of a list
    (X-Forwarded-For) the last address counts: the one our proxy added; those before it are
    whatever the client sent, and a client could dodge its limit by varying them. The login
    lock-out (django-axes, AXES_CLIENT_IP_CALLABLE) counts clients by it too."""
    header = settings.JARING_CLIENT_IP_HEADER
    forwarded = request.META.get(header, "") if header else ""
    return forwarded.split(",")[-1].strip() or request.META.get("REMOTE_ADDR", "")
