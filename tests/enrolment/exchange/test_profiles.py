"""Export profiles: BPJS's collective layout out and back, a branch's own profile, bad ones."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest

from jaring.core.errors import ValidationFailed
from jaring.enrolment.exchange import profiles, submission
from jaring.enrolment.exchange.response import ACCEPTED, REJECTED, UNANSWERED, read_response
from tests.enrolment.exchange.test_formats import row

KOLEKTIF = (
    "NO",
    "NIK",
    "NO KPJ",
    "NAMA LENGKAP",
    "TEMPAT LAHIR",
    "TANGGAL LAHIR",
    "JENIS KELAMIN",
    "STATUS PERKAWINAN",
    "ALAMAT",
    "KELURAHAN",
    "KECAMATAN",
    "KOTA/KAB",
    "PROVINSI",
    "KODE POS",
    "NO HP",
    "EMAIL",
    "NAMA IBU KANDUNG",
    "TGL MULAI",
    "UPAH/PENGHASILAN",
    "JKK",
    "JKM",
    "JHT",
)


def full_row(**overrides):
    return row(
        place_of_birth="Singkawang",
        marital_status="married",
        street="Jl. Diponegoro 5, RT 001/RW 002",
        village="Pasiran",
        district="Singkawang Barat",
        city="Kota Singkawang",
        province="Kalimantan Barat",
        postal_code="79123",
        phone="081234567890",
        email="siti@example.id",
        mother_maiden_name="Fatimah",
        **overrides,
    )


def written(rows, fmt: str, name: str = "bpjs-kolektif") -> bytes:
    out = io.BytesIO()
    submission.write(rows, out, fmt, profiles.get(name))
    return out.getvalue()


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_shipped_profiles_read_without_problems():
    assert {"jaring", "bpjs-kolektif"} <= set(profiles.names())
    assert profiles.get("jaring").headers == submission.COLUMNS
    assert profiles.get("bpjs-kolektif").headers == KOLEKTIF


def test_kolektif_csv_in_bpjs_words_codes_and_dates():
    rows = [full_row(), row(nik="6172020101900002", sex="M", start_date=None)]
    header, first, second = csv_rows(written(rows, "csv"))
    assert tuple(header) == KOLEKTIF
    cell = dict(zip(header, first, strict=True))
    assert cell["NO"] == "1" and second[0] == "2"
    assert cell["NIK"] == "6172021708850001" and cell["NO KPJ"] == ""
    assert cell["TANGGAL LAHIR"] == "17-08-1985" and cell["TGL MULAI"] == "01-02-2026"
    assert cell["JENIS KELAMIN"] == "P" and second[6] == "L"
    assert cell["STATUS PERKAWINAN"] == "KAWIN" and second[7] == ""
    assert (cell["JKK"], cell["JKM"], cell["JHT"]) == ("Y", "Y", "N")
    assert cell["ALAMAT"] == "Jl. Diponegoro 5, RT 001/RW 002"
    assert (cell["KELURAHAN"], cell["KOTA/KAB"], cell["KODE POS"]) == (
        "Pasiran",
        "Kota Singkawang",
        "79123",
    )
    assert cell["NAMA IBU KANDUNG"] == "Fatimah" and cell["UPAH/PENGHASILAN"] == "1000000"


def test_kolektif_xlsx_has_its_sheet_text_nik_and_dd_mm_yyyy_date_cells():
    ws = openpyxl.load_workbook(io.BytesIO(written([full_row()], "xlsx")))["Data Peserta"]
    assert tuple(c.value for c in ws[1]) == KOLEKTIF
    assert ws.cell(2, 2).data_type == "s" and ws.cell(2, 2).value == "6172021708850001"
    born = ws.cell(2, 6)
    assert born.value.date() == dt.date(1985, 8, 17) and born.number_format == "dd-mm-yyyy"
    assert ws.cell(2, 19).value == 1_000_000


def _filled(data: bytes, answers: dict[str, tuple[str, str]]) -> bytes:
    """The kolektif sheet as the branch sends it back: NO KPJ, and KETERANGAN added."""
    header, *lines = csv_rows(data)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*header, "KETERANGAN"])
    for line in lines:
        kpj, reason = answers[line[1]]
        line[2] = kpj
        writer.writerow([*line, reason])
    return out.getvalue().encode()


def test_the_kolektif_sheet_comes_back_as_a_response():
    rows = [full_row(), row(nik="6172020101900002"), row(nik="6172020101900003")]
    data = _filled(
        written(rows, "csv"),
        {
            "6172021708850001": ("23012345678", ""),
            "6172020101900002": ("", "NIK tidak terdaftar di Dukcapil"),
            "6172020101900003": ("", ""),
        },
    )
    parsed = read_response(data, "balasan.csv", profiles.get("bpjs-kolektif"))
    assert [(r.nik, r.status, r.kpj, r.reason) for r in parsed] == [
        ("6172021708850001", ACCEPTED, "23012345678", ""),
        ("6172020101900002", REJECTED, "", "NIK tidak terdaftar di Dukcapil"),
        ("6172020101900003", UNANSWERED, "", ""),
    ]
    assert parsed[0].start_date == dt.date(2026, 2, 1)  # TGL MULAI, dd-mm-yyyy


def test_a_missing_column_is_named_once_in_the_profiles_words():
    text = "NO;NIK;NAMA LENGKAP\n" + "".join(f"{i};617202170885{i:04d};X\n" for i in range(50))
    with pytest.raises(ValidationFailed) as exc:
        read_response(text.encode(), "r.csv", profiles.get("bpjs-kolektif"))
    (problem,) = exc.value.problems
    assert problem.code == "columns_missing" and problem.params["columns"] == ["NO KPJ"]
    assert "NO KPJ" in problem.message_en


GOOD = """
title_id = "Cabang Singkawang"
date_format = "dd/mm/yyyy"

