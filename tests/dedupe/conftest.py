import datetime as dt

import polars as pl
import pytest

from jaring.dedupe import linkage
from jaring.dedupe.models import DedupeModel
from jaring.demo.inject_duplicates import inject_duplicates, true_pairs
from jaring.demo.synthetic import generate_people, people_frame
from jaring.registry.bulk import insert_workers
from jaring.registry.models import Worker
from tests.api.conftest import api, bearer  # noqa: F401  (the API fixtures, shared)

TODAY = dt.date(2026, 11, 22)
# Small caps: the tests check behaviour, bench/dedupe_bench.py checks quality at scale.
TEST_LIMITS = linkage.Limits(u_max_pairs=1e6, prior_sample=50_000)


def synthetic(n: int, *, seed: int, registry_safe: bool = False):
    people = people_frame(generate_people(n, seed=seed, today=TODAY))
    frame, truth = inject_duplicates(
        people, rate=0.2, seed=seed, registry_safe=registry_safe, today=TODAY
    )
    return frame.rename({"record_id": "unique_id"}), truth


@pytest.fixture(scope="session")
def population():
    """8,000 people of Singkawang plus about 1,600 injected duplicates, and the truth."""
    return synthetic(8000, seed=11)


@pytest.fixture(scope="session")
def trained(population) -> linkage.TrainedModel:
    frame, _ = population
    return linkage.train(frame, TEST_LIMITS)


def pair_set(pairs: pl.DataFrame) -> set[tuple[int, int]]:
    return {
        (min(a, b), max(a, b)) for a, b in pairs.select("unique_id_l", "unique_id_r").iter_rows()
    }


@pytest.fixture
def saved_model(db, trained):
    return DedupeModel.objects.create(
        record_count=trained.record_count,
        backend="duckdb",
        version=linkage.MODEL_VERSION,
        model=trained.as_dict(),
    )


@pytest.fixture
def registry(db):
    """1,500 Singkawang workers plus ~300 copies with mistyped NIKs; {record id: worker}."""
    frame, truth = synthetic(1500, seed=5, registry_safe=True)
    insert_workers(frame.drop("unique_id"), source="test")
    by_nik = {w.nik: w for w in Worker.objects.all()}
    workers = {uid: by_nik[nik] for uid, nik in frame.select("unique_id", "nik").iter_rows()}
    pairs = {tuple(sorted((workers[a].pk, workers[b].pk))) for a, b in true_pairs(truth)}
    return workers, pairs


@pytest.fixture
def queued(saved_model, registry):
    from jaring.dedupe import services

    services.run_dedupe()
    return registry
