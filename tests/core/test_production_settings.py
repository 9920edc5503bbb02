"""Production settings refuse to be insecure: each case loads the settings in a fresh process
with the environment a server would have (no JARING_DEV)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import Client

from jaring.enrolment.cards import public

# `jaring check --deploy` in a subprocess reads the pass's database settings.
pytestmark = pytest.mark.database

# The production environment docs/operations.md prints (with a random key of the right length).
PRODUCTION = {
    "JARING_SECRET_KEY": "k3y-" + "a1b2c3d4e5" * 6,
    "JARING_ALLOWED_HOSTS": "jaring.example.go.id",
    "JARING_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO",
    "JARING_CLIENT_IP_HEADER": "HTTP_X_REAL_IP",
}


def _jaring(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("JARING_") or k in ("JARING_HOME", "JARING_VAR")
    }
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    # The browser tests set it for their live server; a server's environment never has it.
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "-m", "jaring.cli", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "refusal"),
    [
        ({}, "JARING_SECRET_KEY"),
        ({**PRODUCTION, "JARING_SECRET_KEY": "too-short-but-secret"}, "JARING_SECRET_KEY"),
        ({**PRODUCTION, "JARING_ALLOWED_HOSTS": ""}, "JARING_ALLOWED_HOSTS"),
    ],
    ids=["default-key", "short-key", "no-hosts"],
)
def test_the_server_refuses_to_start_with_debug_off_and_an_insecure_setting(env, refusal):
    result = _jaring("check", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and refusal in result.stderr


def test_check_deploy_is_clean_with_the_documented_production_environment():
    result = _jaring("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_client_ip_header_is_read_from_the_environment():
    code = "from django.conf import settings; print(settings.JARING_CLIENT_IP_HEADER)"
    result = _jaring("shell", "-c", code, **PRODUCTION)
    assert result.stdout.split()[-1] == "HTTP_X_REAL_IP", result.stderr


def test_behind_a_fake_proxy_each_visitor_has_their_own_status_check_limit(db, settings):
    settings.JARING_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    client = Client()  # every request comes from the proxy's address, 127.0.0.1

    def ask(serial: int, forwarded: str):
        data = {"nik": f"617202010199{serial:04d}", "birth_date": "1999-01-01"}
        return client.post("/cek/", data, HTTP_X_FORWARDED_FOR=forwarded)

    limit = public.CLIENT_LIMIT[0]
    # A visitor who puts their own addresses first still counts as the address the proxy added.
    for serial in range(1, limit + 1):
        assert ask(serial, f"10.0.0.{serial}, 203.0.113.7").status_code == 200
    assert ask(limit + 1, "10.0.0.99, 203.0.113.7").status_code == 429
    assert ask(limit + 2, "203.0.113.8").status_code == 200


def test_pages_carry_a_content_security_policy(db):
    policy = Client().get("/cek/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "object-src 'none'" in policy
