"""Files an import hands out: the empty template and the rejected rows with their reasons.

Cells are always written as text: openpyxl would store "=HYPERLINK(...)" typed by someone as
a live formula, and a file that goes back to a kelurahan must not run anything when opened.
"""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from jaring.core.cells import text_cell
from jaring.imports.columns import FIELDS, REASON_HEADER
from jaring.imports.models import ImportBatch
from jaring.imports.selectors import rejected_rows
from jaring.imports.staging import decode_json
from jaring.registry.models import OccupationCategory

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_TEMPLATE_FIELDS = [f for f in FIELDS if f.name != "rt_rw"]
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REASON_FILL = PatternFill("solid", fgColor="FCE4D6")


def template_xlsx() -> bytes:
    book = Workbook(write_only=True)
    data = book.create_sheet("Data")
    data.freeze_panes = "A2"
    for i, _ in enumerate(_TEMPLATE_FIELDS):
        data.column_dimensions[chr(65 + i)].width = 20
    data.append(
        [text_cell(data, f.header, font=_BOLD, fill=_HEADER_FILL) for f in _TEMPLATE_FIELDS]
    )
    data.append([text_cell(data, f.example) for f in _TEMPLATE_FIELDS])
    help_sheet = book.create_sheet("Petunjuk")
    help_sheet.column_dimensions["A"].width = 24
    help_sheet.column_dimensions["B"].width = 12
    help_sheet.column_dimensions["C"].width = 90
    rows = [
        ["Petunjuk pengisian daftar pekerja (Jaring)", "", ""],
        ["Isi lembar Data mulai baris 2; hapus baris contoh. Satu baris satu orang.", "", ""],
        ["NIK diketik sebagai teks: Excel menghapus digit terakhir dari angka 16 digit.", "", ""],
        ["", "", ""],
        ["Kolom", "Wajib", "Keterangan"],
    ]
    rows += [[f.header, "ya" if f.required else "", f.help_id] for f in _TEMPLATE_FIELDS]
    rows += [["", "", ""], ["Pekerjaan yang dikenal", "Kode", ""]]
    rows += [[c.name_id, c.code, ""] for c in OccupationCategory.objects.all()]
    for row in rows:
        help_sheet.append([text_cell(help_sheet, v) for v in row])
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
