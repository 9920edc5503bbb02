"""Export profiles: a BPJS branch's spreadsheet layout as data, one TOML file per profile.

A profile says which columns a submission batch has, in which order, under which header, how
dates are written and which codes stand for a value (sex L/P, Y/N per programme, marital
status); a column may also hold a fixed value. The branch's response is read with the same
profile: its headers name the NIK, the KPJ and the answer.

Shipped profiles live beside this module (`profiles/*.toml`: `jaring`, Jaring's own layout, and
`bpjs-kolektif`, BPJS's collective registration form); an administrator adds a branch's own in
`JARING_EXPORT_PROFILES_DIR` (default `JARING_HOME/profiles`) without code, and
`jaring bpjs profiles --check FILE` tells what is wrong with one. Pure Python: no database.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from jaring.core.errors import Problem, ValidationFailed
from jaring.enrolment.errors import EnrolmentError
from jaring.enrolment.exchange.table import column_key

SHIPPED = Path(__file__).with_name("profiles")
DEFAULT = "jaring"

# What a column may hold: a field of the submission row (or of the branch's answer), with what
# it means, for the error messages and docs/data-formats.md.
FIELDS: dict[str, tuple[str, str]] = {
    "row_number": ("nomor urut baris (1, 2, …)", "row number (1, 2, …)"),
    "batch": ("nomor batch Jaring", "Jaring's batch reference"),
    "nik": ("NIK, 16 angka", "NIK, 16 digits"),
    "name": ("nama lengkap", "full name"),
    "place_of_birth": ("tempat lahir", "place of birth"),
    "birth_date": ("tanggal lahir", "date of birth"),
    "sex": ("jenis kelamin (kode: codes.sex)", "sex (codes: codes.sex)"),
    "marital_status": ("status perkawinan (kode: codes.marital_status)", "marital status"),
    "address": ("alamat lengkap dengan RT/RW, kelurahan, kecamatan", "full address"),
    "street": ("alamat jalan dengan RT/RW", "street address with RT/RW"),
    "village": ("kelurahan/desa", "village (kelurahan/desa)"),
    "district": ("kecamatan", "district (kecamatan)"),
    "city": ("kota/kabupaten", "city or regency"),
    "province": ("provinsi", "province"),
    "postal_code": ("kode pos kelurahan", "the village's postal code"),
    "phone": ("nomor HP", "mobile number"),
    "email": ("email", "email"),
    "mother_maiden_name": ("nama ibu kandung", "mother's maiden name"),
    "occupation": ("pekerjaan (kategori)", "occupation category"),
    "income_base": ("upah/penghasilan dasar iuran, rupiah", "income base, rupiah"),
    "programmes": ("program, digabung dengan +", "benefits joined with +"),
    "programme.JKK": ("ikut JKK (kode: codes.flag)", "JKK included (codes: codes.flag)"),
    "programme.JKM": ("ikut JKM (kode: codes.flag)", "JKM included"),
    "programme.JHT": ("ikut JHT (kode: codes.flag)", "JHT included"),
    "start_date": ("tanggal mulai kepesertaan", "cover start date"),
    "months": ("lama kepesertaan, bulan", "months of cover"),
    "participation_code": ("kode kepesertaan (SG, SA, …)", "participation code"),
    # Filled by the branch in its answer; empty on the way out.
    "kpj": ("nomor KPJ (diisi BPJS)", "KPJ number (BPJS fills it in)"),
    "status": ("hasil: diterima/ditolak (diisi BPJS)", "answer: accepted/rejected (BPJS)"),
    "reason": ("alasan penolakan (diisi BPJS)", "reason for a rejection (BPJS)"),
}
# Fields the branch fills in; a response is read through them.
ANSWER_FIELDS = ("kpj", "status", "reason")
RESPONSE_FIELDS = ("nik", "kpj", "status", "reason", "start_date", "batch")
DATES = ("birth_date", "start_date")
NUMBERS = ("income_base", "months", "row_number")

# How a date is written (csv text and the xlsx cell's number format).
DATE_FORMATS = {
    "dd-mm-yyyy": "%d-%m-%Y",
    "dd/mm/yyyy": "%d/%m/%Y",
    "yyyy-mm-dd": "%Y-%m-%d",
}
# The codes a profile must give when it has a column of that field.
CODE_KEYS = {
    "sex": ("M", "F"),
    "marital_status": ("single", "married", "divorced", "widowed"),
    "flag": ("yes", "no"),
}
_TOP_KEYS = {"title_id", "title_en", "sheet", "date_format", "codes", "columns", "response"}
_COLUMN_KEYS = {"header", "field", "value", "width"}
_RESPONSE_KEYS = {"status", "columns"}
# "column": the answer's status is a column of the file; "from_kpj": a KPJ number means
# accepted, a reason without one rejected, neither not yet answered.
STATUS_RULES = ("column", "from_kpj")


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    field: str = ""  # one of FIELDS, or empty for a fixed value
    value: str = ""
    width: int = 14


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    title_id: str
    title_en: str
    sheet: str
    date_format: str  # a key of DATE_FORMATS
    codes: dict[str, dict[str, str]]
    columns: tuple[Column, ...]
    # Columns only the branch's answer has (not written out), e.g. KETERANGAN for a reason.
    response_columns: tuple[Column, ...] = ()
    status_rule: str = "column"
    source: str = ""  # the TOML text, kept with each batch so its file can be written again
    headers: tuple[str, ...] = field(init=False, default=())
    # The fields its columns hold (what an export must read).
    fields: frozenset[str] = field(init=False, default=frozenset())

    def __post_init__(self) -> None:
        object.__setattr__(self, "headers", tuple(c.header for c in self.columns))
        object.__setattr__(self, "fields", frozenset(c.field for c in self.columns if c.field))

    @property
    def strftime(self) -> str:
        return DATE_FORMATS[self.date_format]

    def reading(self) -> dict[str, str]:
        """Header key (table.column_key) → answer field, for the columns a response holds."""
        return {
            column_key(c.header): c.field
            for c in (*self.columns, *self.response_columns)
            if c.field in RESPONSE_FIELDS
        }

    def required_headers(self) -> list[str]:
        """The headers a response in this profile must have, in file order."""
        wanted = ("nik", "kpj", "status") if self.status_rule == "column" else ("nik", "kpj")
        headers = {c.field: c.header for c in (*self.columns, *self.response_columns)}
        return [headers[f] for f in wanted]

    def optional_headers(self) -> list[str]:
        required = set(self.required_headers())
        return [
            c.header
            for c in (*self.columns, *self.response_columns)
            if c.field in RESPONSE_FIELDS and c.header not in required
        ]


def _problem(where: str, text_id: str, text_en: str, **params) -> Problem:
    return Problem(
        EnrolmentError.PROFILE_INVALID,
        f"Profil ekspor, {where}: {text_id}",
        f"Export profile, {where}: {text_en}",
        field=f"profile.{where}",
        params=params,
    )


def _columns(raw: object, where: str, problems: list[Problem]) -> tuple[Column, ...]:
    if not isinstance(raw, list):
        problems.append(_problem(where, "harus daftar [[columns]].", "must be a [[columns]] list."))
        return ()
    columns: list[Column] = []
    for number, spec in enumerate(raw, start=1):
        at = f"{where}.{number}"
        if not isinstance(spec, dict):
            problems.append(_problem(at, "bukan tabel.", "is not a table."))
            continue
        for key in sorted(set(spec) - _COLUMN_KEYS):
            problems.append(
                _problem(
                    at,
                    f"kunci '{key}' tidak dikenal (header, field, value, width).",
                    f"unknown key '{key}' (header, field, value, width).",
                    key=key,
                )
            )
        header = str(spec.get("header", "")).strip()
        if not header:
            problems.append(_problem(at, "kolom tanpa header.", "a column needs a header."))
        name = str(spec.get("field", ""))
        if name and name not in FIELDS:
            problems.append(
                _problem(
                    at,
                    f"kolom '{header}': field '{name}' tidak dikenal (lihat docs/data-formats.md, "
                    "Profil ekspor).",
                    f"column '{header}': unknown field '{name}' (see docs/data-formats.md, "
                    "Export profiles).",
                    header=header,
                    names=name,
                )
            )
        if bool(name) == ("value" in spec):
            problems.append(
                _problem(
                    at,
                    f"kolom '{header}' perlu tepat satu dari field atau value.",
                    f"column '{header}' needs exactly one of field or value.",
                    header=header,
                )
            )
        width = spec.get("width", 14)
        if not isinstance(width, int) or not 1 <= width <= 100:
            problems.append(_problem(at, "width 1–100.", "width must be 1–100.", header=header))
            width = 14
        columns.append(Column(header, name, str(spec.get("value", "")), width))
    return tuple(columns)


def _repeated_headers(columns: tuple[Column, ...], problems: list[Problem]) -> None:
    seen: dict[str, int] = {}
    for number, column in enumerate(columns, start=1):
        key = column_key(column.header)
        if key in seen:
            problems.append(
                _problem(
                    f"columns.{number}",
                    f"header '{column.header}' sama dengan kolom {seen[key]} "
                    f"('{columns[seen[key] - 1].header}'): BPJS dan Jaring tidak bisa "
                    "membedakan keduanya.",
                    f"header '{column.header}' repeats column {seen[key]} "
                    f"('{columns[seen[key] - 1].header}'): neither BPJS nor Jaring could tell "
                    "them apart.",
                    header=column.header,
                )
            )
        elif key:
            seen[key] = number


def parse(text: str, name: str) -> Profile:
    """A profile from its TOML text; every problem in it at once, or ValidationFailed."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationFailed(
            _problem("file", f"bukan TOML yang sah ({exc}).", f"is not valid TOML ({exc}).")
        ) from None
    problems: list[Problem] = []
    for key in sorted(set(data) - _TOP_KEYS):
        problems.append(
            _problem(key, "kunci tidak dikenal.", "unknown key.", key=key),
        )
    date_format = str(data.get("date_format", "dd-mm-yyyy"))
    if date_format not in DATE_FORMATS:
        problems.append(
            _problem(
                "date_format",
                f"'{date_format}' tidak dikenal ({', '.join(DATE_FORMATS)}).",
                f"unknown '{date_format}' ({', '.join(DATE_FORMATS)}).",
            )
        )
    columns = _columns(data.get("columns", []), "columns", problems)
    if not columns:
        problems.append(_problem("columns", "tidak ada kolom.", "has no columns."))
    response = data.get("response", {})
    status_rule = str(response.get("status", "column")) if isinstance(response, dict) else ""
    if not isinstance(response, dict) or set(response) - _RESPONSE_KEYS:
        problems.append(
            _problem("response", "hanya status dan columns.", "takes only status and columns.")
        )
        response = {}
    extra = _columns(response.get("columns", []), "response.columns", problems)
    _repeated_headers(columns + extra, problems)
    if status_rule not in STATUS_RULES:
        problems.append(
            _problem(
                "response.status",
                f"'{status_rule}' tidak dikenal ({', '.join(STATUS_RULES)}).",
                f"unknown '{status_rule}' ({', '.join(STATUS_RULES)}).",
            )
        )
    used = {c.field for c in (*columns, *extra)}
    for needed in ("nik", "kpj", *(("status",) if status_rule == "column" else ())):
        if needed not in used:
            problems.append(
                _problem(
                    "columns",
                    f"perlu kolom dengan field '{needed}': jawaban BPJS dibaca darinya.",
                    f"needs a column with field '{needed}': BPJS's answer is read from it.",
                    names=needed,
                )
            )
    codes = data.get("codes", {})
    if not isinstance(codes, dict):
        problems.append(_problem("codes", "harus tabel.", "must be a table."))
        codes = {}
    for key in sorted(set(codes) - set(CODE_KEYS)):
        problems.append(_problem(f"codes.{key}", "kode tidak dikenal.", "unknown codes.", key=key))
    kinds = {"flag" if f.startswith("programme.") else f for f in used}
    for kind, values in CODE_KEYS.items():
        given = codes.get(kind, {})
        if kind in kinds and not all(str(given.get(v, "")).strip() for v in values):
            problems.append(
                _problem(
                    f"codes.{kind}",
                    f"perlu kode untuk {', '.join(values)}.",
                    f"needs a code for each of {', '.join(values)}.",
                )
            )
    if problems:
        raise ValidationFailed(*problems)
    return Profile(
        name=name,
        title_id=str(data.get("title_id", name)),
        title_en=str(data.get("title_en", data.get("title_id", name))),
        sheet=str(data.get("sheet", "batch"))[:31],
        date_format=date_format,
        codes={k: {str(a): str(b) for a, b in v.items()} for k, v in codes.items()},
        columns=columns,
        response_columns=extra,
        status_rule=status_rule,
        source=text,
    )


