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
