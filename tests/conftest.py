import os
import zlib

import pytest
from django.test import Client

from jaring.accounts.models import Role
from jaring.core.errors import DomainError
from tests.factories import (
    PASIRAN,
    PONTIANAK_VILLAGE,
    ROBAN,
    make_user,
    make_worker,
    pass_second_factor,
)


@pytest.fixture
def admin(db):
    return make_user(Role.ADMIN)


@pytest.fixture
def enumerator(db):
    """An enumerator of one village (Pasiran, Singkawang Barat)."""
    return make_user(Role.ENUMERATOR, PASIRAN)


@pytest.fixture
def viewer(db):
    return make_user(Role.VIEWER, "61.72")


@pytest.fixture
def three_workers(admin):
    """One worker in the enumerator's village, one elsewhere in Singkawang, one in Pontianak."""
    return {
        "own": make_worker(admin, PASIRAN, full_name="Siti Aminah", sex="F"),
        "other_district": make_worker(admin, ROBAN, full_name="Ahmad Yani"),
        "other_city": make_worker(admin, PONTIANAK_VILLAGE, full_name="Lim Ah Kiong"),
    }


@pytest.fixture(autouse=True)
def _codes_declare_their_status(monkeypatch):
    """Every refusal a test provokes has a status its code declares, as docs/errors.md says."""
    init = DomainError.__init__

    def checked(self, *problems):
        init(self, *problems)
        for p in problems:
            assert self.status in p.code.statuses, (
                f"{type(p.code).__name__}.{p.code.name} is raised as {self.status}, "
                f"declares {p.code.statuses}"
            )

    monkeypatch.setattr(DomainError, "__init__", checked)


@pytest.fixture(autouse=True)
def _force_login_is_a_complete_login(monkeypatch):
    """`client.force_login(user)` skips the password, and here the second factor too: a test
    of a page starts logged in. The login steps themselves are tested through the login pages
    (tests/accounts/test_second_factor.py, tests/accounts/test_password_change.py)."""
    force_login = Client.force_login

    def complete(self, user, backend=None):
        force_login(self, user, backend)
        pass_second_factor(self, user)

    monkeypatch.setattr(Client, "force_login", complete)


def rerun_data_migrations() -> None:
    """Runs every RunPython operation of the project's migrations again, in migration order."""
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations.special import RunPython

    graph = MigrationLoader(connection).graph
    plan: list[tuple[str, str]] = []
    for leaf in sorted(graph.leaf_nodes()):
        plan += [node for node in graph.forwards_plan(leaf) if node not in plan]
    with connection.schema_editor() as editor:
        for app_label, name in plan:
            if not apps.get_app_config(app_label).name.startswith("jaring."):
                continue
            for op in graph.nodes[(app_label, name)].operations:
                if isinstance(op, RunPython):
                    op.code(apps, editor)


# Whether a transactional test (a live server, the API contract, the browser) has emptied the
# database since the data migrations' rows were last put back.
_flushed = {"yes": False}


def _transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(
        {"live_server", "transactional_db"} & set(request.fixturenames)
        or (marker and marker.kwargs.get("transaction"))
    )


def restore_migration_data() -> None:
    """Puts the data migrations' rows back if a transactional test has emptied the database."""
    if _flushed["yes"]:
        rerun_data_migrations()
        _flushed["yes"] = False


@pytest.fixture(autouse=True)
def _migration_data(request, django_db_blocker):
    """Django empties the database after a transactional test, data migrations (regions,
    occupation categories) included. `serialized_rollback` would restore them but costs ~100 s
    per test here, so the data migrations are run again (a few seconds) before the next test
    of any kind. Not after the last one: the test database is gone by then (dropped before a
    session fixture's teardown would run)."""
    with django_db_blocker.unblock():
        restore_migration_data()
    yield
    if _transactional(request):
        _flushed["yes"] = True


@pytest.fixture(autouse=True)
def _language_of_the_settings():
    """Each test starts in the settings' language: a request in English (its cookie) leaves
    English active in this thread, and a later test's command would answer in it."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


# --- tests that touch no database run in one of the two passes -------------------------------
# `make test` runs the suite once on SQLite and once on PostgreSQL, side by side. A test that
# touches no database (rules, generators, file limits, DuckDB and Spark scoring) proves nothing
# more the second time, so when both passes run (JARING_TESTS_SPLIT=1, set by the Makefile only
# then) each runs its half of them, by a hash of the test's id; the summary says how many.
_DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_setup",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def _touches_database(item) -> bool:
    return bool(
        item.get_closest_marker("django_db")
        or item.get_closest_marker("database")
        or item.get_closest_marker("browser")
        or _DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


def _this_pass() -> str:
    return "postgres" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"


def _pass_of(nodeid: str) -> str:
    return ("sqlite", "postgres")[zlib.crc32(nodeid.encode()) % 2]


def pytest_collection_modifyitems(config, items):
    if os.environ.get("JARING_TESTS_SPLIT") != "1":
        return
    this = _this_pass()
    elsewhere = [i for i in items if not _touches_database(i) and _pass_of(i.nodeid) != this]
    if elsewhere:
        config.hook.pytest_deselected(items=elsewhere)
        skipped = set(elsewhere)
        items[:] = [i for i in items if i not in skipped]
    config.stash[_ELSEWHERE] = len(elsewhere)


_ELSEWHERE = pytest.StashKey[int]()


def pytest_terminal_summary(terminalreporter, config):
    if n := config.stash.get(_ELSEWHERE, 0):
        other = "PostgreSQL" if _this_pass() == "sqlite" else "SQLite"
        terminalreporter.write_line(
            f"{n} tests that touch no database ran in the {other} pass instead "
            "(JARING_TESTS_SPLIT=1, tests/conftest.py)."
        )
