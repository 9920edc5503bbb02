"""Each kind of look-alike stays out of the queue and each kind of hard duplicate gets in, with
Jaring's default model (a city's first import) and with one trained on the registry."""

import polars as pl
import pytest

from jaring.dedupe import linkage
from jaring.demo.synthetic import generate_people, people_frame

from . import lookalikes
from .conftest import TEST_LIMITS, TODAY, pair_set


@pytest.fixture(scope="module")
def people() -> pl.DataFrame:
    background = people_frame(generate_people(3000, seed=21, today=TODAY)).with_row_index(
        "unique_id"
    )
    cases, _ = lookalikes.frame()
    return pl.concat(
        [background.select(cases.columns).cast(cases.schema), cases], how="vertical_relaxed"
    )


@pytest.fixture(scope="module", params=["default", "trained"])
def model(request, people) -> linkage.TrainedModel:
    if request.param == "default":
        return linkage.default_model()
    return linkage.train(people, TEST_LIMITS)


@pytest.fixture(scope="module")
def found(people, model) -> set[tuple[int, int]]:
    pairs = linkage.score_registry(
        people, model, threshold=linkage.DEFAULT_THRESHOLD, limits=TEST_LIMITS
    )
    return pair_set(pairs)


@pytest.mark.parametrize("case", lookalikes.cases(), ids=lambda c: c.kind)
def test_each_kind(case, found):
    _, by_pair = lookalikes.frame()
    ids = next(p for p, c in by_pair.items() if c.kind == case.kind)
    assert (ids in found) == case.same_person
