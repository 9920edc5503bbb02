"""A large commit into a smaller registry builds the worker indexes again after the rows."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from jaring.accounts.models import AuditEvent
from jaring.imports import services
from jaring.imports.models import Status
from jaring.registry import bulk, selectors
from jaring.registry.models import Worker
from jaring.registry.services import snapshot
from tests.factories import make_worker

from .conftest import people_cells, write_csv
from .test_services import upload

pytestmark = pytest.mark.django_db


def worker_indexes() -> list[bulk.Index]:
    with connection.cursor() as cursor:
        return bulk._indexes(cursor, Worker._meta.db_table)


@pytest.fixture
def rebuild_from_one(monkeypatch):
    monkeypatch.setattr(bulk, "REBUILD_FROM", 1)


def test_a_commit_larger_than_the_registry_rebuilds_the_indexes(
    rebuild_from_one, city_officer, tmp_path
):
    before = worker_indexes()
    assert {index.name for index in before} >= {"worker_name", "worker_village_name"}
    if connection.vendor == "postgresql":
        assert "worker_nik_unique" in {index.name for index in before}
    batch = upload(city_officer, write_csv(people_cells(30, seed=31), tmp_path / "a.csv"))
    batch = services.commit_batch(actor=city_officer, batch=batch)
    assert batch.status == Status.COMMITTED and batch.counts["committed_new"] == 30
    assert worker_indexes() == before
    workers = Worker.objects.all()
    assert len(workers) == 30
    assert not AuditEvent.objects.filter(action="create").exists()
    (event,) = AuditEvent.objects.filter(action="import")
    assert (event.target_id, event.actor) == (str(batch.pk), city_officer)
    assert event.after["workers_added"] == 30 and event.after["sha256"] == batch.sha256
    for worker in workers:
        *_, registered = selectors.worker_history(worker)
        assert registered.action == "create" and registered.actor == city_officer
        assert registered.after == snapshot(worker)


def test_a_failed_commit_keeps_the_indexes(rebuild_from_one, city_officer, tmp_path, monkeypatch):
    before = worker_indexes()
    batch = upload(city_officer, write_csv(people_cells(20, seed=32), tmp_path / "a.csv"))
    # A column that cannot be read fails the INSERT after the indexes were dropped.
    monkeypatch.setitem(bulk.STORED, "rt", "no_such_column")
    with pytest.raises(Exception):  # noqa: B017 - whichever error the broken INSERT raises
        services.commit_batch(actor=city_officer, batch=batch)
    assert Worker.objects.count() == 0
    assert worker_indexes() == before
    batch.refresh_from_db()
    assert batch.status == Status.READY


def test_a_load_smaller_than_the_registry_keeps_the_indexes(rebuild_from_one, admin):
    make_worker(admin)
    make_worker(admin)
    with transaction.atomic(), connection.cursor() as cursor:
        with bulk.indexes_built_after(cursor, adding=2) as rebuilt:
            assert not rebuilt
            assert worker_indexes()
        with bulk.indexes_built_after(cursor, adding=3) as rebuilt:
            assert rebuilt
            assert worker_indexes() == []
        assert worker_indexes()


def test_a_nik_twice_in_a_rebuilt_load_fails_the_unique_index_and_rolls_back(
    rebuild_from_one, admin
):
    worker = make_worker(admin)
    before = worker_indexes()
    with (
        pytest.raises(IntegrityError),
        transaction.atomic(),
        connection.cursor() as cursor,
        bulk.indexes_built_after(cursor, adding=2) as rebuilt,
    ):
        assert rebuilt
        twin = Worker.objects.get(pk=worker.pk)
        twin.pk = None
        twin.save()  # on PostgreSQL the unique index is not there to refuse it
    assert list(Worker.objects.values_list("pk", flat=True)) == [worker.pk]
    assert worker_indexes() == before
