"""Finding a claim by the worker's NIK (as typed), KPJ or the start of their name."""

from __future__ import annotations

import datetime as dt

import pytest

from jaring.claims import selectors
from tests.claims.setup import register
from tests.contributions.setup import member, programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(admin):
    m = member(admin, programme(admin), dt.date(2026, 2, 1), full_name="José Kurniawan")
    return register(admin, m)


@pytest.mark.parametrize("q", ["jose", "JOSÉ  kurn", "Jose Kurniawan"])
def test_a_name_is_found_the_way_the_worker_search_finds_it(admin, claim, q):
    found = selectors.search_claims(admin, selectors.ClaimFilter(q=q))
    assert list(found) == [claim]


def test_an_nik_with_spaces_and_the_kpj_find_the_claim(admin, claim):
    nik = claim.worker.nik
    spaced = f"{nik[:6]} {nik[6:12]} {nik[12:]}"
    for q in (spaced, claim.membership.kpj):
        assert list(selectors.search_claims(admin, selectors.ClaimFilter(q=q))) == [claim]
    assert not selectors.search_claims(admin, selectors.ClaimFilter(q="budi")).exists()
