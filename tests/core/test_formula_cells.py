"""Text that looks like a formula reaches every spreadsheet Jaring hands out as text."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from jaring.accounts.scope import SYSTEM
from jaring.contributions import documents, services
from jaring.contributions.models import Bill
from jaring.core.cells import xlsx_row
from jaring.core.errors import ValidationFailed
from jaring.registry import services as registry_services
from jaring.registry.models import Worker
from tests.contributions.setup import member, programme

FORMULA = '=HYPERLINK("http://evil.example","Klik")'


def reopened(book: Workbook):
    out = io.BytesIO()
    book.save(out)
    return load_workbook(io.BytesIO(out.getvalue()))


@pytest.mark.parametrize("write_only", [True, False])
def test_a_row_keeps_text_as_text_and_numbers_as_numbers(write_only):
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("s") if write_only else book.active
    sheet.append(xlsx_row(sheet, [FORMULA, 16800, "-5", None, dt.date(2026, 1, 15)]))
    row = next(reopened(book).worksheets[0].iter_rows(values_only=False))
    assert [c.data_type for c in row[:3]] == ["s", "n", "s"]
    assert [c.value for c in row[:4]] == [FORMULA, 16800, "-5", None]


def test_the_registry_refuses_a_name_that_is_a_formula(admin, three_workers):
    with pytest.raises(ValidationFailed) as refused:
        registry_services.update_worker(
            actor=admin, worker=three_workers["own"], changes={"full_name": FORMULA}
        )
    assert [(p.field, p.code) for p in refused.value.problems] == [("full_name", "name_formula")]


@pytest.mark.django_db
def test_a_bill_lists_a_formula_like_name_as_text(admin):
    p = programme(admin)
    m = member(admin, p, dt.date(2026, 2, 1), "fisher")
    # A name stored before the registry refused formulas.
    Worker.objects.filter(pk=m.worker_id).update(full_name=FORMULA)
    services.run_month(actor=SYSTEM, month=dt.date(2026, 2, 1), as_of=dt.date(2026, 2, 1))
    data = documents.bill_xlsx(Bill.objects.get(programme=p))
    names = [c for c in load_workbook(io.BytesIO(data))["Peserta"]["D"]]
    assert names[1].value == FORMULA
    assert names[1].data_type == "s"
