"""Logging in through the pages, both steps."""

from __future__ import annotations

from tests.factories import current_code


def enter_login_code(page, user) -> None:
    """The step after the password for a role that sees whole NIKs: the code the user's
    authenticator app shows now (set it up beforehand with tests.factories.authenticator)."""
    page.locator("input[name=code]").fill(current_code(user))
    page.locator("main form button[type=submit]").first.click()