def _folders() -> list[Path]:
    extra = getattr(settings, "JARING_EXPORT_PROFILES_DIR", None)
    return [SHIPPED, *([Path(extra)] if extra else [])]


def _files() -> dict[str, Path]:
    """Profile name → file; an administrator's file of a shipped name replaces it."""
    found: dict[str, Path] = {}
    for folder in _folders():
        if folder.is_dir():
            for path in sorted(folder.glob("*.toml")):
                found[path.stem] = path
    return found


def names() -> list[str]:
    return sorted(_files())


def get(name: str) -> Profile:
    """The profile `name`, or ValidationFailed naming the known ones (or the file's problems)."""
    path = _files().get(name)
    if path is None:
        raise ValidationFailed(
            Problem(
                EnrolmentError.PROFILE_UNKNOWN,
                f"Profil ekspor '{name}' tidak ada (ada: {', '.join(names())}).",
                f"There is no export profile '{name}' (there are: {', '.join(names())}).",
                field="profile",
                params={"profile": name},
            )
        )
    return parse(path.read_text(encoding="utf-8"), name)


def usable() -> list[Profile]:
    """Every profile that reads without problems (a broken one is left out of the choices;
    `jaring bpjs profiles` says why)."""
    found = []
    for name in names():
        try:
            found.append(get(name))
        except ValidationFailed:
            continue
    return found


def format_date(value: dt.date, profile: Profile) -> str:
    return value.strftime(profile.strftime)
