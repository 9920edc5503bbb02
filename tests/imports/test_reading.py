"""Every file shape an officer sends, and every bad file, read or refused with a clear reason."""

from __future__ import annotations

import random
import struct
import zipfile

import openpyxl
import polars as pl
import pytest
import xlwt

from jaring.core import spreadsheets
from jaring.core.errors import ValidationFailed
from jaring.imports.columns import guess_mapping, score

from .compound_files import write_compound
from .conftest import TODAY, people_cells, write_csv, write_xlsx


def read(path, **kw):
    """As an import reads a list: the header row found by the import's column names."""
    return spreadsheets.read(path, score=score, **kw)


def codes(exc: pytest.ExceptionInfo) -> list[str]:
    return [p.code for p in exc.value.problems]


@pytest.mark.parametrize(
    ("separator", "encoding", "bom"),
    [(",", "utf-8", False), (",", "utf-8", True), (";", "utf-8", False), (";", "cp1252", False)],
)
def test_csv_encodings_and_separators(tmp_path, separator, encoding, bom):
    cells = people_cells(20).with_columns(pl.lit("Ségolène Çağ").alias("Nama Lengkap"))
    if encoding == "cp1252":
        cells = cells.with_columns(pl.lit("Séverine Zoë").alias("Nama Lengkap"))
    path = write_csv(cells, tmp_path / "list.csv", separator=separator, encoding=encoding, bom=bom)
    sheet = read(path)
    assert sheet.file_format == "csv"
    assert sheet.headers == cells.columns  # no BOM glued to the first header
    assert sheet.frame.height == 20
    assert sheet.frame["NIK"].to_list() == cells["NIK"].to_list()
    assert sheet.frame["Nama Lengkap"][0] == cells["Nama Lengkap"][0]


def test_xlsx_with_title_block_and_merged_header(tmp_path):
    cells = people_cells(5)
    path = write_xlsx(cells, tmp_path / "list.xlsx", title="DAFTAR PEKERJA RENTAN KOTA SINGKAWANG")
    sheet = read(path)
    assert sheet.file_format == "xlsx"
    assert sheet.header_row == 2
    assert sheet.headers == cells.columns
    assert sheet.frame["NIK"].to_list() == cells["NIK"].to_list()


def test_header_cell_merged_over_two_columns(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["NIK", "Nama", "Alamat", None, "Kelurahan", "Pekerjaan"])
    ws.merge_cells("C1:D1")
    ws.append(["6172021708850001", "Budi", "Jl. Niaga", "No. 3", "Pasiran", "Nelayan"])
    book.save(tmp_path / "merged.xlsx")
    sheet = read(tmp_path / "merged.xlsx")
    assert sheet.headers == ["NIK", "Nama", "Alamat", "Kolom D", "Kelurahan", "Pekerjaan"]
    assert guess_mapping(sheet.headers)["address"] == "Alamat"


def test_xls(tmp_path):
    cells = people_cells(5)
    book = xlwt.Workbook()
    ws = book.add_sheet("Data")
    for c, header in enumerate(cells.columns):
        ws.write(0, c, header)
    for r, row in enumerate(cells.iter_rows(), start=1):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    book.save(str(tmp_path / "old.xls"))
    sheet = read(tmp_path / "old.xls")
    assert sheet.file_format == "xls"
    assert sheet.frame["NIK"].to_list() == cells["NIK"].to_list()


def test_header_variants_are_recognised():
    headers = ["No.", "No. KTP", "Nama", "Tgl Lahir", "JK", "Desa", "Kec.", "RT/RW", "No HP"]
    headers += ["Pekerjaan", "Disabilitas", "Alasan Penolakan"]
    assert guess_mapping(headers) == {
        "nik": "No. KTP",
        "full_name": "Nama",
        "birth_date": "Tgl Lahir",
        "sex": "JK",
        "village": "Desa",
        "district": "Kec.",
        "rt_rw": "RT/RW",
        "phone": "No HP",
        "category": "Pekerjaan",
        "disability": "Disabilitas",
    }


