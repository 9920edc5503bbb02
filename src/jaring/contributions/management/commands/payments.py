"""`jaring payments`: record a payment (e.g. an SP2D) against bills, list payments.

    jaring payments record --programme ID --amount 1680000 --date 2026-05-10 \
        --reference SP2D-123/2026 [--bill ID ...] [--excess-to-credit] [--note TEXT] [--json]
    jaring payments list [--programme ID] [--json]

Without --bill the payment goes to the programme's open bills, oldest first. A payment larger
than the open bills is refused unless --excess-to-credit carries the excess forward.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from jaring.accounts.scope import SYSTEM
from jaring.contributions import payment_services, selectors
from jaring.contributions.serialise import payment_dict, payment_dicts
from jaring.core.arguments import date_arg, rupiah_arg
from jaring.core.errors import DomainError
from jaring.enrolment.management.commands._exchange_cli import acting_user, dump, refuse
from jaring.programs.models import Programme
from jaring.rules.tables import rupiah


class Command(BaseCommand):
    help = "Contribution payments: record, list."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        record = sub.add_parser("record", help="record one payment")
        record.add_argument("--programme", type=int, required=True, metavar="ID")
        record.add_argument("--amount", type=rupiah_arg, required=True, metavar="RP")
        record.add_argument("--date", type=date_arg, required=True, metavar="YYYY-MM-DD")
        record.add_argument("--reference", required=True, help="e.g. the SP2D number")
        record.add_argument("--bill", type=int, action="append", metavar="ID")
        record.add_argument("--excess-to-credit", action="store_true")
        record.add_argument("--note", default="")
        listing = sub.add_parser("list", help="payments, newest first")
        listing.add_argument("--programme", type=int, metavar="ID")
        for p in (record, listing):
            p.add_argument("--user", metavar="USERNAME", help="who acts (default: the system)")
            p.add_argument("--json", action="store_true")

    def handle(self, *args, **opts):
        actor = acting_user(opts["user"]) if opts["user"] else SYSTEM
        try:
            if opts["action"] == "record":
                self._record(actor, opts)
            else:
                self._list(actor, opts)
        except DomainError as exc:
            refuse(self, exc, opts["json"])

    def _record(self, actor, opts):
        programme = Programme.objects.filter(pk=opts["programme"]).first()
        if programme is None:
            raise CommandError(f"no programme {opts['programme']}")
        payment = payment_services.record_payment(
            actor=actor,
            programme=programme,
            paid_on=opts["date"],
            amount=opts["amount"],
            reference=opts["reference"],
            bills=opts["bill"],
            note=opts["note"],
            excess_to_credit=opts["excess_to_credit"],
        )
        self._print([payment_dict(payment)], opts)

    def _list(self, actor, opts):
        payments = selectors.payments_for(actor)
        if opts["programme"]:
            payments = payments.filter(programme_id=opts["programme"])
        self._print(payment_dicts(payments), opts)

    def _print(self, rows, opts):
        if opts["json"]:
            self.stdout.write(dump(rows if opts["action"] == "list" else rows[0]))
            return
        for r in rows:
            spread = ", ".join(f"{b['month']} {rupiah(b['amount'])}" for b in r["bills"])
            credit = f", credit +{rupiah(r['to_credit'])}" if r["to_credit"] else ""
            self.stdout.write(
                f"{r['id']:>6} {r['paid_on']} {r['reference']:24} {rupiah(r['amount']):>16} "
                f"→ {spread or '-'}{credit}"
            )
