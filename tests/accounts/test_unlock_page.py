"""The officer-facing unlock: a programme officer (or an administrator) sees the logins of
their region locked by wrong passwords and lifts the lock, audited; nobody else's."""

from __future__ import annotations

import pytest
from django.test import Client

from jaring.accounts import middleware
from jaring.accounts.models import AuditEvent, Role
from tests.factories import PASIRAN, PONTIANAK_VILLAGE, make_user
from tests.querycount import assert_flat
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db

PASSWORD = "rahasia-123"
URL = "/account/locked/"
_addresses = iter(range(1, 10_000))


def _lock(user, settings) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post(
            "/login/",
            {"username": user.username, "password": "salah"},
            REMOTE_ADDR=f"10.5.{next(_addresses) // 250}.{next(_addresses) % 250}",
        )


def _can_log_in(user) -> bool:
    response = Client().post(
        "/login/", {"username": user.username, "password": PASSWORD}, REMOTE_ADDR="10.6.0.1"
    )
    return response.status_code == 302


@pytest.fixture
def officer(db):
    return make_user(Role.PROGRAMME_OFFICER, "61.72", username="rina")


def test_an_officer_sees_and_unlocks_the_locked_logins_of_their_city(officer, settings):
    clerk = make_user(Role.ENUMERATOR, PASIRAN, username="uray")
    elsewhere = make_user(Role.ENUMERATOR, PONTIANAK_VILLAGE, username="lim")
    city_admin = make_user(Role.ADMIN, "61.72", username="admin-skw")
    fine = make_user(Role.VIEWER, "61.72", username="bong")
    for user in (clerk, elsewhere, city_admin):
        _lock(user, settings)
    assert not _can_log_in(clerk)

    client = client_for(officer)
    page = client.get(URL).content.decode()
    assert "uray" in page
    # Another city's users, and administrators (an administrator unlocks those), are not shown.
    assert "lim" not in page and "admin-skw" not in page and fine.username not in page

    response = client.post(URL, {"username": "uray"})
    assert response.url == URL
    assert 'value="uray"' not in client.get(URL).content.decode()
    assert _can_log_in(clerk)
    event = AuditEvent.objects.get(action="login_unlock")
    assert (event.actor, event.target_id) == (officer, str(clerk.pk))

    # Naming someone outside is refused as if they did not exist, and unlocks nothing.
    client.post(URL, {"username": "lim"})
    client.post(URL, {"username": "admin-skw"})
    assert not _can_log_in(elsewhere) and not _can_log_in(city_admin)
    assert AuditEvent.objects.filter(action="login_unlock").count() == 1


def test_an_administrator_unlocks_administrators_of_their_region(settings):
    national = make_user(Role.ADMIN)
    city_admin = make_user(Role.ADMIN, "61.72", username="admin-skw")
    _lock(city_admin, settings)
    client = client_for(national)
    assert "admin-skw" in client.get(URL).content.decode()
    client.post(URL, {"username": "admin-skw"})
    assert _can_log_in(city_admin)


@pytest.mark.parametrize(
    "role", [Role.ENUMERATOR, Role.BPJS_OFFICER, Role.COMPLIANCE_OFFICER, Role.VIEWER]
)
def test_other_roles_may_not_unlock(role, settings):
    clerk = make_user(Role.ENUMERATOR, PASIRAN, username="uray")
    _lock(clerk, settings)
    client = client_for(make_user(role, "61.72"))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"username": "uray"}).status_code == 403
    assert not _can_log_in(clerk)
    assert 'href="/account/locked/"' not in client.get("/account/").content.decode()


def test_the_list_makes_as_many_queries_for_many_locked_users(officer, settings, monkeypatch):
    # Locking users takes a while on a busy machine: no once-a-minute save of the session's
    # last-seen time in the middle of the count.
    monkeypatch.setattr(middleware, "_SEEN_EVERY", 24 * 3600)
    client = client_for(officer)

    def lock_one():
        _lock(make_user(Role.ENUMERATOR, PASIRAN), settings)

    assert_flat(lambda: client.get(URL), lock_one, more=3)
