import datetime as dt

import polars as pl
import pytest

from jaring.dedupe import linkage
from jaring.demo.inject_duplicates import inject_duplicates
from jaring.demo.synthetic import generate_people, people_frame

TODAY = dt.date(2026, 11, 22)
# Small caps: the tests check behaviour, bench/dedupe_bench.py checks quality at scale.
TEST_LIMITS = linkage.Limits(u_max_pairs=1e6, em_max_pairs=5e5, prior_sample=50_000)


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
