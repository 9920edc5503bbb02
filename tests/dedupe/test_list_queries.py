"""The review queue, as a page and an API list: no query per pair, whatever its records."""

from __future__ import annotations

import itertools

import pytest

from jaring.accounts.models import Role
from jaring.dedupe.models import ProbableDuplicate
from jaring.imports.models import ImportBatch, ImportRow
from tests.factories import PASIRAN, make_user, make_worker
from tests.querycount import assert_flat
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db

_n = itertools.count(1)


@pytest.fixture
def officer(db):
    return make_user(Role.PROGRAMME_OFFICER, "61.72")


@pytest.fixture
def pair_of(admin, officer):
    """`pair_of()`: a pending pair of a worker and another worker, then of a worker and an
    import row, in turn, both records in Pasiran."""
    batch = ImportBatch.objects.create(
        original_name="list.csv",
        file_format="csv",
        sha256="0" * 64,
        size=1,
        region_code="61.72",
        created_by=officer,
    )

    def make():
        n = next(_n)
        worker = make_worker(admin, PASIRAN, full_name=f"Pekerja {n}")
        place = {
            "province_code": "61",
            "regency_code": "61.72",
            "district_code": PASIRAN[:8],
            "village_id": PASIRAN,
        }
        if n % 2:
            other = make_worker(admin, PASIRAN, full_name=f"Pekerja {n}b")
            kind = {"other_worker": other}
        else:
            row = ImportRow.objects.create(
                batch=batch, row_number=n, outcome="new", nik="x", village_code=PASIRAN
            )
            kind = {"import_row": row, "batch_id": batch.pk}
        ProbableDuplicate.objects.create(
            worker=worker,
            nik_pair=f"{worker.nik}-{n}",
            match_probability=0.95,
            match_weight=8.0,
            **kind,
            **place,
        )

    return make


def test_queue(officer, pair_of, api):
    web = client_for(officer)
    assert_flat(lambda: web.get("/duplicates/"), pair_of)
    caller = api(officer)
    assert_flat(lambda: caller.get("/api/duplicates/"), pair_of, shown=lambda r: r.json()["count"])
