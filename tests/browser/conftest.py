"""Browser tests drive Debian's Chromium through Playwright.

Where Chromium (or Playwright) is missing they are skipped with a printed reason, except with
CI=true, where a missing browser fails the run: CI must really run them.

`live_server` needs a transactional database, which Django empties after each test; the root
conftest puts the data migrations' rows back (tests/conftest.py, `_migration_data`).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("JARING_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    return None


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


_SKIP_MESSAGE = pytest.StashKey[str]()


def pytest_collection_modifyitems(config, items):
    browser_items = [i for i in items if i.get_closest_marker("browser")]
    reason = _missing()
    if not browser_items or reason is None or _in_ci():
        return
    message = f"SKIPPING {len(browser_items)} browser test(s): {reason}"
    config.stash[_SKIP_MESSAGE] = message
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter:
        reporter.write_line(message, yellow=True, bold=True)
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=message))


def pytest_terminal_summary(terminalreporter, config):
    # Said again at the end, where nobody can miss it.
    if _SKIP_MESSAGE in config.stash:
        terminalreporter.write_line(config.stash[_SKIP_MESSAGE], yellow=True, bold=True)


# Package scope, not session: while Playwright's event loop runs in this thread, Django keeps
# its connections per context (asgiref's thread-critical Local sees a running loop), apart from
# the connection pytest-django closes before it drops the test database. A session-long
# Playwright left such a connection open at the end ("database is being accessed by other
# users" on PostgreSQL); stopping it with this package returns later tests to the usual one.
@pytest.fixture(scope="package")
def browser():
    reason = _missing()
    if reason:
        pytest.fail(f"CI=true and the browser tests cannot run: {reason}", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="id-ID")
    context.set_default_timeout(15_000)
    page = context.new_page()
    # Every page a browser test opens must work under the Content-Security-Policy.
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    yield page
    context.close()
    assert not violations, violations
