"""`jaring demo` loads Singkawang once, however often it runs."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from jaring.accounts.models import AuditEvent, Role, User
from jaring.demo import services
from jaring.registry.models import Worker

pytestmark = pytest.mark.django_db


def _demo(*args) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_demo_creates_one_user_per_role_and_the_workers_once():
    first = _demo("--workers", "120")
    assert Worker.objects.count() == 120
    assert set(Worker.objects.values_list("regency_code", flat=True)) == {"61.72"}
    assert set(Worker.objects.values_list("source", flat=True)) == {"demo"}
    assert AuditEvent.objects.filter(action="create").count() == 120
    users = {u.username: u for u in User.objects.all()}
    assert {u.role for u in users.values()} == set(Role.values)
    assert users["admin"].scope_id is None and users["admin"].is_superuser
    assert users["enumerator"].scope.level == 4
    assert users["enumerator"].scope_id.startswith("61.72.")
    assert {users[n].scope_id for n in ("officer", "bpjs", "compliance", "viewer")} == {"61.72"}
    for name in users:
        assert authenticate(username=name, password=services.PASSWORD) == users[name]
    assert "http://127.0.0.1:8000/" in first
    assert all(f"  {name} " in first for name in users)

    second = _demo("--workers", "120")
    assert Worker.objects.count() == 120
    assert AuditEvent.objects.filter(action="create").count() == 120
    assert User.objects.count() == len(services.USERS)
    assert "(0 added now)" in second
    assert second.count("existed already") == len(services.USERS)


def test_a_larger_demo_tops_up_the_same_people():
    _demo("--workers", "50")
    before = set(Worker.objects.values_list("nik", flat=True))
    _demo("--workers", "80")
    after = set(Worker.objects.values_list("nik", flat=True))
    assert len(after) == 80
    assert before < after


def test_an_existing_user_keeps_its_password():
    _demo("--workers", "0")
    admin = User.objects.get(username="admin")
    admin.set_password("changed-on-purpose")
    admin.save()
    _demo("--workers", "0")
    assert authenticate(username="admin", password="changed-on-purpose") is not None
