"""The columns an import understands: template headers, the variants officers write, mapping."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from jaring.core.errors import CoreError, Problem, ValidationFailed
from jaring.imports.errors import ImportsError

_NOT_ALNUM = re.compile(r"[^0-9a-z]")


def header_key(text: object) -> str:
    """ "No. KTP" and "no ktp" meet; so do "Tgl_Lahir" and "TGL LAHIR"."""
    return _NOT_ALNUM.sub("", str(text or "").lower())


@dataclass(frozen=True)
class Field:
    name: str
    header: str  # as in the template (Bahasa Indonesia)
    label: object  # for the mapping form, translated
    required: bool
    variants: tuple[str, ...]
    help_id: str  # the template's instructions sheet
    example: str


FIELDS: tuple[Field, ...] = (
    Field(
        "nik",
        "NIK",
        _("NIK"),
        True,
        ("nik", "no ktp", "nomor ktp", "no nik", "nomor nik", "nomor induk kependudukan", "ktp"),
        "16 digit, ketik sebagai teks (awali dengan ' di Excel) agar digit terakhir tidak hilang.",
        "6172021708850001",
    ),
    Field(
        "full_name",
        "Nama Lengkap",
        _("Full name"),
        True,
        ("nama lengkap", "nama", "nama pekerja", "nama peserta", "nama sesuai ktp"),
        "Nama sesuai KTP.",
        "Budi Santoso",
    ),
    Field(
        "birth_date",
        "Tanggal Lahir",
        _("Birth date"),
        False,
        ("tanggal lahir", "tgl lahir", "tgl lhr", "lahir", "tempat tanggal lahir", "ttl"),
        "HH/BB/TTTT (17/08/1985), TTTT-BB-HH, atau tanggal Excel. Kosong: diambil dari NIK.",
        "17/08/1985",
    ),
    Field(
        "sex",
        "Jenis Kelamin",
        _("Sex"),
        False,
        ("jenis kelamin", "jk", "l p", "kelamin", "gender", "sex"),
        "L atau P (Laki-laki / Perempuan). Kosong: diambil dari NIK.",
        "L",
    ),
    Field(
        "village",
        "Kelurahan/Desa",
        _("Village"),
        True,
        (
            "kelurahan desa",
            "kelurahan",
            "desa",
            "desa kelurahan",
            "kel",
            "kel desa",
            "kode kelurahan",
            "kode desa",
            "kode wilayah",
        ),
        "Nama kelurahan/desa atau kode Kemendagri (61.72.02.1001).",
        "Pasiran",
    ),
    Field(
        "district",
        "Kecamatan",
        _("District"),
        False,
        ("kecamatan", "kec", "nama kecamatan"),
        "Nama kecamatan: membedakan kelurahan yang namanya sama.",
        "Singkawang Barat",
    ),
    Field("rt", "RT", _("RT"), False, ("rt",), "Nomor RT (1–3 digit).", "001"),
    Field("rw", "RW", _("RW"), False, ("rw",), "Nomor RW (1–3 digit).", "002"),
    Field(
        "rt_rw",
        "RT/RW",
        _("RT/RW together"),
        False,
        ("rt rw", "rtrw"),
        "Boleh dipakai sebagai ganti kolom RT dan RW: 001/002.",
        "",
    ),
    Field(
        "address",
        "Alamat",
        _("Address"),
        False,
        ("alamat", "alamat lengkap", "alamat rumah", "jalan"),
        "Nama jalan dan nomor rumah.",
        "Jl. Diponegoro No. 12",
    ),
    Field(
        "phone",
        "No HP",
        _("Phone"),
        False,
        (
            "no hp",
            "nomor hp",
            "hp",
            "no telp",
            "no telepon",
            "nomor telepon",
            "telepon",
            "no wa",
            "nomor wa",
            "whatsapp",
            "handphone",
        ),
        "Diawali 08, 62 atau +62.",
        "081234567890",
    ),
    Field(
        "category",
        "Pekerjaan",
        _("Occupation"),
        True,
        ("pekerjaan", "jenis pekerjaan", "kategori", "kategori pekerjaan", "profesi"),
        "Nama pekerjaan (Nelayan, Petani, Pedagang, Ojek, Kader Posyandu, ...) atau kodenya.",
        "Nelayan",
    ),
    Field(
        "disability",
        "Disabilitas",
        _("Disability"),
        False,
        ("disabilitas", "penyandang disabilitas", "difabel", "disabilitas ya tidak"),
        "Ya/Tidak, atau langsung jenisnya (Fisik, Sensorik, Intelektual, Mental, Ganda). "
        "Ya tanpa jenis dicatat sebagai 'tidak disebutkan'.",
        "Tidak",
    ),
    Field(
        "disability_kind",
        "Jenis Disabilitas",
        _("Kind of disability"),
        False,
        ("jenis disabilitas", "ragam disabilitas"),
        "Fisik, Sensorik, Intelektual, Mental, Ganda, atau Tidak disebutkan.",
        "",
    ),
    Field(
        "declared_income",
        "Penghasilan per Bulan",
        _("Monthly income"),
        False,
        ("penghasilan per bulan", "penghasilan", "pendapatan", "penghasilan bulanan", "upah"),
        "Rupiah, angka saja (1500000).",
        "1500000",
    ),
    Field(
        "consent_date",
        "Tanggal Persetujuan",
        _("Consent date"),
        False,
        ("tanggal persetujuan", "tgl persetujuan", "persetujuan"),
        "Tanggal pekerja menyetujui pendaftaran.",
        "",
    ),
    # For BPJS's collective registration form (enrolment.exchange profiles bpjs-kolektif);
    # optional. The headers are those of Dukcapil's KK and of BPJS's form.
    Field(
        "place_of_birth",
        "Tempat Lahir",
        _("Place of birth"),
        False,
        (
            "tempat lahir",
            "tmp lahir",
            "tmpt lahir",
            "tpt lahir",
            "tempat lhr",
            "kota lahir",
            "place of birth",
            "birthplace",
        ),
        "Kota/kabupaten tempat lahir, seperti di KTP.",
        "Singkawang",
    ),
    Field(
        "marital_status",
        "Status Perkawinan",
        _("Marital status"),
        False,
        (
            "status perkawinan",
            "status kawin",
            "stat kawin",
            "sts kawin",
            "status pernikahan",
            "status nikah",
            "perkawinan",
            "marital status",
        ),
        "Belum Kawin, Kawin, Cerai Hidup atau Cerai Mati (seperti di KTP/KK; BK, K, CH, CM).",
        "Kawin",
    ),
    Field(
        "mother_maiden_name",
        "Nama Ibu Kandung",
        _("Mother's maiden name"),
        False,
        (
            "nama ibu kandung",
            "ibu kandung",
            "nama ibu",
            "nama gadis ibu kandung",
            "nama ibu kandung peserta",
            "mother maiden name",
            "mothers maiden name",
        ),
        "Nama gadis ibu kandung, seperti di KK (dipakai BPJS untuk memastikan identitas).",
        "Siti Aminah",
    ),
    Field(
        "email",
        "Email",
        _("Email"),
        False,
        ("email", "e mail", "alamat email", "alamat e mail", "surel", "alamat surel"),
        "Alamat email, bila ada.",
        "",
    ),
)
BY_NAME = {f.name: f for f in FIELDS}
_BY_KEY = {header_key(v): f.name for f in FIELDS for v in (f.header, *f.variants)}

# The column the rejected-rows file adds; ignored when that file comes back fixed.
REASON_HEADER = "Alasan Penolakan"


def recognise(header: object) -> str | None:
    return _BY_KEY.get(header_key(header))


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """Field -> header for every header recognised; the first of two equal headers wins."""
    out: dict[str, str] = {}
    for header in headers:
        field = recognise(header)
        if field and field not in out:
            out[field] = header
    return out


def score(cells: list[object]) -> int:
    """How many cells of a row read as headers: finds the header row under a title block."""
    return len({recognise(c) for c in cells} - {None})


def check_mapping(mapping: dict[str, str], headers: list[str]) -> dict[str, str]:
    """Refuses a mapping to headers the file does not have, one header for two fields, or one
    without a required field."""
    problems = [
        Problem(
            ImportsError.MAPPING_UNKNOWN_HEADER,
            f"Kolom '{header}' tidak ada di berkas.",
            f"The file has no column '{header}'.",
            field=field,
        )
        for field, header in mapping.items()
        if header and header not in headers
    ]
    problems += [
        Problem(
            ImportsError.MAPPING_UNKNOWN_FIELD,
            f"Isian '{field}' tidak dikenal.",
            f"Unknown field '{field}'.",
            field=field,
        )
        for field in mapping
        if field not in BY_NAME
    ]
    clean = {f: h for f, h in mapping.items() if h}
    fields_of: dict[str, list[str]] = {}
    for field, header in clean.items():
        fields_of.setdefault(header, []).append(field)
    problems += [
        Problem(
            ImportsError.MAPPING_HEADER_TWICE,
            f"Kolom '{header}' dipilih untuk lebih dari satu isian: {', '.join(fields)}.",
            f"Column '{header}' is chosen for more than one field: {', '.join(fields)}.",
            field=fields[-1],
        )
        for header, fields in fields_of.items()
        if len(fields) > 1
    ]
    problems += [
        Problem(
            CoreError.COLUMNS_MISSING,
            f"Kolom {f.header} tidak ditemukan. Tambahkan kolom itu atau pilih kolom yang sesuai.",
            f"No {f.header} column found. Add it, or choose the matching column.",
            field=f.name,
        )
        for f in FIELDS
        if f.required and f.name not in clean
    ]
    if problems:
        raise ValidationFailed(*problems)
    return clean