def test_empty_file(tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(ValidationFailed) as exc:
        read(tmp_path / "empty.csv")
    assert codes(exc) == ["file_empty"]


def test_headers_only(tmp_path):
    (tmp_path / "h.csv").write_text("NIK,Nama\n")
    with pytest.raises(ValidationFailed) as exc:
        read(tmp_path / "h.csv")
    assert codes(exc) == ["file_no_rows"]


@pytest.mark.parametrize(
    "content",
    [b"\x89PNG\r\n\x1a\n" + bytes(200), b"%PDF-1.7\n" + bytes(100), bytes(range(256)) * 4],
)
def test_not_a_spreadsheet(tmp_path, content):
    (tmp_path / "photo.xlsx").write_bytes(content)
    with pytest.raises(ValidationFailed) as exc:
        read(tmp_path / "photo.xlsx")
    assert codes(exc) == ["file_not_spreadsheet"]


def test_word_document_is_not_a_spreadsheet(tmp_path):
    with zipfile.ZipFile(tmp_path / "letter.xlsx", "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ValidationFailed) as exc:
        read(tmp_path / "letter.xlsx")
    assert codes(exc) == ["file_not_spreadsheet"]


@pytest.mark.parametrize(
    ("shift", "package_bytes"),
    [(9, 4096), (9, 9 << 20), (12, 5 << 20)],
    ids=["small", "directory-after-9-mb", "4096-byte-sectors-after-5-mb"],
)
def test_password_protected_xlsx(tmp_path, shift, package_bytes):
    # What Excel writes for a password-protected workbook: a compound file holding the
    # EncryptionInfo and EncryptedPackage streams, its directory after them (beyond 4 MB, and
    # beyond the 109 FAT sectors the header can list, in the large ones).
    info = b"\x04\x00\x04\x00\x40\x00\x00\x00" + b'<?xml version="1.0"?><encryption/>'
    package = struct.pack("<Q", package_bytes) + random.Random(0).randbytes(package_bytes)
    path = write_compound(
        tmp_path / "secret.xlsx",
        {"EncryptionInfo": info.ljust(4096, b"\0"), "EncryptedPackage": package},
        shift=shift,
    )
    with pytest.raises(ValidationFailed) as exc:
        read(path)
    [problem] = exc.value.problems
    assert (problem.code, problem.field) == ("file_encrypted", None)  # the whole file
    assert "kata sandi" in problem.message_id
    assert "password-protected" in problem.message_en


def test_large_xls_with_its_directory_at_the_end(tmp_path):
    # xlwt, like Excel, writes the directory after the workbook: here after 9 MB of notes, more
    # than the 109 FAT sectors the header lists can map (7 MB).
    cells = people_cells(300)
    book = xlwt.Workbook()
    ws = book.add_sheet("Data")
    for c, header in enumerate([*cells.columns, "Catatan"]):
        ws.write(0, c, header)
    for r, row in enumerate(cells.iter_rows(), start=1):
        for c, value in enumerate([*row, f"{r:05d} " * 5000]):
            ws.write(r, c, value)
    book.save(str(tmp_path / "large.xls"))
    assert (tmp_path / "large.xls").stat().st_size > 8 << 20
    sheet = read(tmp_path / "large.xls")
    assert sheet.file_format == "xls"
    assert sheet.frame["NIK"].to_list() == cells["NIK"].to_list()


def test_a_file_that_only_starts_like_an_xls_is_unreadable(tmp_path):
    (tmp_path / "broken.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(8192))
    with pytest.raises(ValidationFailed) as exc:
        read(tmp_path / "broken.xls")
    assert codes(exc) == ["file_unreadable"]


def test_a_200_mb_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "huge.csv"
    with path.open("wb") as f:  # sparse: 200 MB on paper, nothing on disk
        f.truncate(200 * 1000 * 1000)
    monkeypatch.setattr(spreadsheets, "sniff", lambda p: pytest.fail("the file was opened"))
    with pytest.raises(ValidationFailed) as exc:
        read(path)
    assert codes(exc) == ["file_too_large"]
    assert "200 MB" in exc.value.problems[0].message_id


def test_size_limit_is_configurable(tmp_path, settings):
    settings.JARING_IMPORT_MAX_BYTES = 1000
    path = write_csv(people_cells(30), tmp_path / "list.csv")
    with pytest.raises(ValidationFailed) as exc:
        read(path)
    assert codes(exc) == ["file_too_large"]


# --- NIKs typed into number cells ---------------------------------------------------------------


def _niks_as_numbers(tmp_path, values, *, cover_sheet=True):
    """A workbook like an officer's: an instructions sheet first, then the list, whose NIK
    cells hold numbers (openpyxl writes every digit, as a program exporting a list does)."""
    book = openpyxl.Workbook()
    if cover_sheet:
        book.active.title = "Petunjuk"
        book.active.append(["Isi daftar pada lembar Data."])
        sheet = book.create_sheet("Data")
    else:
        sheet = book.active
    sheet.append(["NIK", "Nama Lengkap"])
    for value in values:
        sheet.append([value, "Budi Santoso"])
    book.save(tmp_path / "angka.xlsx")
    return tmp_path / "angka.xlsx"


def _store_exactly(path, numbers):
    """Writes `numbers` into the sheet XML digit for digit (openpyxl, like Python's float,
    rounds integers above 2**53 to even ones; a program writing decimal text does not)."""
    with zipfile.ZipFile(path) as z:
        members = {name: z.read(name) for name in z.namelist()}
    for number in numbers:
        rounded = repr(float(number)).removesuffix(".0")
        for name, data in members.items():
            if name.startswith("xl/worksheets/"):
                members[name] = data.replace(
                    f"<v>{rounded}</v>".encode(), f"<v>{number}</v>".encode()
                )
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def test_number_cells_keep_every_digit_that_is_there(tmp_path):
    stored = [6172021708850001, 9171011708850001, 9171011708850003, "6172021708850013"]
    path = _store_exactly(_niks_as_numbers(tmp_path, stored), stored[1:3])
    sheet = read(path)
    # Read as floats, the two numbers above 2**53 would be 9171011708850000 and …004.
    assert sheet.frame["NIK"].to_list() == [str(v) for v in stored]


def test_number_cells_that_may_have_lost_a_digit_read_as_excel_shows_them(tmp_path):
    # 6172021708850013 in Excel is saved as 6172021708850010: a last 0 cannot be trusted, nor
    # an even number above 2**53 (a float's rounding).
    stored = [6172021708850010, 9171011708850002, 6.17202170885e15]
    sheet = read(_niks_as_numbers(tmp_path, stored, cover_sheet=False))
    assert sheet.frame["NIK"].to_list() == [
        "6.17202170885001E+15",
        "9.17101170885000E+15",
        "6.17202170885000E+15",
    ]


def test_text_cells_are_read_as_typed(tmp_path):
    sheet = read(_niks_as_numbers(tmp_path, ["6172021708850010", "9171011708850002"]))
    assert sheet.frame["NIK"].to_list() == ["6172021708850010", "9171011708850002"]


@pytest.mark.django_db
@pytest.mark.parametrize("form", ["xlsx", "csv"])
def test_an_nik_excel_destroyed_is_refused_and_one_it_kept_is_imported(tmp_path, form):
    from jaring.imports.pipeline import analyse

    cells = people_cells(6, seed=31)
    # Serials end in 0 one time in ten: the first person has such a one.
    niks = [cells["NIK"][0][:12] + "0010", *cells["NIK"].to_list()[1:]]
    cells = cells.with_columns(pl.Series("NIK", niks))
    lost, kept = niks[:1], niks[1:]
    assert not any(n.endswith("0") for n in kept)
    if form == "xlsx":
        path = write_xlsx(cells, tmp_path / "angka.xlsx", numbers=("NIK",))
    else:
        # Excel's csv of a number cell: what the cell displays.
        shown = [f"{int(n):.5E}" for n in niks]
        path = write_csv(cells.with_columns(pl.Series("NIK", shown)), tmp_path / "angka.csv")
        lost, kept = niks, []
    rows = analyse(path, region_code="61.72", today=TODAY).rows
    refused = rows.filter(pl.col("reasons").str.contains("nik_excel_mangled"))
    assert refused.height == len(lost)
    assert all("NIK dirusak Excel" in r for r in refused["reasons"].to_list())
    assert sorted(rows.filter(pl.col("outcome") == "new")["nik"].to_list()) == sorted(kept)
