"""The second factor (TOTP, django-otp) for every role that sees whole NIKs: set up at the
first login, asked after the password, recovery codes, the administrator's reset; no page and
no API call opens on the password alone."""

from __future__ import annotations

import re
from base64 import b32decode
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from jaring.accounts import selectors, services
from jaring.accounts.models import AuditEvent, RecoveryCode, Role
from jaring.accounts.services import create_token
from tests.factories import PASIRAN, authenticator, current_code, make_user
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db

PASSWORD = "rahasia-123"
FULL_NIK_ROLES = [r for r in Role.values if r not in (Role.VIEWER, Role.AGENT)]


@pytest.fixture
def officer(db):
    """A programme officer of Kota Singkawang."""
    return make_user(Role.PROGRAMME_OFFICER, "61.72")


def _password(client: Client, user, next_page: str = "/workers/"):
    return client.post(
        f"/login/?next={next_page}", {"username": user.username, "password": PASSWORD}
    )


def _code(client: Client, code: str, next_page: str = "/workers/"):
    return client.post("/account/two-factor/", {"code": code, "next": next_page})


def _events(user, action: str) -> int:
    return AuditEvent.objects.filter(action=action, target_id=str(user.pk)).count()


@pytest.mark.parametrize("role", FULL_NIK_ROLES)
def test_every_role_that_sees_whole_niks_needs_the_second_factor(role):
    user = make_user(role, "61.72" if role != Role.ENUMERATOR else PASIRAN)
    assert selectors.needs_second_factor(user)


def test_a_viewer_logs_in_with_the_password_alone(viewer):
    client = Client()
    assert _password(client, viewer).url == "/workers/"
    assert client.get("/workers/").status_code == 200


