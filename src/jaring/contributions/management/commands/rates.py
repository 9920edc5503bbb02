"""`jaring rates`: the rule-table versions in force, and adding a version from a file.

    jaring rates list [--table bpu_income_base] [--json]
    jaring rates import FILE.toml|FILE.json [--close-previous] [--dry-run] [--note TEXT] [--json]

A file has the structure of `rules/data/*.toml`. Overlapping dates are refused unless
--close-previous ends the version in force the day before the new one starts.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jaring.accounts.scope import SYSTEM
from jaring.contributions import rate_services, rate_tables
from jaring.core.errors import DomainError
from jaring.enrolment.management.commands._exchange_cli import acting_user, dump, refuse


class Command(BaseCommand):
    help = "Rule-table versions: list, import."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        listing = sub.add_parser("list", help="every version of every table, with its origin")
        listing.add_argument("--table", help="only this table, e.g. bpu_income_base")
        listing.add_argument("--json", action="store_true")
        add = sub.add_parser("import", help="add the versions in a TOML or JSON file")
        add.add_argument("file", type=Path)
        add.add_argument("--close-previous", action="store_true")
        add.add_argument("--dry-run", action="store_true", help="check only, store nothing")
        add.add_argument("--note", default="")
        add.add_argument("--user", metavar="USERNAME", help="the admin acting (default: system)")
        add.add_argument("--json", action="store_true")

    def handle(self, *args, **opts):
        if opts["action"] == "list":
            return self._list(opts)
        return self._import(opts)

    def _list(self, opts):
        rows = rate_tables.version_rows(opts["table"])
        if opts["json"]:
            self.stdout.write(dump([r.as_dict() for r in rows]))
            return
        for r in rows:
            until = r.effective_to.isoformat() if r.effective_to else "…"
            flags = " incomplete" if r.incomplete else ""
            origin = f"import #{r.import_id}" if r.import_id else "shipped"
            self.stdout.write(
                f"{r.table:24} {r.id:34} {r.effective_from} – {until:10} {r.status:2}{flags} "
                f"({origin})"
            )

    def _import(self, opts):
        path: Path = opts["file"]
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {path}: {exc}") from None
        actor = acting_user(opts["user"]) if opts["user"] else SYSTEM
        try:
            imported = rate_services.import_rates(
                actor=actor,
                text=text,
                file_name=path.name,
                close_previous=opts["close_previous"],
                note=opts["note"],
                dry_run=opts["dry_run"],
            )
        except DomainError as exc:
            refuse(self, exc, opts["json"])
        result = {
            "import_id": imported.pk,
            "dry_run": opts["dry_run"],
            "versions": {t: [v.get("id") for v in vs] for t, vs in imported.document.items()},
            "closes": imported.closes,
            "bills_in_range": imported.bills_in_range,
        }
        if opts["json"]:
            self.stdout.write(dump(result))
            return
        verb = "would add" if opts["dry_run"] else f"added (import #{imported.pk})"
        for table, ids in result["versions"].items():
            self.stdout.write(f"{verb}: {table} {', '.join(ids)}")
        for c in imported.closes:
            self.stdout.write(f"closed: {c['table']} {c['id']} on {c['effective_to']}")
        if imported.bills_in_range:
            self.stdout.write(
                f"{imported.bills_in_range} bill(s) already made for months the new versions "
                "cover keep the versions they were priced with."
            )