[codes.sex]
M = "1"
F = "2"

[[columns]]
header = "NIK"
field = "nik"

[[columns]]
header = "No. KPJ"
field = "kpj"

[[columns]]
header = "Status"
field = "status"

[[columns]]
header = "Jenis Kelamin"
field = "sex"

[[columns]]
header = "Segmen"
value = "BPU"
"""


def test_an_administrator_adds_a_branch_profile_without_code(settings, tmp_path):
    settings.JARING_EXPORT_PROFILES_DIR = tmp_path
    (tmp_path / "cabang-skw.toml").write_text(GOOD)
    assert "cabang-skw" in profiles.names()
    out = io.BytesIO()
    submission.write([row()], out, "csv", profiles.get("cabang-skw"))
    assert csv_rows(out.getvalue()) == [
        ["NIK", "No. KPJ", "Status", "Jenis Kelamin", "Segmen"],
        ["6172021708850001", "", "", "2", "BPU"],
    ]


@pytest.mark.parametrize(
    ("change", "where", "code_word"),
    [
        (('field = "sex"', 'field = "gender"'), "profile.columns.4", "gender"),
        (('header = "Status"', 'header = "no kpj"'), "profile.columns.3", "No. KPJ"),
        (('value = "BPU"', 'value = "BPU"\ncolour = "red"'), "profile.columns.5", "colour"),
        (('M = "1"', ""), "profile.codes.sex", "M, F"),
        (('date_format = "dd/mm/yyyy"', 'date_format = "mm/dd/yy"'), "profile.date_format", ""),
        (('header = "NIK"\nfield = "nik"', 'header = "NIK"\nvalue = "x"'), "profile.columns", ""),
    ],
    ids=["unknown-field", "duplicate-header", "unknown-key", "codes", "date", "no-nik"],
)
def test_a_bad_profile_is_refused_with_the_column_and_the_reason(change, where, code_word):
    with pytest.raises(ValidationFailed) as exc:
        profiles.parse(GOOD.replace(*change), "bad")
    (problem,) = exc.value.problems
    assert problem.code == "profile_invalid" and problem.field == where
    assert code_word in problem.message_en


def test_every_problem_of_a_profile_at_once():
    bad = GOOD.replace('field = "sex"', 'field = "gender"').replace(
        'header = "Status"', 'header = "NIK "'
    )
    with pytest.raises(ValidationFailed) as exc:
        profiles.parse(bad, "bad")
    assert [p.field for p in exc.value.problems] == ["profile.columns.4", "profile.columns.3"]


def test_an_unknown_profile_names_the_known_ones():
    with pytest.raises(ValidationFailed) as exc:
        profiles.get("bpjs-cabang-x")
    assert exc.value.problems[0].code == "profile_unknown"
    assert "bpjs-kolektif" in exc.value.problems[0].message_en
