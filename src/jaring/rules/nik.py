"""NIK (Nomor Induk Kependudukan): PP KK CC DDMMYY SSSS.

Province, regency/city and district where the NIK was first issued, birth date (day + 40 for
women) and a serial from 0001. A NIK never changes, so codes of areas that have since moved to a
new province stay valid (see data/legacy_regency_codes.csv), and so do district codes of earlier
editions (data/historical_district_codes.csv); a district code in neither never existed.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from lokal import wilayah

from jaring.rules.errors import RuleCode
from jaring.rules.messages import Reason

_SEPARATORS = re.compile(r"[\s.\-]")

REASONS = {
    "empty": Reason(RuleCode.EMPTY, "NIK kosong.", "NIK is empty."),
    "not_digits": Reason(
        RuleCode.NOT_DIGITS, "NIK hanya boleh berisi angka.", "NIK may contain digits only."
    ),
    "length": Reason(
        RuleCode.LENGTH,
        "NIK harus 16 digit, yang diisi {n} digit.",
        "NIK must have 16 digits, this one has {n}.",
    ),
    "province_unknown": Reason(
        RuleCode.PROVINCE_UNKNOWN,
        "Kode provinsi {code} tidak dikenal.",
        "Province code {code} does not exist.",
    ),
    "regency_unknown": Reason(
        RuleCode.REGENCY_UNKNOWN,
        "Kode kabupaten/kota {code} tidak pernah ada.",
        "Regency/city code {code} has never existed.",
    ),
    "district_never": Reason(
        RuleCode.DISTRICT_NEVER_EXISTED,
        "Kode kecamatan {code} tidak pernah ada (tidak di daftar Kemendagri terbaru maupun "
        "edisi sebelumnya).",
        "District code {code} has never existed (neither in the current Kemendagri list nor "
        "in an earlier edition).",
    ),
    "district_zero": Reason(
        RuleCode.DISTRICT_ZERO,
        "Kode kecamatan tidak boleh 00.",
        "The district code cannot be 00.",
    ),
    "birth_date_invalid": Reason(
        RuleCode.BIRTH_DATE_INVALID,
        "Tanggal lahir di NIK ({text}) bukan tanggal yang sah.",
        "The birth date in the NIK ({text}) is not a real date.",
    ),
    "serial_zero": Reason(
        RuleCode.SERIAL_ZERO,
        "Nomor urut NIK tidak boleh 0000.",
        "The NIK serial number cannot be 0000.",
    ),
}

WARNINGS = {
    "regency_legacy": Reason(
        RuleCode.REGENCY_LEGACY,
        "Kode kabupaten/kota {code} adalah kode lama sebelum pemekaran provinsi.",
        "Regency/city code {code} is an old code from before the province was split.",
    ),
    "district_legacy": Reason(
        RuleCode.DISTRICT_LEGACY,
        "Kode kecamatan {code} ({name}) adalah kode lama, terakhir tercatat {last_seen}; NIK "
        "tetap sah.",
        "District code {code} ({name}) is an old code, last listed {last_seen}; the NIK stays "
        "valid.",
    ),
}


@dataclass(frozen=True, slots=True)
class Message:
    code: RuleCode
    id: str
    en: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message_id": self.id, "message_en": self.en}


def _message(table: dict[str, Reason], key: str, **params: object) -> Message:
    reason = table[key]
    return Message(reason.code, reason.id.format(**params), reason.en.format(**params))


@dataclass(frozen=True, slots=True)
class NikResult:
    input: str
    nik: str | None = None
    error: Message | None = None
    warnings: tuple[Message, ...] = field(default_factory=tuple)
    birth_date: dt.date | None = None
    sex: str | None = None  # "M" or "F"
    province_code: str | None = None
    regency_code: str | None = None
    district_code: str | None = None
    serial: str | None = None

    @property
    def valid(self) -> bool:
        return self.error is None

    @property
    def reason(self) -> str | None:
        return self.error.code if self.error else None

    def as_dict(self) -> dict[str, object]:
        return {
            "input": self.input,
            "nik": self.nik,
            "valid": self.valid,
            "reason": self.reason,
            "message_id": self.error.id if self.error else None,
            "message_en": self.error.en if self.error else None,
            "warnings": [w.as_dict() for w in self.warnings],
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "sex": self.sex,
            "province_code": self.province_code,
            "regency_code": self.regency_code,
            "district_code": self.district_code,
        }


@cache
def legacy_regency_codes() -> frozenset[str]:
    text = resources.files("jaring.rules").joinpath("data/legacy_regency_codes.csv").read_text()
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return frozenset(row["code"] for row in rows)


@cache
def historical_district_codes() -> dict[str, dict[str, str]]:
    """District codes of earlier Kemendagri editions no longer in the current list:
    code -> {name, last_seen, source} (data/historical_district_codes.csv)."""
    text = (
        resources.files("jaring.rules").joinpath("data/historical_district_codes.csv").read_text()
    )
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return {row["code"]: row for row in rows}


# Regencies and districts a newer decree's list added or retired after the pinned list
# (`jaring load_regions`): code -> (name, None while in force, else the day it left the list),
# or None for a code it did not touch. The regions app registers where to read them in its
# AppConfig.ready() (rules import no Django); until then only the shipped lists count.
_newer_source: Callable[[str], tuple[str, str | None] | None] | None = None


def register_newer_regions(source: Callable[[str], tuple[str, str | None] | None] | None) -> None:
    global _newer_source
    _newer_source = source


def _newer(code: str) -> tuple[str, str | None] | None:
    return _newer_source(code) if _newer_source is not None else None


def normalise(raw: object) -> str:
    return _SEPARATORS.sub("", str(raw or ""))


def resolve_birth_date(day: int, month: int, yy: int, today: dt.date) -> dt.date | None:
    """The two-digit year in the century that puts the birth date on or before today."""
    for century in (2000, 1900):
        try:
            born = dt.date(century + yy, month, day)
        except ValueError:
            return None
        if born <= today:
            return born
    return None


def parse(raw: object, *, today: dt.date | None = None) -> NikResult:
    text = str(raw if raw is not None else "")
    digits = normalise(text)
    if not digits:
        return NikResult(text, error=_message(REASONS, "empty"))
    if not digits.isascii() or not digits.isdigit():
        return NikResult(text, error=_message(REASONS, "not_digits"))
    if len(digits) != 16:
        return NikResult(text, error=_message(REASONS, "length", n=len(digits)))

    pp, kk, cc = digits[0:2], digits[2:4], digits[4:6]
    province, regency, district = pp, f"{pp}.{kk}", f"{pp}.{kk}.{cc}"
    found = {
        "nik": digits,
        "province_code": province,
        "regency_code": regency,
        "district_code": district,
        "serial": digits[12:],
    }
    warnings: list[Message] = []

    def refuse(key: str, **params: object) -> NikResult:
        return NikResult(text, error=_message(REASONS, key, **params), **found)

    if wilayah.wilayah_name(province) is None:
        return refuse("province_unknown", code=province)
    if wilayah.wilayah_name(regency) is None:
        newer_regency = _newer(regency)
        if regency in legacy_regency_codes() or (newer_regency and newer_regency[1]):
            warnings.append(_message(WARNINGS, "regency_legacy", code=regency))
        elif newer_regency is None:
            return refuse("regency_unknown", code=regency)
    if cc == "00":
        return refuse("district_zero")
    if regency not in legacy_regency_codes() and wilayah.wilayah_name(district) is None:
        # Districts move between regencies when a regency is split; the NIK keeps the old code.
        past = historical_district_codes().get(district)
        if past is None:
            newer = _newer(district)
            if newer is None:
                return refuse("district_never", code=district)
            # A district a newer list added is simply valid; one it retired, an old code.
            name, retired_on = newer
            past = {"name": name, "last_seen": retired_on} if retired_on else None
        if past is not None:
            warnings.append(
                _message(
                    WARNINGS,
                    "district_legacy",
                    code=district,
                    name=past["name"],
                    last_seen=past["last_seen"],
                )
            )

    day, month, yy = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    sex = "F" if day > 40 else "M"
    born = resolve_birth_date(day - 40 if sex == "F" else day, month, yy, today or dt.date.today())
    if born is None:
        return refuse("birth_date_invalid", text=f"{digits[6:8]}-{digits[8:10]}-{digits[10:12]}")
    if digits[12:] == "0000":
        return refuse("serial_zero")
    return NikResult(text, birth_date=born, sex=sex, warnings=tuple(warnings), **found)


def compose(district_code: str, birth_date: dt.date, sex: str, serial: int) -> str:
    """The NIK a person born on `birth_date` in `district_code` would get (the inverse of parse)."""
    day = birth_date.day + (40 if sex == "F" else 0)
    return (
        district_code.replace(".", "")
        + f"{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial:04d}"
    )


def mask(nik: str) -> str:
    """6172********0001: region and serial stay, the birth date is hidden."""
    return nik[:4] + "*" * 8 + nik[12:] if len(nik) == 16 else "*" * len(nik)
