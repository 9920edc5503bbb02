"""The registry's rules for one worker record, shared by the web form, the API and imports."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from lokal import normalize_phone

from jaring.core.errors import CoreError, Problem
from jaring.registry.errors import RegistryError
from jaring.rules import nik as nik_rules


@dataclass
class WorkerInput:
    nik: str
    full_name: str
    birth_date: dt.date | None
    sex: str
    village_code: str
    category_code: str
    rt: str = ""
    rw: str = ""
    address: str = ""
    phone: str = ""
    has_disability: bool = False
    disability_kind: str = ""
    declared_income: int | None = None
    consent_date: dt.date | None = None
    nik_override_reason: str = ""
    # For BPJS's collective form (enrolment.exchange profiles); all optional.
    place_of_birth: str = ""
    mother_maiden_name: str = ""
    marital_status: str = ""  # registry.models.MaritalStatus, or empty
    email: str = ""


def problem(field: str, code: str, message_id: str, message_en: str, **params) -> Problem:
    return Problem(code, message_id, message_en, field=field, params=params)


def check_nik(data: WorkerInput, today: dt.date) -> tuple[list[Problem], nik_rules.NikResult]:
    parsed = nik_rules.parse(data.nik, today=today)
    if not parsed.valid:
        err = parsed.error
        return [Problem(RegistryError(f"nik_{err.code}"), err.id, err.en, field="nik")], parsed
    out: list[Problem] = []
    overridden = bool(data.nik_override_reason.strip())
    if data.birth_date and data.birth_date != parsed.birth_date and not overridden:
        out.append(
            problem(
                "birth_date",
                RegistryError.BIRTH_DATE_NIK_MISMATCH,
                f"Tanggal lahir tidak cocok dengan NIK ({parsed.birth_date:%d-%m-%Y}). "
                "Perbaiki, atau isi alasan pengecualian.",
                f"Birth date disagrees with the NIK ({parsed.birth_date:%d-%m-%Y}). "
                "Correct it, or give a reason for the exception.",
            )
        )
    if data.sex and data.sex != parsed.sex and not overridden:
        out.append(
            problem(
                "sex",
                RegistryError.SEX_NIK_MISMATCH,
                "Jenis kelamin tidak cocok dengan NIK. Perbaiki, atau isi alasan pengecualian.",
                "Sex disagrees with the NIK. Correct it, or give a reason for the exception.",
            )
        )
    return out, parsed


def check_fields(data: WorkerInput, today: dt.date) -> list[Problem]:
    """Everything about one record that needs no database."""
    out, _ = check_nik(data, today)
    if not data.full_name.strip():
        out.append(
            problem("full_name", CoreError.REQUIRED, "Nama wajib diisi.", "Name is required.")
        )
    elif data.full_name.lstrip().startswith("="):
        out.append(
            problem(
                "full_name",
                RegistryError.NAME_FORMULA,
                "Nama berisi rumus, bukan nama.",
                "The name holds a formula, not a name.",
            )
        )
    if data.birth_date is None:
        out.append(
            problem(
                "birth_date",
                CoreError.REQUIRED,
                "Tanggal lahir wajib diisi.",
                "Birth date is required.",
            )
        )
    elif data.birth_date > today:
        out.append(
            problem(
                "birth_date",
                RegistryError.BIRTH_DATE_FUTURE,
                "Tanggal lahir tidak boleh di masa depan.",
                "Birth date cannot be in the future.",
            )
        )
    if data.sex not in ("M", "F"):
        out.append(
            problem("sex", CoreError.REQUIRED, "Jenis kelamin wajib diisi.", "Sex is required.")
        )
    for field, label in (("rt", "RT"), ("rw", "RW")):
        value = getattr(data, field)
        if value and not (value.isdigit() and len(value) <= 3):
            out.append(
                problem(
                    field,
                    RegistryError.RT_RW_INVALID,
                    f"{label} harus berupa angka 1–3 digit.",
                    f"{label} must be a number of 1–3 digits.",
                )
            )
    if data.phone and normalize_phone(data.phone) is None:
        out.append(
            problem(
                "phone",
                RegistryError.PHONE_INVALID,
                "Nomor telepon tidak sah (awali dengan 0, 62 atau +62).",
                "Phone number is not valid (start with 0, 62 or +62).",
            )
        )
    if data.has_disability and not data.disability_kind:
        out.append(
            problem(
                "disability_kind",
                CoreError.REQUIRED,
                "Pilih jenis disabilitas.",
                "Choose the kind of disability.",
            )
        )
    if data.declared_income is not None and data.declared_income < 0:
        out.append(
            problem(
                "declared_income",
                CoreError.NEGATIVE,
                "Penghasilan tidak boleh negatif.",
                "Income cannot be negative.",
            )
        )
    out += _check_bpjs_fields(data)
    if data.consent_date and data.consent_date > today:
        out.append(
            problem(
                "consent_date",
                CoreError.DATE_FUTURE,
                "Tanggal persetujuan tidak boleh di masa depan.",
                "Consent date cannot be in the future.",
            )
        )
    return out


_MARITAL = ("single", "married", "divorced", "widowed")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _check_bpjs_fields(data: WorkerInput) -> list[Problem]:
    out = []
    if data.marital_status and data.marital_status not in _MARITAL:
        out.append(
            problem(
                "marital_status",
                CoreError.INVALID,
                f"Status perkawinan '{data.marital_status}' tidak dikenal ({', '.join(_MARITAL)}).",
                f"Unknown marital status '{data.marital_status}' ({', '.join(_MARITAL)}).",
            )
        )
    if data.email.strip() and not _EMAIL.match(data.email.strip()):
        out.append(
            problem(
                "email",
                CoreError.INVALID,
                "Alamat email tidak sah.",
                "The email address is not valid.",
            )
        )
    for field, limit in (("place_of_birth", 100), ("mother_maiden_name", 150), ("email", 254)):
        if len(getattr(data, field).strip()) > limit:
            out.append(
                problem(
                    field,
                    CoreError.INVALID,
                    f"Paling banyak {limit} karakter.",
                    f"At most {limit} characters.",
                )
            )
        elif getattr(data, field).lstrip().startswith("="):
            out.append(
                problem(
                    field,
                    RegistryError.NAME_FORMULA,
                    "Isian berisi rumus.",
                    "The value holds a formula.",
                )
            )
    return out


def normalised_phone(phone: str) -> str:
    return (normalize_phone(phone) or "") if phone else ""
