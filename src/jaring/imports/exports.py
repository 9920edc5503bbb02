"""Files an import hands out: the empty template and the rejected rows with their reasons.

Cells are always written as text: openpyxl would store "=HYPERLINK(...)" typed by someone as
a live formula, and a file that goes back to a kelurahan must not run anything when opened.
"""

from __future__ import annotations

import csv
import io

from django.db.models import Q
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from jaring.core.cells import text_cell
from jaring.imports.columns import BY_NAME, FIELDS, REASON_HEADER
from jaring.imports.models import ImportBatch
from jaring.imports.selectors import rejected_rows
from jaring.imports.staging import decode_json
from jaring.regions.models import Level, Region
from jaring.registry.models import OccupationCategory

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_TEMPLATE_FIELDS = [f for f in FIELDS if f.name != "rt_rw"]
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REASON_FILL = PatternFill("solid", fgColor="FCE4D6")


# Rows of the Data sheet that get the drop-down lists and the text format.
_TEMPLATE_ROWS = 2000
# Drop-down column -> the Daftar sheet's column with its choices.
_LISTS = ("category", "sex", "disability", "disability_kind", "village", "marital_status")
_TEXT_FIELDS = ("nik", "phone", "rt", "rw")


def _choices(region_code: str) -> dict[str, list[str]]:
    """What each drop-down offers: words the import reads back as the right code."""
    kinds = ["Fisik", "Sensorik", "Intelektual", "Mental", "Ganda"]
    villages: list[str] = []
    if region_code:
        within = Q(code__startswith=region_code + ".") | Q(code=region_code)
        found = Region.objects.filter(
            within, level=Level.VILLAGE, retired_on__isnull=True
        ).values_list("name", flat=True)
        villages = sorted(set(found))
    return {
        "category": [c.name_id for c in OccupationCategory.objects.all()],
        "sex": ["L", "P"],
        "disability": ["Tidak", "Ya", *kinds],
        "disability_kind": [*kinds, "Tidak disebutkan"],
        "village": villages,
        # Dukcapil's words on the KTP (imports/synonyms.toml).
        "marital_status": ["Belum Kawin", "Kawin", "Cerai Hidup", "Cerai Mati"],
    }


def _put(sheet, row: int, column: int, value: object, **style):
    """A text cell (never a formula) in a normal worksheet."""
    cell = sheet.cell(row=row, column=column)
    cell.value = "" if value is None else str(value)
    cell.data_type = "s"
    for name, v in style.items():
        setattr(cell, name, v)
    return cell


def template_xlsx(region_code: str = "") -> bytes:
    """The empty list: NIK, phone, RT and RW formatted as text (Excel keeps every digit),
    drop-down lists for occupation, sex, disability and its kind and, for a region, its
    villages (a warning, not a refusal, for a value outside the list: the review step maps it),
    and the instructions sheet."""
    book = Workbook()
    data = book.active
    data.title = "Data"
    data.freeze_panes = "A2"
    position = {f.name: i + 1 for i, f in enumerate(_TEMPLATE_FIELDS)}
    for f in _TEMPLATE_FIELDS:
        letter = get_column_letter(position[f.name])
        data.column_dimensions[letter].width = 20
        _put(data, 1, position[f.name], f.header, font=_BOLD, fill=_HEADER_FILL)
        _put(data, 2, position[f.name], f.example)
        if f.name in _TEXT_FIELDS:
            data.column_dimensions[letter].number_format = "@"
            for row in range(2, _TEMPLATE_ROWS + 1):
                data.cell(row=row, column=position[f.name]).number_format = "@"
    lists = book.create_sheet("Daftar")
    for i, (field, words) in enumerate(_choices(region_code).items(), start=1):
        letter = get_column_letter(i)
        _put(lists, 1, i, BY_NAME[field].header, font=_BOLD)
        lists.column_dimensions[letter].width = 28
        for row, word in enumerate(words, start=2):
            _put(lists, row, i, word)
        if not words:
            continue
        check = DataValidation(
            type="list",
            formula1=f"=Daftar!${letter}$2:${letter}${len(words) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle="Isian di luar daftar",
            error="Isian ini tidak ada di daftar. Jaring akan menanyakannya saat impor.",
        )
        column = get_column_letter(position[field])
        check.add(f"{column}2:{column}{_TEMPLATE_ROWS}")
        data.add_data_validation(check)
    lists.sheet_state = "hidden"
    help_sheet = book.create_sheet("Petunjuk")
    help_sheet.column_dimensions["A"].width = 24
    help_sheet.column_dimensions["B"].width = 12
    help_sheet.column_dimensions["C"].width = 90
    rows = [
        ["Petunjuk pengisian daftar pekerja (Jaring)", "", ""],
        ["Isi lembar Data mulai baris 2; hapus baris contoh. Satu baris satu orang.", "", ""],
        ["NIK diketik sebagai teks: Excel menghapus digit terakhir dari angka 16 digit.", "", ""],
        [
            "Pekerjaan, jenis kelamin, disabilitas, kelurahan dan status perkawinan dipilih dari "
            "daftar.",
            "",
            "",
        ],
        ["", "", ""],
        ["Kolom", "Wajib", "Keterangan"],
    ]
    rows += [[f.header, "ya" if f.required else "", f.help_id] for f in _TEMPLATE_FIELDS]
    rows += [["", "", ""], ["Pekerjaan yang dikenal", "Kode", ""]]
    rows += [[c.name_id, c.code, ""] for c in OccupationCategory.objects.all()]
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            _put(help_sheet, r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([f.header for f in _TEMPLATE_FIELDS])
    writer.writerow([f.example for f in _TEMPLATE_FIELDS])
    # With a BOM, Excel opens the file as UTF-8.
    return ("\ufeff" + out.getvalue()).encode()


def rejected_xlsx(batch: ImportBatch) -> bytes:
    """The rows that were not imported, as read, plus every reason in Bahasa Indonesia.

    The file can be fixed and uploaded again: the import ignores the reason column.
    """
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Ditolak")
    headers = [h for h in batch.headers if h != REASON_HEADER]
    sheet.append(
        [text_cell(sheet, h, font=_BOLD, fill=_HEADER_FILL) for h in headers]
        + [text_cell(sheet, REASON_HEADER, font=_BOLD, fill=_REASON_FILL)]
    )
    wrap = Alignment(wrap_text=True, vertical="top")
    for original, reasons in (
        rejected_rows(batch).values_list("original", "reasons").iterator(chunk_size=2000)
    ):
        cells = decode_json(original) or {}
        text = "\n".join(r["message_id"] for r in decode_json(reasons) or [])
        sheet.append(
            [text_cell(sheet, cells.get(h)) for h in headers]
            + [text_cell(sheet, text, alignment=wrap, fill=_REASON_FILL)]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
