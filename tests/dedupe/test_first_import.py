"""A city's first list, into an empty registry: checked within itself by Jaring's default model,
look-alikes left out and hard duplicates found; the count it reports is the pairs it queued."""

import datetime as dt

import polars as pl
import pytest
from django.core.files import File

from jaring.accounts.models import Role
from jaring.dedupe.models import ModelKind, ProbableDuplicate
from jaring.demo.inject_errors import as_cells
from jaring.demo.synthetic import PERSON_SCHEMA
from jaring.imports import services as imports
from jaring.imports.models import ImportRow, Outcome, Status
from jaring.registry.errors import RegistryError
from jaring.rules.errors import RuleCode
from jaring.rules.nik import parse
from tests.factories import make_user
from tests.imports.conftest import write_csv

from . import lookalikes


@pytest.fixture(autouse=True)
def _media_and_tasks(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _cells(records: list[dict]) -> pl.DataFrame:
    people = pl.DataFrame(
        [
            {
                **r,
                "category_code": "trader",
                "has_disability": False,
                "disability_kind": "",
                "declared_income": None,
            }
            for r in records
        ],
        schema=PERSON_SCHEMA,
    )
    return as_cells(people)


@pytest.fixture
def first_import(db, tmp_path):
    officer = make_user(Role.PROGRAMME_OFFICER, "61.72")
    cases = lookalikes.cases()
    records = [r for c in cases for r in (c.a, c.b)]
    path = write_csv(_cells(records), tmp_path / "pertama.csv")
    with path.open("rb") as f:
        batch = imports.create_batch(actor=officer, upload=File(f), name=path.name)
    imports.enqueue(batch)
    batch.refresh_from_db()
    assert batch.status == Status.READY, batch.problems
    return batch, cases


def _pairs(batch) -> set[tuple[int, int]]:
    pairs = ProbableDuplicate.objects.filter(batch_id=batch.pk)
    return {
        tuple(sorted(p))
        for p in pairs.values_list("import_row__row_number", "other_import_row__row_number")
    }


def test_the_first_import_counts_the_pairs_it_queued(first_import):
    batch, _ = first_import
    queued = ProbableDuplicate.objects.filter(batch_id=batch.pk)
    assert batch.counts["probable_duplicates"] == queued.count() > 0
    assert {p.model.kind for p in queued} == {ModelKind.DEFAULT}


def _refused_for(record: dict) -> RegistryError | None:
    """Why the import refuses a record as it stands, of the refusals the cases can meet: a birth
    date the NIK does not hold (an old KTP of another date, a mistyped date part, day and month
    swapped) is sent back to the list's owner, not guessed at; so is a NIK whose district code
    never existed (a typo in the district digits)."""
    parsed = parse(record["nik"], today=dt.date.today())
    if parsed.error is not None and parsed.error.code == RuleCode.DISTRICT_NEVER_EXISTED:
        return RegistryError.NIK_DISTRICT_NEVER_EXISTED
    if parsed.birth_date != record["birth_date"]:
        return RegistryError.BIRTH_DATE_NIK_MISMATCH
    return None


@pytest.mark.parametrize("kind", [c.kind for c in lookalikes.cases()])
def test_each_kind_in_the_first_import(first_import, kind):
    """A pair the import takes is queued if and only if it is one person; a row it refuses is
    rejected with its reason and queued with no one (it never reaches the registry)."""
    batch, cases = first_import
    i = next(i for i, c in enumerate(cases) if c.kind == kind)
    case = cases[i]
    rows = (2 * i + 2, 2 * i + 3)  # the header is row 1
    stored = {r.row_number: r for r in ImportRow.objects.filter(batch=batch, row_number__in=rows)}
    refusals = {
        row: _refused_for(record) for row, record in zip(rows, (case.a, case.b), strict=True)
    }
    for row, refusal in refusals.items():
        if refusal is None:
            assert stored[row].outcome == Outcome.NEW, stored[row].reasons
        else:
            assert stored[row].outcome == Outcome.REJECTED
            assert refusal in {r["code"] for r in stored[row].reasons}
    queued = _pairs(batch)
    if any(refusals.values()):
        assert not any(row in pair for pair in queued for row in rows if refusals[row])
    else:
        assert (rows in queued) == case.same_person
