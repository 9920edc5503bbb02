"""`jaring demo` loads Singkawang (base workers, users, the 2025 programme) once, however often
it runs; `--scenario` loads one programme without the base city."""

from base64 import b32decode
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import Client, RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from jaring.accounts.models import AuditEvent, Role, User
from jaring.agents.models import Agent, AgentCredit
from jaring.demo import services
from jaring.demo.scenarios import SCENARIOS, loader
from jaring.enrolment.models import Membership
from jaring.programs.models import Programme
from jaring.registry.models import Worker

pytestmark = pytest.mark.django_db

SCALE = "0.02"
SINGKAWANG = SCENARIOS["singkawang-2025"]
# 2 % of 7,737 + 767 (rounded per group, as the loader does).
SCENARIO_WORKERS = sum(sum(q.values()) for _, _, q in loader.scaled(SINGKAWANG, float(SCALE)))


def _login_request():
    """The login lock-out (django-axes) counts attempts per client: a login needs a request."""
    return RequestFactory().post("/login/", REMOTE_ADDR="127.0.0.1")


def _demo(*args) -> str:
    out = StringIO()
    call_command("demo", *args, "--scale", SCALE, stdout=out)
    return out.getvalue()


def _counts() -> dict:
    return {
        "base": Worker.objects.filter(source=services.SOURCE).count(),
        "scenario": Worker.objects.filter(source=f"demo:{SINGKAWANG.key}").count(),
        "all": Worker.objects.count(),
        "created": AuditEvent.objects.filter(action="create").count(),
        "members": Membership.objects.count(),
        "programmes": Programme.objects.count(),
        "users": sorted(User.objects.values_list("username", "role", "scope_id")),
    }


def test_demo_loads_the_city_and_singkawang_2025_once():
    assert SCENARIO_WORKERS == 155 + 15
    first = _demo("--workers", "120")
    counts = _counts()
    base = len(services.population(120).records)  # 120 people and some listed twice
    assert base > 120
    assert counts["base"] == base and counts["scenario"] == SCENARIO_WORKERS
    assert counts["all"] == base + SCENARIO_WORKERS
    assert set(Worker.objects.values_list("regency_code", flat=True)) == {"61.72"}
    assert counts["created"] == counts["all"]  # one audit event per worker, base and scenario
    programme = Programme.objects.get()
    assert (programme.region_id, programme.name) == ("61.72", SINGKAWANG.programme_name)
    assert counts["members"] == SCENARIO_WORKERS
    assert set(Membership.objects.values_list("worker__source", flat=True)) == {
        f"demo:{SINGKAWANG.key}"
    }
    # Counted after the programme is loaded: the base city's workers and the programme's.
    everyone = base + SCENARIO_WORKERS
    assert f"Workers in Kota Singkawang: {everyone} ({everyone} added now)." in first
    assert "Probable duplicates waiting in the queue: " in first
    assert f"singkawang-2025:\n  {SINGKAWANG.programme_name} (APBD Kota Singkawang 2025)" in first
    assert "pekerja rentan: 155 × 5 months × Rp16.800 = Rp13.020.000" in first
    assert "coverage 2025-12: 27.00 %" in first

    users = {u.username: u for u in User.objects.all()}
    # Every role, the Perisai agent's login with its agent record, credited some of the
    # scenario's members who pay cash to an agent.
    roles = set(Role.values)
    assert {u.role for u in users.values()} == roles
    assert len(users) == len(services.USERS) == len(roles)
    assert users["admin"].scope_id is None and users["admin"].is_superuser
    assert users["enumerator"].scope.level == 4
    assert users["enumerator"].scope_id.startswith("61.72.")
    assert {users[n].scope_id for n in ("officer", "bpjs", "compliance", "viewer", "agent")} == {
        "61.72"
    }
    agent = Agent.objects.get(user=users["agent"])
    assert agent.area_id == "61.72" and agent.status == "active"
    assert AgentCredit.objects.filter(agent=agent).exists()
    assert Agent.objects.filter(area_id="61.72").count() == 3  # the scenario's 3, the login one
    for name in users:
        assert (
            authenticate(_login_request(), username=name, password=services.PASSWORD) == users[name]
        )
    assert "http://127.0.0.1:8000/" in first
    assert all(f"  {name} " in first for name in users)
    assert "existed already" not in first

    second = _demo("--workers", "120")
    assert _counts() == counts
    assert f"Workers in Kota Singkawang: {everyone} (0 added now)." in second
    assert "Probable duplicates" not in second  # nothing new to check
    assert "singkawang-2025: already loaded." in second
    assert second.count("existed already") == len(services.USERS)


def test_a_larger_demo_tops_up_the_same_people():
    _demo("--workers", "50")
    before = set(Worker.objects.filter(source=services.SOURCE).values_list("nik", flat=True))
    _demo("--workers", "80")
    after = set(Worker.objects.filter(source=services.SOURCE).values_list("nik", flat=True))
    assert before == set(services.population(50).records["nik"])
    assert after == before | set(services.population(80).records["nik"])
    # The same households, and more: who is listed twice is drawn anew.
    assert len(before & set(services.population(80).records["nik"])) >= 45
    assert Worker.objects.filter(source=f"demo:{SINGKAWANG.key}").count() == SCENARIO_WORKERS


def test_an_existing_user_keeps_its_password():
    _demo("--workers", "0")
    admin = User.objects.get(username="admin")
    admin.set_password("changed-on-purpose")
    admin.save()
    _demo("--workers", "0")
    assert (
        authenticate(_login_request(), username="admin", password="changed-on-purpose") is not None
    )


def test_a_named_scenario_loads_that_programme_and_the_users_but_not_the_base_city():
    out = _demo("--scenario", "bontang-2023", "--workers", "500")
    assert "Workers in Kota Singkawang" not in out
    workers = sum(sum(q.values()) for _, _, q in loader.scaled(SCENARIOS["bontang-2023"], 0.02))
    assert f"Workers in Kota Bontang: {workers} ({workers} added now)." in out
    assert "bontang-2023:\n  Perlindungan Pekerja Rentan 2023 (Perwali Bontang" in out
    # The published year's money beside Jaring's: the claims do not shrink with the scale.
    assert "2023, Jaring's money report (published): claims paid 2 (2), benefits paid " in out
    assert "Rp120.000.000 (Rp120.000.000)" in out
    assert set(Worker.objects.values_list("source", flat=True)) == {"demo:bontang-2023"}
    assert set(Worker.objects.values_list("regency_code", flat=True)) == {"64.74"}
    assert Programme.objects.get().region_id == "64.74"
    assert User.objects.count() == len(services.USERS)


def test_demo_users_pass_the_second_factor_with_the_printed_key():
    out = _demo("--workers", "10")
    secret = services.TOTP_SECRET
    assert " ".join(secret[i : i + 4] for i in range(0, 32, 4)) in out
    code = StringIO()
    call_command("demo", "--code", stdout=code)
    client = Client()
    client.post("/login/", {"username": "officer", "password": services.PASSWORD})
    assert client.get("/workers/").url.startswith("/account/two-factor/")
    response = client.post(
        "/account/two-factor/", {"code": code.getvalue().split()[0], "next": "/workers/"}
    )
    assert response.url == "/workers/" and client.get("/workers/").status_code == 200
    # The viewer sees NIKs masked and has no second factor.
    assert not TOTPDevice.objects.filter(user__username="viewer").exists()
    assert TOTPDevice.objects.filter(user__role=Role.ADMIN).get().key == b32decode(secret).hex()
