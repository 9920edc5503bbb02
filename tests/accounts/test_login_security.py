"""Accounts (OWASP ASVS level 2): weak passwords refused, lock-out and unlock, session limits."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from jaring.accounts import middleware
from jaring.accounts.models import AuditEvent, Role
from tests.factories import make_user

PASSWORD = "rahasia-123"


@pytest.mark.parametrize(
    "weak",
    [
        "password",
        "12345678",
        "aaaaaaaa",
        "aaaaaaaaaaaaaa",
        "abcdefghijklm",
        "987654321098",
        "short",
    ],
)
def test_a_weak_password_is_refused(weak):
    with pytest.raises(ValidationError):
        validate_password(weak)


@pytest.mark.parametrize(
    "breached", ["iloveyou1234", "cristianoronaldo", "qwerasdf1234", "bismillah123"]
)
def test_a_long_password_from_the_breach_list_is_refused(breached):
    # Long enough, not in Django's list of 20,000: refused by the shipped breach list.
    with pytest.raises(ValidationError) as exc:
        validate_password(breached)
    assert [e.code for e in exc.value.error_list] == ["password_too_common"]


def test_a_strong_password_passes():
    validate_password("kapal-layar-singkawang-7")


def _login(client: Client, username: str, password: str, address: str = "10.1.1.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_account_until_an_administrator_unlocks_it(db, settings):
    user = make_user(Role.VIEWER, "61.72")
    client = Client()
    for i in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, user.username, "salah", f"10.2.0.{i}").status_code == 200
    # The last failure comes from yet another address: the account is what is counted.
    assert _login(client, user.username, "salah", "10.2.0.99").status_code == 429
    assert _login(client, user.username, PASSWORD, "10.2.1.1").status_code == 429

    call_command("unlock", user.username)
    assert _login(client, user.username, PASSWORD, "10.2.1.1").status_code == 302
    assert AuditEvent.objects.filter(action="login_unlock", target_id=str(user.pk)).exists()


def test_one_client_trying_many_accounts_is_locked_out(db, settings):
    users = [make_user(Role.VIEWER, "61.72") for _ in range(settings.AXES_FAILURE_LIMIT)]
    client = Client()
    for user in users:
        _login(client, user.username, "salah", "10.3.0.1")
    fresh = make_user(Role.VIEWER, "61.72")
    assert _login(client, fresh.username, PASSWORD, "10.3.0.1").status_code == 429
    assert _login(Client(), fresh.username, PASSWORD, "10.3.0.2").status_code == 302


def test_the_right_password_resets_the_count(db, settings):
    user = make_user(Role.VIEWER, "61.72")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(Client(), user.username, "salah")
    assert _login(Client(), user.username, PASSWORD).status_code == 302
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(Client(), user.username, "salah")
    assert _login(Client(), user.username, PASSWORD).status_code == 302


_START = time.time()


def _later(monkeypatch, seconds: int) -> None:
    """The clock the session limits read, `seconds` after the test's login."""
    monkeypatch.setattr(middleware.time, "time", lambda: _START + seconds)


def test_an_idle_session_expires(viewer, monkeypatch, settings):
    client = Client()
    _later(monkeypatch, 0)
    client.force_login(viewer)
    assert client.get("/workers/").status_code == 200
    _later(monkeypatch, settings.JARING_IDLE_MINUTES * 60 + 1)
    response = client.get("/workers/")
    assert response.status_code == 302 and response.url.startswith("/login/")
    assert client.get("/workers/").status_code == 302  # logged out for good


def test_a_busy_session_still_ends_after_its_lifetime(viewer, monkeypatch, settings):
    client = Client()
    _later(monkeypatch, 0)
    client.force_login(viewer)
    step = settings.JARING_IDLE_MINUTES * 60 - 5
    for n in range(1, settings.JARING_SESSION_HOURS * 3600 // step + 1):
        _later(monkeypatch, n * step)
        assert client.get("/workers/").status_code == 200
    _later(monkeypatch, settings.JARING_SESSION_HOURS * 3600 + 1)
    assert client.get("/workers/").status_code == 302
