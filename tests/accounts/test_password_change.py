"""A password an administrator gives (a new account, a reset) is replaced by the user's own at
the next login, after the second factor and before anything else."""

from __future__ import annotations

import pytest
from django.test import Client

from jaring.accounts.models import AuditEvent, Role, User
from tests.factories import PASIRAN, authenticator, current_code, make_user
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db

GIVEN = "kapal-layar-singkawang-7"
OWN = "perahu-motor-pasiran-42"


def _log_in(user, password: str) -> Client:
    client = Client()
    client.post("/login/", {"username": user.username, "password": password})
    return client


def test_an_account_an_administrator_creates_changes_its_password_first(admin):
    response = client_for(admin).post(
        "/admin/accounts/user/add/",
        {
            "username": "uray",
            "usable_password": "true",
            "password1": GIVEN,
            "password2": GIVEN,
            "role": Role.ENUMERATOR,
            "scope": PASIRAN,
            "_save": "Save",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(username="uray")
    assert user.must_change_password

    authenticator(user)
    client = _log_in(user, GIVEN)
    # The second factor first, then the password: both factors before the password changes.
    assert client.get("/workers/").url.startswith("/account/two-factor/")
    response = client.post(
        "/account/two-factor/", {"code": current_code(user), "next": "/workers/"}
    )
    assert response.url == "/account/password/?next=%2Fworkers%2F"
    assert client.get("/workers/").url == "/account/password/?next=%2Fworkers%2F"
    page = client.get("/account/password/").content.decode()
    assert "Administrator" in page or "administrator" in page
    api = client.get("/api/workers/")
    assert api.status_code == 403
    assert api.json()["errors"][0]["code"] == "password_change_required"

    weak = client.post(
        "/account/password/",
        {"old_password": GIVEN, "new_password1": "password", "new_password2": "password"},
    )
    assert weak.status_code == 200 and User.objects.get(pk=user.pk).must_change_password

    done = client.post(
        "/account/password/",
        {"old_password": GIVEN, "new_password1": OWN, "new_password2": OWN, "next": "/workers/"},
    )
    assert done.url == "/workers/"
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password(OWN)
    # Still logged in (the session follows the new password), and every page opens.
    assert client.get("/workers/").status_code == 200
    assert AuditEvent.objects.filter(action="password_change", actor=user).count() == 1


def test_an_administrators_reset_of_a_password_is_audited_and_forces_a_change(admin):
    viewer = make_user(Role.VIEWER, "61.72")
    response = client_for(admin).post(
        f"/admin/accounts/user/{viewer.pk}/password/",
        {"usable_password": "true", "password1": GIVEN, "password2": GIVEN},
    )
    assert response.status_code == 302
    viewer.refresh_from_db()
    assert viewer.must_change_password and viewer.check_password(GIVEN)
    event = AuditEvent.objects.get(action="password_set")
    assert event.actor == admin and GIVEN not in str(event.before) + str(event.after)
    # A viewer has no second factor: straight to the new password.
    client = _log_in(viewer, GIVEN)
    assert client.get("/workers/").url == "/account/password/?next=%2Fworkers%2F"


def test_a_user_changes_their_own_password_from_the_account_page(viewer):
    client = client_for(viewer)
    assert 'href="/account/password/"' in client.get("/account/").content.decode()
    response = client.post(
        "/account/password/",
        {"old_password": "rahasia-123", "new_password1": OWN, "new_password2": OWN},
    )
    assert response.url == "/workers/"
    viewer.refresh_from_db()
    assert viewer.check_password(OWN)
