"""A new officer's first login in a real browser, in both languages: the password an
administrator gave, the authenticator set up from the QR code's key, the recovery codes, their
own password; the next login asks for the code; the officer unlocks a clerk's login.

With JARING_SCREENSHOTS=<dir> each page is saved at laptop and phone width
(docs/screenshots/login-*.png are these)."""

from __future__ import annotations

import os
import re
from base64 import b32decode

import pytest
from django.test import Client
from django_otp.oath import totp

from jaring.accounts.models import Role
from tests.factories import PASIRAN, current_code, make_user

# Playwright's sync API runs an event loop in this thread; the ORM calls here are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = os.environ.get("JARING_SCREENSHOTS", "")
GIVEN = "kapal-layar-singkawang-7"
OWN = "perahu-motor-pasiran-42"
HEADINGS = {
    "id": {
        "setup": "Pasang kode login",
        "codes": "Kode pemulihan",
        "password": "Ganti kata sandi",
        "code": "Kode login",
        "workers": "Pekerja",
        "locked": "Login terkunci",
    },
    "en": {
        "setup": "Set up the login code",
        "codes": "Recovery codes",
        "password": "Change password",
        "code": "Login code",
        "workers": "Workers",
        "locked": "Locked logins",
    },
}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def shot(page, name: str) -> None:
    if not SCREENSHOTS:
        return
    size = page.viewport_size
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}-phone.png"), full_page=True)
    page.set_viewport_size(size)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_first_login_second_factor_and_unlock(page, live_server, settings, lang):
    from playwright.sync_api import expect

    settings.AXES_FAILURE_LIMIT = 3
    heading = HEADINGS[lang]
    officer = make_user(
        Role.PROGRAMME_OFFICER,
        "61.72",
        username="rina",
        password=GIVEN,
        first_name="Rina",
        last_name="Wulandari",
        must_change_password=True,  # as an administrator's new account
    )
    clerk = make_user(Role.ENUMERATOR, PASIRAN, username="uray", first_name="Uray")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        # From another address than the browser's: the address is locked out too.
        Client().post("/login/", {"username": "uray", "password": "salah"}, REMOTE_ADDR="10.9.9.9")
    base = live_server.url
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": base}])

    def log_in(password: str) -> None:
        page.goto(f"{base}/login/")
        page.locator("input[name=username]").fill("rina")
        page.locator("input[name=password]").fill(password)
        page.locator("main form button[type=submit]").click()

    # 1. The password, then the authenticator: its key from the page, as an app reads the QR.
    log_in(GIVEN)
    expect(page.get_by_role("heading", name=heading["setup"])).to_be_visible()
    expect(page.locator(".qr svg")).to_be_visible()
    expect(page.locator(".nav")).to_have_count(0)  # nothing else opens yet
    key = re.sub(r"\s", "", page.locator("[data-key]").inner_text())
    shot(page, f"login-setup-{lang}")
    page.locator("input[name=code]").fill(f"{totp(b32decode(key)):06d}")
    page.locator("main form button[type=submit]").first.click()

    # 2. The recovery codes, shown once.
    expect(page.get_by_role("heading", name=heading["codes"])).to_be_visible()
    expect(page.locator("[data-recovery-codes] li")).to_have_count(10)
    shot(page, f"login-recovery-codes-{lang}")
    page.locator("main a.btn-primary").click()

    # 3. The password the administrator gave is replaced before anything else.
    expect(page.get_by_role("heading", name=heading["password"])).to_be_visible()
    shot(page, f"login-password-{lang}")
    page.locator("input[name=old_password]").fill(GIVEN)
    page.locator("input[name=new_password1]").fill(OWN)
    page.locator("input[name=new_password2]").fill(OWN)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", name=heading["workers"], exact=True)).to_be_visible()

    # 4. The next login asks for the code.
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": base}])
    log_in(OWN)
    expect(page.get_by_role("heading", name=heading["code"])).to_be_visible()
    shot(page, f"login-code-{lang}")
    page.locator("input[name=code]").fill(current_code(officer))
    page.locator("main form button[type=submit]").first.click()
    expect(page.get_by_role("heading", name=heading["workers"], exact=True)).to_be_visible()

    # 5. The officer's account page, and the clerk locked out by wrong passwords.
    page.locator(".who-name").click()
    shot(page, f"login-account-{lang}")
    page.goto(f"{base}/account/locked/")
    expect(page.get_by_role("heading", name=heading["locked"])).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(1)
    shot(page, f"login-locked-{lang}")
    page.locator("tbody button[type=submit]").click()
    expect(page.locator(".message-success")).to_contain_text("uray")
    expect(page.locator("tbody tr")).to_have_count(0)
    unlocked = Client().post(
        "/login/", {"username": clerk.username, "password": "rahasia-123"}, REMOTE_ADDR="10.9.9.8"
    )
    assert unlocked.status_code == 302
