"""Programmes, as a page and an API list: no query per row."""

from __future__ import annotations

import itertools

import pytest

from tests.programs.factories import make_programme
from tests.querycount import assert_flat
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db

_n = itertools.count(1)


def _programme(admin) -> None:
    make_programme(admin, name=f"Perlindungan {next(_n)}")


def test_programmes(admin, api):
    web = client_for(admin)
    assert_flat(lambda: web.get("/programmes/"), lambda: _programme(admin))
    caller = api(admin)
    assert_flat(
        lambda: caller.get("/api/programmes/"),
        lambda: _programme(admin),
        shown=lambda r: len(r.json()),
    )
