"""Registries with little to learn from still train (u by random sampling needs no pairs)."""

from __future__ import annotations

import polars as pl
import pytest
from django.core.files.base import ContentFile

from jaring.accounts.models import Role
from jaring.dedupe import linkage
from jaring.imports import services as import_services
from jaring.imports.models import Status
from jaring.registry.bulk import insert_workers
from tests.dedupe.conftest import TEST_LIMITS, synthetic
from tests.factories import make_user
from tests.imports.conftest import people_cells


def unique_phones(frame: pl.DataFrame) -> pl.DataFrame:
    """No two records share a phone number, as in a registry typed from ID cards only."""
    return frame.with_columns(
        phone=pl.format("+628{}", pl.int_range(pl.len()).cast(pl.String).str.zfill(9))
    )


def test_a_registry_without_shared_phones_trains():
    frame, _ = synthetic(1200, seed=3)
    model = linkage.train(unique_phones(frame), TEST_LIMITS)
    assert model.record_count == len(frame)
    assert model.matches_per_record > 0
    compared = [c["output_column_name"] for c in model.splink["comparisons"]]
    assert compared == ["name", "birth_date", "place", "nik", "household", "sex"]


def test_a_registry_with_no_phones_and_one_village_trains():
    frame, _ = synthetic(1200, seed=3)
    bare = frame.with_columns(
        phone=pl.lit(None, pl.String),
        address=pl.lit(None, pl.String),
        village_code=pl.lit("61.72.02.1001"),
    )
    model = linkage.train(bare, TEST_LIMITS)
    assert 0 < model.matches_per_record < 1


@pytest.mark.django_db
def test_an_import_into_such_a_registry_finishes(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    officer = make_user(Role.PROGRAMME_OFFICER, "61.72")
    frame, _ = synthetic(1200, seed=4, registry_safe=True)
    insert_workers(unique_phones(frame).drop("unique_id"), source="test")
    data = people_cells(40, seed=77).write_csv().encode()
    batch = import_services.create_batch(
        actor=officer, upload=ContentFile(data), name="baru.csv", region_code="61.72"
    )
    batch = import_services.check_batch(batch_id=batch.pk)
    assert batch.status == Status.READY
    assert batch.counts["rows"] == 40
