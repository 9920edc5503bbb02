"""What an import can say about a file or a row, in both languages.

Row reasons about the registry's own rules come from `registry.validation` and `rules.nik`;
these are the ones only an import has: unreadable cells, files, matching names to codes.
"""

from __future__ import annotations

from jaring.core.errors import Problem
from jaring.rules.messages import Reason

FILE = {
    "file_empty": Reason("file_empty", "Berkas kosong.", "The file is empty."),
    "file_too_large": Reason(
        "file_too_large",
        "Berkas terlalu besar ({size_mb} MB); batasnya {limit_mb} MB. Pecah menjadi beberapa "
        "berkas.",
        "The file is too large ({size_mb} MB); the limit is {limit_mb} MB. Split it into several "
        "files.",
    ),
    "file_not_spreadsheet": Reason(
        "file_not_spreadsheet",
        "Berkas ini bukan lembar kerja. Unggah berkas .xlsx, .xls atau .csv.",
        "This file is not a spreadsheet. Upload an .xlsx, .xls or .csv file.",
    ),
    "file_encrypted": Reason(
        "file_encrypted",
        "Berkas dilindungi kata sandi. Buka di Excel, hapus kata sandinya, simpan, lalu unggah "
        "lagi.",
        "The file is password-protected. Open it in Excel, remove the password, save and upload "
        "it again.",
    ),
    "file_unreadable": Reason(
        "file_unreadable",
        "Berkas tidak dapat dibaca ({detail}). Simpan ulang sebagai .xlsx atau .csv.",
        "The file cannot be read ({detail}). Save it again as .xlsx or .csv.",
    ),
    "file_no_rows": Reason(
        "file_no_rows",
        "Berkas tidak berisi baris data di bawah judul kolom.",
        "The file has no data rows below the column headers.",
    ),
    "region_out_of_scope": Reason(
        "region_out_of_scope",
        "Wilayah {code} di luar wilayah kerja Anda.",
        "Region {code} is outside your region.",
    ),
    "nik_registered": Reason(
        "nik_registered",
        "NIK sudah terdaftar sejak berkas diperiksa: {niks}.",
        "NIK registered since the file was checked: {niks}.",
    ),
    "region_unknown": Reason(
        "region_unknown",
        "Kode wilayah {code} tidak dikenal.",
        "Region code {code} does not exist.",
    ),
}

ROW = {
    "nik_excel_mangled": Reason(
        "nik_excel_mangled",
        "NIK dirusak Excel menjadi {text}: digitnya hilang. Ketik ulang NIK sebagai teks.",
        "Excel turned the NIK into {text} and lost digits. Type the NIK again as text.",
    ),
    "duplicate_in_file": Reason(
        "duplicate_in_file",
        "NIK sama dengan baris {first}.",
        "Same NIK as row {first}.",
    ),
    "nik_other_person": Reason(
        "nik_other_person",
        "NIK sudah terdaftar atas nama lain ({name}).",
        "The NIK is already registered under another name ({name}).",
    ),
    "nik_registered_elsewhere": Reason(
        "nik_registered_elsewhere",
        "NIK sudah terdaftar di wilayah lain, di luar wilayah kerja Anda.",
        "The NIK is already registered in a region outside yours.",
    ),
    "date_unreadable": Reason(
        "date_unreadable",
        "{label} '{text}' tidak terbaca sebagai tanggal (contoh: 17/08/1985).",
        "{label_en} '{text}' is not a date we can read (e.g. 17/08/1985).",
    ),
    "sex_unreadable": Reason(
        "sex_unreadable",
        "Jenis kelamin '{text}' tidak dikenal (isi L atau P).",
        "Sex '{text}' is not recognised (use L or P).",
    ),
    "name_formula": Reason(
        "name_formula",
        "Nama berisi rumus ('{text}'), bukan nama.",
        "The name holds a formula ('{text}'), not a name.",
    ),
    "village_required": Reason(
        "village_required", "Kelurahan/desa wajib diisi.", "Village is required."
    ),
    "village_unknown": Reason(
        "village_unknown",
        "Kelurahan/desa '{text}' tidak ditemukan{where}.",
        "Village '{text}' not found{where_en}.",
    ),
    "village_ambiguous": Reason(
        "village_ambiguous",
        "Ada {n} kelurahan/desa bernama '{text}'; isi kolom Kecamatan untuk membedakan.",
        "There are {n} villages named '{text}'; fill in the district column to tell them apart.",
    ),
    "village_out_of_scope": Reason(
        "village_out_of_scope",
        "Kelurahan/desa {code} di luar wilayah impor ini.",
        "Village {code} is outside this import's region.",
    ),
    "category_required": Reason(
        "category_required", "Pekerjaan wajib diisi.", "Occupation is required."
    ),
    "category_unknown": Reason(
        "category_unknown",
        "Pekerjaan '{text}' tidak dikenal. Pakai salah satu kategori di lembar Petunjuk.",
        "Occupation '{text}' is not recognised. Use one of the categories in the instructions.",
    ),
    "disability_unreadable": Reason(
        "disability_unreadable",
        "Isian disabilitas '{text}' tidak dikenal (Ya/Tidak atau jenisnya).",
        "Disability '{text}' is not recognised (yes/no or its kind).",
    ),
    "income_unreadable": Reason(
        "income_unreadable",
        "Penghasilan '{text}' bukan angka rupiah.",
        "Income '{text}' is not an amount in rupiah.",
    ),
    "rt_rw_unreadable": Reason(
        "rt_rw_unreadable",
        "RT/RW '{text}' tidak terbaca (contoh: 001/002).",
        "RT/RW '{text}' cannot be read (e.g. 001/002).",
    ),
}


def file_problem(key: str, **params: object) -> Problem:
    reason = FILE[key]
    return Problem(key, reason.id.format(**params), reason.en.format(**params), params=params)


def row_reason(key: str, field: str, **params: object) -> dict[str, object]:
    """A row's reason as stored in `ImportRow.reasons` (the shape of Problem.as_dict)."""
    reason = ROW[key]
    return {
        "code": key,
        "field": field,
        "message_id": reason.id.format(**params),
        "message_en": reason.en.format(**params),
    }


def problem_reason(problem: Problem) -> dict[str, object]:
    return {
        "code": problem.code,
        "field": problem.field,
        "message_id": problem.message_id,
        "message_en": problem.message_en,
    }
