"""Fixture files are generated: synthetic people, spoiled by the error injector, written out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from jaring.accounts.models import Role
from jaring.demo.inject_errors import as_cells
from jaring.demo.synthetic import generate_people, people_frame
from tests.api.conftest import api, bearer  # noqa: F401  (the API fixtures, shared)
from tests.factories import make_user

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def _media_and_tasks(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # The check runs where it is enqueued, so a test sees the finished batch.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def city_officer(db):
    """A programme officer of Kota Singkawang."""
    return make_user(Role.PROGRAMME_OFFICER, "61.72")


def people_cells(n: int, *, seed: int = 0, region: str = "61.72") -> pl.DataFrame:
    return as_cells(people_frame(generate_people(n, seed=seed, region=region, today=TODAY)))


def write_csv(
    cells: pl.DataFrame,
    path: Path,
    *,
    separator: str = ",",
    encoding: str = "utf-8",
    bom: bool = False,
) -> Path:
    text = cells.write_csv(separator=separator)
    data = text.encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def write_xlsx(cells: pl.DataFrame, path: Path, *, title: str | None = None, numbers=()) -> Path:
    """`numbers`: columns written as numeric cells, the way Excel stores typed digits."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=cells.width)
    sheet.append(cells.columns)
    for row in cells.iter_rows():
        sheet.append(
            [
                (int(v) if c in numbers and v and v.isdigit() else v)
                for c, v in zip(cells.columns, row, strict=True)
            ]
        )
    book.save(path)
    return path
