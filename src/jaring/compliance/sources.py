"""Importing employer lists: business licences (OSS/DPMPTSP), the SME office's UMKM list, market
stall lists and BPJS's registered employers.

Read with the one spreadsheet reader (core.spreadsheets), headers mapped to the documented
columns (English names, or the Indonesian ones the offices use); a header that maps to nothing
is refused, so that a column is never silently dropped. Every bad cell is reported with its row,
column and reason, and the list is applied whole or not at all. An employer is the same one
again when the NIB matches, or the NPP (BPJS), or the cleaned name in the same kelurahan; the
fuzzy matching of the rest is `matching.py`'s. Cost: one pass in Python over the rows (a city's
list is thousands), three queries for the employers already known, bulk writes.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from jaring.accounts import audit
from jaring.accounts.scope import Actor, as_user, in_scope, scope_code
from jaring.compliance import services
from jaring.compliance.errors import ComplianceError
from jaring.compliance.models import Employer, EmployerList, SourceEntry, SourceKind
from jaring.compliance.names import name_key
from jaring.compliance.permissions import COMPLIANCE
from jaring.core import spreadsheets
from jaring.core.errors import CoreError, PermissionDenied, Problem, ValidationFailed
from jaring.regions.models import Level, Region
from jaring.rules.compliance import PROGRAMMES, default_compliance_tables
from jaring.rules.errors import RuleError

NIB_DIGITS = 13
# Header (lower case, single spaces) → column. English names are the documented ones.
HEADERS = {
    "name": "name",
    "nama": "name",
    "nama usaha": "name",
    "nama perusahaan": "name",
    "nama pemberi kerja": "name",
    "nama pelaku usaha": "name",
    "nama toko": "name",
    "nib": "nib",
    "npp": "npp",
    "no npp": "npp",
    "kbli": "kbli",
    "address": "address",
    "alamat": "address",
    "alamat usaha": "address",
    "village": "village",
    "kelurahan": "village",
    "kode kelurahan": "village",
    "city": "city",
    "kota": "city",
    "kode kota": "city",
    "capital": "capital",
    "modal": "capital",
    "modal usaha": "capital",
    "turnover": "turnover",
    "omzet": "turnover",
    "omset": "turnover",
    "workers": "workers",
    "tenaga kerja": "workers",
    "jumlah tenaga kerja": "workers",
    "jumlah pekerja": "workers",
    "wage bill": "wage_bill",
    "total upah": "wage_bill",
    "jumlah upah": "wage_bill",
    "programmes": "programmes",
    "program": "programmes",
    "risk class": "risk_class",
    "kelompok risiko": "risk_class",
    "market": "market",
    "pasar": "market",
    "stall": "stall",
    "kios": "stall",
    "los": "stall",
}
REQUIRED = {
    SourceKind.LICENCE: ("name", "nib"),
    SourceKind.UMKM: ("name",),
    SourceKind.MARKET: ("name", "market"),
    SourceKind.BPJS: ("name", "npp", "workers", "wage_bill"),
}
_NUMBERS = ("capital", "turnover", "workers", "wage_bill", "risk_class")


@dataclass
class ListResult:
    list_id: int
    kind: str
    region: str
    rows: int
    created: int
    updated: int
    cases_closed: int

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


@dataclass
class _Row:
    row: int
    name: str
    nib: str
    npp: str
    kbli: str
    address: str
    region_code: str
    capital: int | None
    turnover: int | None
    workers: int | None
    wage_bill: int | None
    programmes: str
    risk_class: int | None


def _words(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.strip().lower())


def _problem(row: int, column: str, code: ComplianceError, text_id: str, text_en: str) -> Problem:
    return Problem(
        code,
        f"Baris {row}, kolom {column}: {text_id}",
        f"Row {row}, column {column}: {text_en}",
        field=f"rows.{row}.{column}",
        params={"row": row},
    )


def _city(actor: Actor, code: str) -> str:
    code = (code or "").strip() or scope_code(actor) or ""
    if not code:
        raise ValidationFailed(
            Problem(
                ComplianceError.REGION_REQUIRED,
                "Pilih kota yang daftarnya diimpor.",
                "Choose the city the list is for.",
                field="region",
            )
        )
    code = code[:5]
    if not Region.objects.filter(code=code, level=Level.REGENCY).exists():
        raise ValidationFailed(
            Problem(
                CoreError.INVALID,
                f"Kode kota {code} tidak dikenal.",
                f"City code {code} does not exist.",
                field="region",
            )
        )
    if not in_scope(actor, code):
        raise PermissionDenied(
            Problem(
                CoreError.OUT_OF_SCOPE,
                f"Kota {code} di luar wilayah kerja Anda.",
                f"City {code} is outside your region.",
                field="region",
            )
        )
    return code


def _columns(headers: list[str], kind: str) -> dict[str, str]:
    columns: dict[str, str] = {}
    unknown = []
    for header in headers:
        name = HEADERS.get(_words(header))
        if name is None:
            unknown.append(header)
        elif name not in columns:
            columns[name] = header
    known = ", ".join(sorted(set(HEADERS.values())))
    if unknown:
        raise ValidationFailed(
            *(
                Problem(
                    ComplianceError.COLUMN_UNKNOWN,
                    f"Kolom '{h}' tidak dikenal; kolom yang dikenal: {known}.",
                    f"Column '{h}' is unknown; known columns: {known}.",
                    field="file",
                )
                for h in unknown
            )
        )
    missing = [c for c in REQUIRED[kind] if c not in columns]
    if missing:
        raise ValidationFailed(
            Problem(
                CoreError.COLUMNS_MISSING,
                f"Kolom wajib tidak ada: {', '.join(missing)}.",
                f"Required columns missing: {', '.join(missing)}.",
                field="file",
            )
        )
    return columns


def _number(text: str) -> int | None:
    """Rupiah or a count as offices write it: 1.500.000, 1,500,000, Rp 1500000."""
    cleaned = re.sub(r"^rp\.?\s*|[.,\s](?=\d{3}\b)", "", text.strip().lower())
    return int(cleaned) if cleaned.isdigit() else None


class _Reader:
    def __init__(self, city: str, kind: str):
        self.city = city
        self.kind = kind
        self.problems: list[Problem] = []
        self.villages = {
            **dict(
                Region.objects.filter(code__startswith=city + ".", level=Level.VILLAGE).values_list(
                    "code", "code"
                )
            ),
            **{
                _words(name): code
                for code, name in Region.objects.filter(
                    code__startswith=city + ".", level=Level.VILLAGE
                ).values_list("code", "name")
            },
        }

    def add(self, row: int, column: str, code: ComplianceError, text_id: str, text_en: str):
        self.problems.append(_problem(row, column, code, text_id, text_en))

    def row(self, row_no: int, cells: dict[str, str]) -> _Row | None:
        found = len(self.problems)

        def get(column: str) -> str:
            return (cells.get(column) or "").strip()

        name = get("name")
        if not name:
            self.add(
                row_no,
                "name",
                ComplianceError.NAME_REQUIRED,
                "nama wajib diisi.",
                "a name is required.",
            )
        nib = re.sub(r"\D", "", get("nib"))
        wrong_length = bool(get("nib")) and len(nib) != NIB_DIGITS
        if wrong_length or (self.kind == SourceKind.LICENCE and not nib):
            self.add(
                row_no,
                "nib",
                ComplianceError.NIB_LENGTH,
                f"NIB '{get('nib')}' harus {NIB_DIGITS} angka.",
                f"NIB '{get('nib')}' must be {NIB_DIGITS} digits.",
            )
        npp = get("npp").upper()
        if self.kind == SourceKind.BPJS and not npp:
            self.add(
                row_no,
                "npp",
                ComplianceError.NPP_REQUIRED,
                "NPP wajib diisi di daftar BPJS.",
                "BPJS's list needs the NPP.",
            )
        city = get("city")
        if city and city[:5] != self.city:
            self.add(
                row_no,
                "city",
                ComplianceError.LIST_OTHER_CITY,
                f"pemberi kerja di kota {city}, bukan {self.city}.",
                f"the employer is in city {city}, not {self.city}.",
            )
        region_code = self.city
        if get("village"):
            region_code = self.villages.get(get("village")) or self.villages.get(
                _words(get("village"))
            )
            if region_code is None:
                self.add(
                    row_no,
                    "village",
                    ComplianceError.VILLAGE_OUTSIDE,
                    f"kelurahan '{get('village')}' tidak ada di kota {self.city}.",
                    f"kelurahan '{get('village')}' is not in city {self.city}.",
                )
        numbers = {}
        for column in _NUMBERS:
            text = get(column)
            numbers[column] = _number(text) if text else None
            if text and numbers[column] is None:
                self.add(
                    row_no,
                    column,
                    ComplianceError.NUMBER_INVALID,
                    f"'{text}' bukan bilangan bulat.",
                    f"'{text}' is not a whole number.",
                )
            elif self.kind == SourceKind.BPJS and column in ("workers", "wage_bill") and not text:
                self.add(
                    row_no,
                    column,
                    ComplianceError.NUMBER_INVALID,
                    "wajib diisi di daftar BPJS.",
                    "BPJS's list needs it.",
                )
        programmes = [p for p in re.split(r"[\s,+/;&]+", get("programmes").upper()) if p]
        if set(programmes) - set(PROGRAMMES):
            allowed = ", ".join(PROGRAMMES)
            self.add(
                row_no,
                "programmes",
                ComplianceError.PROGRAMMES_UNKNOWN,
                f"program '{get('programmes')}' tidak dikenal; isi dari {allowed}.",
                f"programmes '{get('programmes')}' are unknown; use {allowed}.",
            )
        if len(self.problems) > found:
            return None
        address = ", ".join(filter(None, [get("address"), get("market"), get("stall")]))
        return _Row(
            row=row_no,
            name=name[:200],
            nib=nib,
            npp=npp[:20],
            kbli=get("kbli")[:5],
            address=address[:300],
            region_code=region_code,
            programmes=",".join(p for p in PROGRAMMES if p in programmes),
            **numbers,
        )


def _identity(r: _Row) -> tuple[str, str]:
    """The key a row is one employer by, within one list."""
    if r.nib:
        return "nib", r.nib
    if r.npp:
        return "npp", r.npp
    return "name", f"{name_key(r.name)}|{r.region_code}"


def read_list(*, path: Path, kind: str, city: str) -> list[_Row]:
    sheet = spreadsheets.read(path, header_row=1)
    columns = _columns(sheet.headers, kind)
    reader = _Reader(city, kind)
    rows: list[_Row] = []
    first: dict[tuple[str, str], int] = {}
    frame = sheet.frame.select([sheet.frame[h].alias(c) for c, h in columns.items()])
    for i, cells in enumerate(frame.iter_rows(named=True)):
        row_no = sheet.header_row + 1 + i
        row = reader.row(row_no, cells)
        if row is None:
            continue
        key = _identity(row)
        if key in first:
            reader.add(
                row_no,
                key[0],
                ComplianceError.EMPLOYER_TWICE,
                f"pemberi kerja yang sama sudah ada di baris {first[key]}.",
                f"the same employer is already in row {first[key]}.",
            )
            continue
        first[key] = row_no
        rows.append(row)
    if reader.problems:
        raise ValidationFailed(*reader.problems)
    return rows


def import_list(*, actor: Actor, path: Path, kind: str, region_code: str = "", name: str = ""):
    """Reads, checks and saves a whole list, or raises with every row's problem."""
    COMPLIANCE.check(actor, "import")
    city = _city(actor, region_code)
    rows = read_list(path=path, kind=kind, city=city)
    return _save(actor, city, kind, rows, name or path.name)


