"""What an import can say about a file or a row, in both languages.

Row reasons about the registry's own rules come from `registry.validation` and `rules.nik`, a
file's from `core.spreadsheets`; these are the ones only an import has: unreadable cells,
matching names to codes, a region or registry that changed.
"""

from __future__ import annotations

from jaring.core.errors import CoreError, Problem
from jaring.imports.errors import ImportsError
from jaring.regions.errors import RegionError
from jaring.registry.errors import RegistryError
from jaring.rules.errors import ErrorCode
from jaring.rules.messages import Reason


def _by_code(*reasons: Reason) -> dict[ErrorCode, Reason]:
    return {r.code: r for r in reasons}


FILE = _by_code(
    Reason(
        CoreError.OUT_OF_SCOPE,
        "Wilayah {code} di luar wilayah kerja Anda.",
        "Region {code} is outside your region.",
    ),
    Reason(
        RegionError.REGION_UNKNOWN,
        "Kode wilayah {code} tidak dikenal.",
        "Region code {code} does not exist.",
    ),
)

ROW = _by_code(
    Reason(
        ImportsError.NIK_EXCEL_MANGLED,
        "NIK dirusak Excel menjadi {text}: digitnya hilang. Ketik ulang NIK sebagai teks.",
        "Excel turned the NIK into {text} and lost digits. Type the NIK again as text.",
    ),
    Reason(
        ImportsError.DUPLICATE_IN_FILE,
        "NIK sama dengan baris {first}.",
        "Same NIK as row {first}.",
    ),
    Reason(
        ImportsError.NIK_OTHER_PERSON,
        "NIK sudah terdaftar atas nama lain ({name}).",
        "The NIK is already registered under another name ({name}).",
    ),
    Reason(
        ImportsError.NIK_NOT_REGISTRABLE,
        "NIK ini tidak dapat didaftarkan di sini; tanyakan kepada administrator.",
        "This NIK cannot be registered here; ask the administrator.",
    ),
    Reason(
        ImportsError.DATE_UNREADABLE,
        "{label} '{text}' tidak terbaca sebagai tanggal (contoh: 17/08/1985).",
        "{label_en} '{text}' is not a date we can read (e.g. 17/08/1985).",
    ),
    Reason(
        ImportsError.SEX_UNREADABLE,
        "Jenis kelamin '{text}' tidak dikenal (isi L atau P).",
        "Sex '{text}' is not recognised (use L or P).",
    ),
    Reason(
        RegistryError.NAME_FORMULA,
        "Nama berisi rumus ('{text}'), bukan nama.",
        "The name holds a formula ('{text}'), not a name.",
    ),
    Reason(ImportsError.VILLAGE_REQUIRED, "Kelurahan/desa wajib diisi.", "Village is required."),
    Reason(
        RegistryError.VILLAGE_UNKNOWN,
        "Kelurahan/desa '{text}' tidak ditemukan{where}.",
        "Village '{text}' not found{where_en}.",
    ),
    Reason(
        ImportsError.VILLAGE_AMBIGUOUS,
        "Ada {n} kelurahan/desa bernama '{text}'; isi kolom Kecamatan untuk membedakan.",
        "There are {n} villages named '{text}'; fill in the district column to tell them apart.",
    ),
    Reason(
        RegistryError.VILLAGE_OUT_OF_SCOPE,
        "Kelurahan/desa {code} di luar wilayah impor ini.",
        "Village {code} is outside this import's region.",
    ),
    Reason(ImportsError.CATEGORY_REQUIRED, "Pekerjaan wajib diisi.", "Occupation is required."),
    Reason(
        RegistryError.CATEGORY_UNKNOWN,
        "Pekerjaan '{text}' tidak dikenal. Pakai salah satu kategori di lembar Petunjuk.",
        "Occupation '{text}' is not recognised. Use one of the categories in the instructions.",
    ),
    Reason(
        ImportsError.DISABILITY_UNREADABLE,
        "Isian disabilitas '{text}' tidak dikenal (Ya/Tidak atau jenisnya).",
        "Disability '{text}' is not recognised (yes/no or its kind).",
    ),
    Reason(
        ImportsError.INCOME_UNREADABLE,
        "Penghasilan '{text}' bukan angka rupiah.",
        "Income '{text}' is not an amount in rupiah.",
    ),
    Reason(
        ImportsError.RT_RW_UNREADABLE,
        "RT/RW '{text}' tidak terbaca (contoh: 001/002).",
        "RT/RW '{text}' cannot be read (e.g. 001/002).",
    ),
    Reason(
        ImportsError.MARITAL_UNREADABLE,
        "Status perkawinan '{text}' tidak dikenal (Belum Kawin, Kawin, Cerai Hidup, Cerai Mati).",
        "Marital status '{text}' is not recognised (Belum Kawin, Kawin, Cerai Hidup, Cerai Mati:"
        " not married, married, divorced, widowed).",
    ),
)


def file_problem(key: ErrorCode, **params: object) -> Problem:
    """A refusal of a whole import: its region, or NIKs registered since it was checked."""
    return Problem.of(FILE[key], **params)


def row_reason(key: ErrorCode, field: str, **params: object) -> dict[str, object]:
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
