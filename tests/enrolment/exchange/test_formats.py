"""The BPJS batch and response files, without a database: written, read back, refused."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest

from jaring.core.errors import Conflict, ValidationFailed
from jaring.enrolment.exchange import submission
from jaring.enrolment.exchange.response import ACCEPTED, REJECTED, UNANSWERED, read_response
from jaring.enrolment.exchange.submission import COLUMNS, SubmissionRow
from jaring.enrolment.exchange.table import read_table


def row(**overrides) -> SubmissionRow:
    fields = {
        "batch": "JRG-7-0001",
        "nik": "6172021708850001",
        "name": "Siti Aminah",
        "birth_date": dt.date(1985, 8, 17),
        "sex": "F",
        "address": "Jl. Diponegoro 5, RT 001/RW 002, Pasiran, Singkawang Barat",
        "occupation": "Nelayan",
        "income_base": 1_000_000,
        "programmes": ("JKK", "JKM"),
        "start_date": dt.date(2026, 2, 1),
        "months": 5,
        "participation_code": "SG",
    }
    fields.update(overrides)
    return SubmissionRow(**fields)


def written(rows, file_format: str) -> bytes:
    out = io.BytesIO()
    submission.write(rows, out, file_format)
    return out.getvalue()


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_batch_file_reads_back_with_every_documented_column(file_format):
    rows = [row(), row(nik="6172020101900002", name="Ahmad Yani", sex="M", start_date=None)]
    table = read_table(written(rows, file_format), f"batch.{file_format}")
    assert table.columns == COLUMNS
    first, second = (cells for _, cells in table.rows)
    assert [line for line, _ in table.rows] == [2, 3]
    assert first["nik"] == "6172021708850001"  # all 16 digits, never 6.17E+15
    assert first["sex"] == "P" and second["sex"] == "L"
    assert first["programmes"] == "JKK+JKM"
    assert first["income_base"] == "1000000" and first["months"] == "5"
    assert first["start_date"] == "2026-02-01"
    assert first["birth_date"] == "1985-08-17"
    assert second["start_date"] == ""
    assert first["kpj"] == first["status"] == first["reason"] == ""


def test_xlsx_keeps_nik_as_text_and_dates_as_dates():
    wb = openpyxl.load_workbook(io.BytesIO(written([row()], "xlsx")))
    ws = wb.active
    nik_cell, birth_cell = ws.cell(2, 2), ws.cell(2, 4)
    assert nik_cell.data_type == "s" and nik_cell.value == "6172021708850001"
    assert birth_cell.value.date() == dt.date(1985, 8, 17)
    assert ws.cell(2, 8).value == 1_000_000


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_cells_a_spreadsheet_would_run_are_escaped(file_format, start):
    data = written([row(name=f'{start}HYPERLINK("http://x")', address=f"{start}1+1")], file_format)
    if file_format == "xlsx":
        ws = openpyxl.load_workbook(io.BytesIO(data)).active
        name, address = ws.cell(2, 3), ws.cell(2, 6)
        assert name.data_type == "s" and address.data_type == "s"
        values = [name.value, address.value]
    else:
        values = next(
            [r["name"], r["address"]] for r in csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
        )
    assert all(v.startswith("'" + start) for v in values)


def test_a_row_survives_its_json_snapshot():
    for r in (row(), row(start_date=None, programmes=("JKK", "JKM", "JHT"))):
        assert SubmissionRow.from_json(r.as_json()) == r


def _filled(rows: list[SubmissionRow], answers: dict[str, tuple[str, str, str]], fmt: str) -> bytes:
    """The exported file as the branch sends it back: kpj, status and reason filled in."""
    data = written(rows, fmt)
    if fmt == "csv":
        lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        for line in lines[1:]:
            line[12:15] = answers[line[1]]
        out = io.StringIO()
        csv.writer(out).writerows(lines)
        return out.getvalue().encode()
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.active
    for r in range(2, ws.max_row + 1):
        for offset, value in enumerate(answers[ws.cell(r, 2).value]):
            ws.cell(r, 13 + offset).value = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_exported_file_filled_in_by_the_branch_is_a_response(fmt):
    rows = [row(), row(nik="6172020101900002"), row(nik="6172020101900003")]
    answers = {
        "6172021708850001": ("23012345678", "Diterima", ""),
        "6172020101900002": ("", "ditolak", "NIK tidak terdaftar di Dukcapil"),
        "6172020101900003": ("", "", ""),
    }
    parsed = read_response(_filled(rows, answers, fmt), f"jawaban.{fmt}")
    assert [(r.line, r.nik, r.status, r.kpj, r.reason) for r in parsed] == [
        (2, "6172021708850001", ACCEPTED, "23012345678", ""),
        (3, "6172020101900002", REJECTED, "", "NIK tidak terdaftar di Dukcapil"),
        (4, "6172020101900003", UNANSWERED, "", ""),
    ]
    assert parsed[0].batch == "JRG-7-0001"
    assert parsed[0].start_date == dt.date(2026, 2, 1)


def test_branch_own_layout_with_indonesian_headers_semicolons_and_dates():
    text = (
        "No. NIK;No KPJ;Hasil;Alasan;Tgl Mulai\n"
        "6172021708850001;23012345678;DITERIMA;;01/03/2026\n"
        "6172020101900002;;ditolak;Data ganda;\n"
    )
    parsed = read_response(text.encode("cp1252"), "balasan.csv")
    assert parsed[0].status == ACCEPTED and parsed[0].start_date == dt.date(2026, 3, 1)
    assert parsed[1].reason == "Data ganda" and parsed[1].batch == ""


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_file_without_a_name_is_recognised_by_its_content(fmt):
    data = written([row()], fmt)
    assert read_table(data, "upload").rows[0][1]["nik"] == "6172021708850001"


def test_numbers_typed_as_numbers_in_excel_keep_their_digits():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["nik", "kpj", "status"])
    ws.append([6172021708850001, 23012345678, "accepted"])
    out = io.BytesIO()
    wb.save(out)
    (parsed,) = read_response(out.getvalue(), "r.xlsx")
    assert (parsed.nik, parsed.kpj) == ("6172021708850001", "23012345678")


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def test_missing_columns_refuse_the_file():
    with pytest.raises(ValidationFailed) as exc:
        read_response(_csv("nik,status", "6172021708850001,accepted"), "r.csv")
    assert exc.value.problems[0].code == "columns_missing"
    assert exc.value.problems[0].params["columns"] == ["kpj"]


def test_every_bad_row_is_listed_at_once():
    data = _csv(
        "nik,kpj,status,reason,start_date",
        "61720217088500,23012345678,accepted,,",
        "6172020101900002,,accepted,,",
        "6172020101900003,,rejected,,",
        "6172020101900004,23012345679,maybe,,",
        "6172020101900005,23012345670,accepted,,31/02/2026",
    )
    with pytest.raises(ValidationFailed) as exc:
        read_response(data, "r.csv")
    found = [(p.params["row"], p.code) for p in exc.value.problems]
    assert found == [
        (2, "nik_invalid"),
        (3, "kpj_missing"),
        (4, "reason_missing"),
        (5, "status_unknown"),
        (6, "date_invalid"),
    ]
    assert exc.value.problems[0].message_en.startswith("Row 2, column nik:")


def test_a_kpj_given_twice_in_the_file_is_a_conflict():
    data = _csv(
        "nik,kpj,status",
        "6172021708850001,23012345678,accepted",
        "6172020101900002,23012345678,accepted",
    )
    with pytest.raises(Conflict) as exc:
        read_response(data, "r.csv")
    assert exc.value.problems[0].code == "kpj_repeated"
    assert exc.value.problems[0].params["rows"] == [2, 3]


def test_a_nik_answered_twice_is_refused():
    data = _csv("nik,kpj,status", "6172021708850001,1,accepted", "6172021708850001,2,accepted")
    with pytest.raises(ValidationFailed) as exc:
        read_response(data, "r.csv")
    assert [p.code for p in exc.value.problems] == ["nik_repeated"]


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"\x00\x01garbage", "r.xlsx", "file_not_spreadsheet"),
        (b"nik,kpj,status\n", "r.pdf", "file_unreadable"),
    ],
)
def test_unreadable_or_empty_files_are_refused(data, name, code):
    with pytest.raises(ValidationFailed) as exc:
        read_response(data, name)
    assert exc.value.problems[0].code == code


def test_a_file_with_a_header_only_is_empty():
    with pytest.raises(ValidationFailed) as exc:
        read_response(_csv("nik,kpj,status"), "r.csv")
    assert exc.value.problems[0].code == "file_no_rows"