def import_upload(*, actor: Actor, upload, kind: str, region_code: str = "") -> ListResult:
    """The same, for an uploaded file (page and API); the reader needs it on disk."""
    spreadsheets.check_size(upload.size or 0)
    with tempfile.NamedTemporaryFile(suffix=Path(upload.name or "").suffix) as f:
        for chunk in upload.chunks():
            f.write(chunk)
        f.flush()
        return import_list(
            actor=actor, path=Path(f.name), kind=kind, region_code=region_code, name=upload.name
        )


def _size(employer: Employer, day) -> None:
    workers = max(filter(None, [employer.bpjs_workers, employer.other_workers]), default=None)
    try:
        size = default_compliance_tables().size_class(
            capital=employer.capital, turnover=employer.turnover, workers=workers, day=day
        )
    except RuleError:
        return
    employer.size_class, employer.size_criterion = size.size_class, size.criterion


@transaction.atomic
def _save(actor: Actor, city: str, kind: str, rows: list[_Row], name: str) -> ListResult:
    now = timezone.now()
    known = Employer.objects.filter(regency_code=city)
    by_nib = {e.nib: e for e in known.exclude(nib="")}
    by_npp = {e.npp: e for e in known.exclude(npp="")}
    by_name = {f"{e.name_key}|{e.region_code}": e for e in known}
    source_list = EmployerList.objects.create(
        kind=kind,
        regency_code=city,
        name=name[:200],
        rows=len(rows),
        created=0,
        updated=0,
        imported_by=as_user(actor),
        imported_at=now,
    )
    new, changed, pairs = [], [], []
    for r in rows:
        e = (
            (r.nib and by_nib.get(r.nib))
            or (r.npp and by_npp.get(r.npp))
            or by_name.get(f"{name_key(r.name)}|{r.region_code}")
        )
        if e is None:
            e = Employer(name=r.name, name_key=name_key(r.name), regency_code=city)
            e.region_code = r.region_code
            new.append(e)
        elif e.pk:
            changed.append(e)
        for value, attr in ((r.nib, "nib"), (r.npp, "npp"), (r.kbli, "kbli")):
            if value:
                setattr(e, attr, value)
        if r.address and not e.address:
            e.address = r.address
        if r.region_code != city:
            e.region_code = r.region_code
        for attr in ("capital", "turnover", "risk_class"):
            if getattr(r, attr) is not None:
                setattr(e, attr, getattr(r, attr))
        if kind == SourceKind.BPJS:
            e.bpjs_list = source_list
            e.bpjs_workers, e.bpjs_wage_bill = r.workers, r.wage_bill
            e.bpjs_programmes = r.programmes or "JKK,JKM,JHT"
        else:
            if r.workers is not None:
                e.other_workers = max(r.workers, e.other_workers or 0)
            if r.wage_bill is not None:
                e.other_wage_bill = max(r.wage_bill, e.other_wage_bill or 0)
        _size(e, now.date())
        by_nib.update({e.nib: e} if e.nib else {})
        by_npp.update({e.npp: e} if e.npp else {})
        by_name[f"{e.name_key}|{e.region_code}"] = e
        pairs.append((e, r))
    Employer.objects.bulk_create(new, batch_size=1000)
    fields = [
        "nib",
        "npp",
        "kbli",
        "address",
        "region_code",
        "capital",
        "turnover",
        "risk_class",
        "bpjs_list",
        "bpjs_workers",
        "bpjs_wage_bill",
        "bpjs_programmes",
        "other_workers",
        "other_wage_bill",
        "size_class",
        "size_criterion",
        "updated_at",
    ]
    for e in changed:
        e.updated_at = now
    Employer.objects.bulk_update(list({e.pk: e for e in changed}.values()), fields, batch_size=500)
    SourceEntry.objects.bulk_create(
        [
            SourceEntry(
                employer=e,
                source_list=source_list,
                kind=kind,
                row=r.row,
                name=r.name,
                address=r.address,
                workers=r.workers,
                wage_bill=r.wage_bill,
                programmes=r.programmes,
            )
            for e, r in pairs
        ],
        batch_size=1000,
    )
    source_list.created = len(new)
    source_list.updated = len({e.pk for e in changed})
    source_list.save(update_fields=["created", "updated"])
    closed = (
        services.close_registered(actor=actor, employers=[e for e, _ in pairs], source=source_list)
        if kind == SourceKind.BPJS
        else 0
    )
    result = ListResult(
        source_list.pk, kind, city, len(rows), source_list.created, source_list.updated, closed
    )
    audit.record(
        actor=actor,
        action="compliance.import_list",
        target=source_list,
        region_code=city,
        before=None,
        after=result.as_dict(),
    )
    return result
