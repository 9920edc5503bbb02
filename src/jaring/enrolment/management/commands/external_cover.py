"""jaring external_cover import PATH | list: cover workers have outside Jaring's programmes."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from jaring.core.errors import DomainError
from jaring.enrolment.external import selectors as external_selectors
from jaring.enrolment.external import services as external
from jaring.enrolment.external.api import cover_out
from jaring.enrolment.management.commands._exchange_cli import (
    acting_user,
    add_user_argument,
    dump,
    refuse,
)


class Command(BaseCommand):
    help = (
        "Cover outside Jaring (self-paid BPU, wage-earner PU, other payer): import a csv/xlsx "
        "list (all or nothing) or list the records of your region."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        imp = actions.add_parser("import", help="import a list: nik, segment, benefits, start, end")
        imp.add_argument("path", type=Path)
        imp.add_argument("--region", default="", help="region the list is for (default: yours)")
        listing = actions.add_parser("list", help="records of your region")
        listing.add_argument("--nik", default="")
        listing.add_argument("--segment", default="")
        listing.add_argument("--limit", type=int, default=100)
        for p in (imp, listing):
            p.add_argument("--json", action="store_true", dest="as_json")
            add_user_argument(p)

    def handle(self, *args, action, as_json, user, **o):
        actor = acting_user(user)
        try:
            if action == "import":
                result = external.import_external_cover(
                    actor=actor, path=o["path"], region_code=o["region"]
                )
                self.stdout.write(dump(result.as_dict()) if as_json else self._summary(result))
                return
            qs = external_selectors.search_external_covers(
                actor, nik=o["nik"], segment=o["segment"]
            )
            rows = [cover_out(actor, c) for c in qs[: o["limit"]]]
        except DomainError as exc:
            refuse(self, exc, as_json)
        self.stdout.write(dump(rows) if as_json else self._table(rows))

    @staticmethod
    def _summary(r: external.ImportResult) -> str:
        return (
            f"{r.source}: {r.rows} records saved for {r.region} ({r.created} new, {r.updated} "
            f"updated); {r.registered} belong to registered workers."
        )

    @staticmethod
    def _table(rows: list[dict]) -> str:
        if not rows:
            return "No records."
        return "\n".join(
            f"{r['nik']}  {r['segment']:<12} {','.join(r['benefits']):<15} "
            f"{r['start_date']} – {r['end_date'] or '…':<10}  {r['source']}"
            for r in rows
        )
