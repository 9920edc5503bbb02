"""Import batches and the rows of one batch, as pages and API lists: no query per row."""

from __future__ import annotations

import itertools

import pytest
from django.forms.models import model_to_dict

from jaring.imports.models import ImportRow
from tests.imports.conftest import people_cells, write_csv
from tests.imports.test_services import upload
from tests.querycount import assert_flat
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db

_seed = itertools.count(1)


@pytest.fixture
def batch_of(city_officer, tmp_path):
    """`batch_of()`: a checked upload of a list of two people, each upload another file."""

    def make():
        seed = next(_seed)
        return upload(city_officer, write_csv(people_cells(2, seed=seed), tmp_path / f"{seed}.csv"))

    return make


def test_batches(city_officer, batch_of, api):
    web = client_for(city_officer)
    assert_flat(lambda: web.get("/imports/"), batch_of)
    caller = api(city_officer)
    assert_flat(lambda: caller.get("/api/imports/"), batch_of, shown=lambda r: len(r.json()))


def test_rows_of_a_batch(city_officer, batch_of, api):
    batch = batch_of()
    first, last = batch.rows.order_by("row_number")[0], batch.rows.order_by("row_number").last()
    numbers = itertools.count(last.row_number + 1)

    def another_row():
        fields = model_to_dict(first, exclude=["id", "batch", "row_number"])
        ImportRow.objects.create(batch=batch, row_number=next(numbers), **fields)

    web = client_for(city_officer)
    assert_flat(lambda: web.get(f"/imports/{batch.pk}/"), another_row)
    caller = api(city_officer)
    assert_flat(
        lambda: caller.get(f"/api/imports/{batch.pk}/rows"),
        another_row,
        shown=lambda r: r.json()["count"],
    )
