"""Fixtures every claims test module shares: stored documents in a temporary folder, a member."""

import datetime as dt

import pytest

# The API callers of tests/api, for the claims routes.
from tests.api.conftest import api, bearer  # noqa: F401
from tests.contributions.setup import member, programme


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def fisher(admin):
    """Covered 1 Feb 2026 – 30 Jun 2026 (5 months), income base Rp1,000,000."""
    return member(admin, programme(admin), dt.date(2026, 2, 1), full_name="Budi Santoso")
