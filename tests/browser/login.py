"""Logging in through the pages, both steps."""

from __future__ import annotations

import re

from tests.factories import current_code


def enter_login_code(page, user) -> None:
    """The step after the password for a role that sees whole NIKs: the code the user's
    authenticator app shows now (set it up beforehand with tests.factories.authenticator)."""
    page.locator("input[name=code]").fill(current_code(user))
    page.locator("main form button[type=submit]").first.click()
    # Until the next page: a test going on at once would cut the code's POST short.
    page.wait_for_url(re.compile(r"^(?!.*/account/two-factor/)"))
