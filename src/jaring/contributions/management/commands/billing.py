"""`jaring billing`: the monthly run, bills, their documents and arrears.

    jaring billing run --month 2026-05 [--programme ID] [--as-of 2026-05-01] [--json]
    jaring billing list [--programme ID] [--month 2026-05] [--status open] [--json]
    jaring billing show BILL_ID [--json]
    jaring billing export BILL_ID --format xlsx|pdf [--output FILE]
    jaring billing arrears [--programme ID] [--as-of DATE] [--limit N] [--json]

Without --user the command acts as the system (every programme). A refusal exits with status 2.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jaring.accounts.scope import SYSTEM
from jaring.contributions import documents, selectors, services
from jaring.contributions.models import BillStatus
from jaring.contributions.serialise import bill_detail, bill_dict
from jaring.core.arguments import date_arg, month_arg
from jaring.core.errors import DomainError
from jaring.enrolment.management.commands._exchange_cli import acting_user, dump, refuse
from jaring.programs.models import Programme
from jaring.rules.tables import rupiah


class Command(BaseCommand):
    help = "Monthly billing: run, list, show, export, arrears."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        def common(p, *, json=True):
            p.add_argument("--user", metavar="USERNAME", help="who acts (default: the system)")
            if json:
                p.add_argument("--json", action="store_true")

        run = sub.add_parser("run", help="lapse, then bill every programme for the month")
        run.add_argument("--month", type=month_arg, required=True, metavar="YYYY-MM")
        run.add_argument("--programme", type=int, metavar="ID")
        run.add_argument("--as-of", type=date_arg, help="day the lapse rule looks from (today)")
        run.add_argument(
            "--dry-run", action="store_true", help="say what the run would do; change nothing"
        )
        common(run)
        listing = sub.add_parser("list", help="bills, newest month first")
        listing.add_argument("--programme", type=int, metavar="ID")
        listing.add_argument("--month", type=month_arg, metavar="YYYY-MM")
        listing.add_argument("--status", choices=BillStatus.values)
        common(listing)
        show = sub.add_parser("show", help="one bill with its rates")
        show.add_argument("bill", type=int)
        common(show)
        export = sub.add_parser("export", help="the bill document")
        export.add_argument("bill", type=int)
        export.add_argument("--format", choices=["xlsx", "pdf"], default="xlsx")
        export.add_argument("--output", type=Path, help="file (default: its usual name; - stdout)")
        common(export, json=False)
        arrears = sub.add_parser("arrears", help="members with billed months unpaid")
        arrears.add_argument("--programme", type=int, metavar="ID")
        arrears.add_argument("--as-of", type=date_arg)
        arrears.add_argument("--limit", type=int, default=None)
        common(arrears)

    def handle(self, *args, **opts):
        actor = acting_user(opts["user"]) if opts.get("user") else SYSTEM
        try:
            getattr(self, f"_{opts['action']}")(actor, opts)
        except DomainError as exc:
            refuse(self, exc, opts.get("json", False))

    def _run(self, actor, opts):
        programme = None
        if opts["programme"] is not None:
            programme = Programme.objects.filter(pk=opts["programme"]).first()
            if programme is None:
                raise CommandError(f"no programme {opts['programme']}")

        def progress(name: str, fraction: float) -> None:
            if not opts["json"] and name:
                self.stderr.write(f"[{fraction:4.0%}] {name}")

        if opts.get("dry_run"):
            result = services.preview_run(
                month=opts["month"], actor=actor, programme=programme, as_of=opts["as_of"]
            )
            if not opts["json"]:
                self.stdout.write("dry run: nothing is kept")
        else:
            result = services.run_month(
                month=opts["month"],
                actor=actor,
                programme=programme,
                as_of=opts["as_of"],
                progress=progress,
            )
        if opts["json"]:
            self.stdout.write(dump(result.as_dict()))
        else:
            lapses = result.lapses
            self.stdout.write(
                f"lapsed as of {lapses.as_of}: {lapses.memberships} membership(s), "
                f"{lapses.lines_lapsed} unpaid line(s) taken off"
            )
            for b in result.bills:
                state = "new" if b.created else f"+{b.added}"
                self.stdout.write(
                    f"bill {b.bill_id} {b.programme} {b.month} ({state}): {b.members} members, "
                    f"{rupiah(b.total)}, due {b.due_date}, {b.rule_version}"
                )
            for p in result.problems:
                self.stderr.write(f"programme {p['programme_id']}: {p['message']}")
        if result.problems:
            raise CommandError("some programmes were not billed", returncode=2)

    def _list(self, actor, opts):
        bills = selectors.bills_for(actor)
        if opts["programme"]:
            bills = bills.filter(programme_id=opts["programme"])
        if opts["month"]:
            bills = bills.filter(month=opts["month"])
        if opts["status"]:
            bills = bills.filter(status=opts["status"])
        rows = [bill_dict(b) for b in bills]
        if opts["json"]:
            self.stdout.write(dump(rows))
            return
        for r in rows:
            self.stdout.write(
                f"{r['id']:>6} {r['month']} {r['programme'][:40]:40} {r['members']:>8} "
                f"{rupiah(r['total']):>16} open {rupiah(r['open']):>16} {r['status']}"
            )

    def _show(self, actor, opts):
        bill = selectors.get_bill(actor, opts["bill"])
        data = bill_detail(bill)
        if opts["json"]:
            self.stdout.write(dump(data))
            return
        for key, value in data.items():
            if key not in ("rates", "allocations"):
                self.stdout.write(f"{key:15} {value}")
        for r in data["rates"]:
            self.stdout.write(f"  {r['category']} {rupiah(r['income_base'])}: {r['formulas']}")

    def _export(self, actor, opts):
        bill = selectors.get_bill(actor, opts["bill"])
        kind = opts["format"]
        content = documents.bill_xlsx(bill) if kind == "xlsx" else documents.bill_pdf(bill)
        target = opts["output"] or Path(documents.file_name(bill, kind))
        if str(target) == "-":
            sys.stdout.buffer.write(content)
            return
        target.write_bytes(content)
        self.stderr.write(f"wrote {target} ({len(content):,} bytes)")

    def _arrears(self, actor, opts):
        rows = selectors.arrears(
            actor,
            as_of=opts["as_of"] or timezone.localdate(),
            programme_id=opts["programme"],
            limit=opts["limit"],
        )
        if opts["json"]:
            self.stdout.write(dump([a.as_dict() for a in rows]))
            return
        for a in rows:
            flag = "  AT RISK" if a.at_risk else ""
            self.stdout.write(
                f"{a.kpj or '-':>16} {a.name[:30]:30} {len(a.months)} month(s) "
                f"{','.join(a.months)} {rupiah(a.amount)}{flag}"
            )