def test_the_first_login_sets_up_the_app_and_shows_recovery_codes_once(officer, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the wrong code below would make the right one wait
    client = Client()
    assert _password(client, officer).url == "/workers/"
    response = client.get("/workers/")
    assert response.url == "/account/two-factor/setup/?next=%2Fworkers%2F"

    page = client.get(response.url).content.decode()
    assert "<svg" in page  # the QR code, drawn in the page (no image request, no CSP exception)
    key = "".join(re.search(r"data-key>(.*?)</p>", page).group(1).split("</span>"))
    key = re.sub(r"<[^>]+>|\s", "", key)
    device = TOTPDevice.objects.get(user=officer)
    assert not device.confirmed and b32decode(key) == device.bin_key
    # Reloading shows the same key: the one already scanned stays valid.
    assert key in re.sub(r"<[^>]+>|\s", "", client.get(response.url).content.decode())

    wrong = client.post("/account/two-factor/setup/", {"code": "000000", "next": "/workers/"})
    assert "salah" in wrong.content.decode()
    assert client.get("/workers/").status_code == 302

    done = client.post(
        "/account/two-factor/setup/", {"code": f"{totp(b32decode(key)):06d}", "next": "/workers/"}
    )
    codes = re.findall(r"<li>([A-Z2-9]{4}(?:-[A-Z2-9]{4}){3})</li>", done.content.decode())
    assert len(codes) == services.RECOVERY_CODES == len(set(codes))
    assert client.get("/workers/").status_code == 200
    assert _events(officer, "second_factor_enrol") == 1
    # Only hashes are kept, and the audit holds no secret.
    stored = set(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert not stored & set(codes) and stored == {RecoveryCode.hash(c) for c in codes}
    event = AuditEvent.objects.get(action="second_factor_enrol")
    assert key not in str(event.after) and device.key not in str(event.after)
    # Set up once: the set-up page now leads on instead of making another key.
    assert client.get("/account/two-factor/setup/").status_code == 302
    assert TOTPDevice.objects.filter(user=officer).count() == 1


def test_no_page_opens_on_the_password_alone(officer, admin):
    authenticator(officer)
    authenticator(admin)
    for user, pages in (
        (officer, ["/workers/", "/workers/export.csv", "/programmes/", "/account/"]),
        (admin, ["/admin/", "/admin/accounts/user/"]),
    ):
        client = Client()
        _password(client, user)
        for page in pages:
            response = client.get(page)
            assert response.status_code == 302, page
            assert response.url.startswith("/account/two-factor/?next="), page
        # Logging out and the language switch still work.
        assert client.post("/i18n/setlang/", {"language": "en", "next": "/login/"}).url
        assert client.post("/logout/").url == "/login/"


def test_the_api_refuses_a_session_without_the_second_factor(officer):
    authenticator(officer)
    client = Client()
    _password(client, officer)
    response = client.get("/api/workers/")
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "second_factor_required"
    _code(client, current_code(officer))
    assert client.get("/api/workers/").status_code == 200


def test_a_token_is_not_a_password_and_works_without_a_session(officer):
    # Issued on the server by an administrator: nothing exchanges a password for one.
    _, key = create_token(user=officer, name="tablet")
    response = Client().get("/api/workers/", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200


def test_a_wrong_code_is_refused_and_the_next_try_must_wait(officer):
    authenticator(officer)
    client = Client()
    _password(client, officer)
    wrong = _code(client, "000000" if current_code(officer) != "000000" else "111111")
    assert wrong.status_code == 200 and "Kode salah" in wrong.content.decode()
    # django-otp's throttle: after a failure the next code waits, even the right one.
    again = _code(client, current_code(officer))
    assert again.status_code == 200 and "Tunggu" in again.content.decode()
    assert client.get("/workers/").status_code == 302


def test_a_code_works_once(officer):
    authenticator(officer)
    code = current_code(officer)
    first, second = Client(), Client()
    _password(first, officer)
    assert _code(first, code).url == "/workers/"
    _password(second, officer)
    assert "Kode salah" in _code(second, code).content.decode()


def test_the_next_page_stays_on_the_site(officer):
    authenticator(officer)
    client = Client()
    _password(client, officer)
    assert _code(client, current_code(officer), "https://evil.example/").url == "/workers/"


def test_a_recovery_code_logs_in_once_and_new_ones_replace_the_old(officer):
    authenticator(officer)
    codes = services.new_recovery_codes(user=officer)
    client = Client()
    _password(client, officer)
    response = _code(client, codes[0].lower().replace("-", " "))
    assert response.url == "/workers/"
    assert selectors.recovery_codes_left(officer) == len(codes) - 1
    assert _events(officer, "recovery_code_used") == 1

    again = Client()
    _password(again, officer)
    assert "Kode salah" in _code(again, codes[0]).content.decode()

    # The account page makes a new set; the old codes stop working.
    page = client.post("/account/recovery-codes/").content.decode()
    new = re.findall(r"<li>([A-Z2-9]{4}(?:-[A-Z2-9]{4}){3})</li>", page)
    assert len(new) == services.RECOVERY_CODES and not set(new) & set(codes)
    assert "Kode salah" in _code(again, codes[1]).content.decode()
    assert _code(again, new[0]).url == "/workers/"
    assert _events(officer, "recovery_codes_new") == 2


def test_the_account_page_counts_the_codes_left(officer):
    authenticator(officer)
    services.new_recovery_codes(user=officer)
    body = client_for(officer).get("/account/").content.decode()
    assert "10" in body and 'action="/account/recovery-codes/"' in body


def test_the_cli_reset_makes_the_user_set_up_again(officer):
    authenticator(officer)
    services.new_recovery_codes(user=officer)
    client = client_for(officer)
    assert client.get("/workers/").status_code == 200
    out = StringIO()
    call_command("otp", "reset", officer.username, stdout=out)
    assert "2 device(s) removed" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert selectors.recovery_codes_left(officer) == 0
    # The session verified by the old app is not verified any more.
    assert client.get("/workers/").url.startswith("/account/two-factor/setup/")
    event = AuditEvent.objects.get(action="second_factor_reset")
    assert event.actor is None and event.before == {"devices": 2}


def test_the_admin_action_resets_and_is_audited(admin, officer):
    authenticator(officer)
    response = client_for(admin).post(
        "/admin/accounts/user/",
        {"action": "reset_second_factors", "_selected_action": [officer.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert AuditEvent.objects.get(action="second_factor_reset").actor == admin


def test_the_admin_never_shows_an_authenticator_key(admin, officer):
    device = authenticator(officer)
    client = client_for(admin)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert device.key not in client.get(f"/admin/accounts/user/{officer.pk}/change/").text


def test_the_cli_refuses_an_unknown_user(db):
    with pytest.raises(Exception, match="no user 'nobody'"):
        call_command("otp", "reset", "nobody")
