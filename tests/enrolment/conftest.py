"""The city's programme officer, their programme and two verified members, for every module."""

from __future__ import annotations

import pytest

from jaring.accounts.models import Role
from tests.api.conftest import api, bearer  # noqa: F401  (the API fixtures, shared)
from tests.enrolment.exchange_setup import verified_members
from tests.factories import PASIRAN, ROBAN, make_user, make_worker
from tests.programs.factories import make_programme


@pytest.fixture
def officer(db):
    return make_user(Role.PROGRAMME_OFFICER, "61.72")


@pytest.fixture
def programme(officer):
    return make_programme(officer)


@pytest.fixture
def members(officer, programme):
    """Citra in Pasiran and Dewi in Roban, verified."""
    workers = [
        make_worker(officer, PASIRAN, full_name="Citra"),
        make_worker(officer, ROBAN, full_name="Dewi", sex="F"),
    ]
    return verified_members(officer, programme, workers)
