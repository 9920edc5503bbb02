"""`jaring selfpay`: the monthly self-payment run and one payment.

    jaring selfpay run --month 2026-06 [--as-of 2026-06-20] [--json]
    jaring selfpay pay --cover ID --months 2 --amount 16800 --channel bank --reference REF
        [--paid-on 2026-06-10] [--user NAME] [--json]
    jaring selfpay remind [--as-of DATE] [--within-days 30] [--json]

Without --user the command acts as the system. A refusal exits with status 2.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from jaring.accounts.scope import SYSTEM
from jaring.continuity import reminders, services
from jaring.continuity.models import Channel
from jaring.core.arguments import count_arg, date_arg, month_arg, rupiah_arg
from jaring.core.errors import DomainError
from jaring.enrolment.management.commands._exchange_cli import acting_user, dump, refuse
from jaring.rules.tables import rupiah


class Command(BaseCommand):
    help = (
        "Self-paying members: the monthly run (lapses, then the month's contributions), a payment."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        run = sub.add_parser("run", help="lapse, then bill every active self-paid cover")
        run.add_argument("--month", type=month_arg, required=True, metavar="YYYY-MM")
        run.add_argument("--as-of", type=date_arg, help="day the lapse rule looks from (today)")
        pay = sub.add_parser("pay", help="pay the next months of one cover, arrears first")
        pay.add_argument("--cover", type=int, required=True, metavar="ID")
        pay.add_argument("--months", type=count_arg, default=1)
        pay.add_argument("--amount", type=rupiah_arg, required=True)
        pay.add_argument("--channel", choices=Channel.values, required=True)
        pay.add_argument("--reference", required=True)
        pay.add_argument("--paid-on", type=date_arg, help="default: today")
        remind = sub.add_parser(
            "remind", help="hand the reminders of cover ending to the registered senders"
        )
        remind.add_argument("--as-of", type=date_arg, help="default: today")
        remind.add_argument("--within-days", type=count_arg, help="default: the notice (30)")
        for p in (run, pay, remind):
            p.add_argument("--user", metavar="USERNAME", help="who acts (default: the system)")
            p.add_argument("--json", action="store_true")

    def handle(self, *args, **opts):
        actor = acting_user(opts["user"]) if opts["user"] else SYSTEM
        try:
            getattr(self, f"_{opts['action']}")(actor, opts)
        except DomainError as exc:
            refuse(self, exc, opts["json"])

    def _run(self, actor, opts):
        result = services.run_month(actor=actor, month=opts["month"], as_of=opts["as_of"])
        if opts["json"]:
            self.stdout.write(dump(result.as_dict()))
            return
        self.stdout.write(
            f"Bulan {result.month}: {result.billed} iuran ditagih, {result.lapsed} peserta "
            f"berhenti (lebih dari {services.lapse_limit()} bulan tidak bayar), belum dibayar "
            f"{rupiah(result.amount_due)}"
        )

    def _remind(self, actor, opts):
        due, queued = reminders.remind_ending(
            actor=actor, as_of=opts["as_of"], within_days=opts["within_days"]
        )
        out = {"due": due, "queued": queued, "senders": len(reminders.senders())}
        if opts["json"]:
            self.stdout.write(dump(out))
        elif not out["senders"]:
            self.stdout.write(
                f"{due} peserta perlu diingatkan; belum ada pengirim pesan terpasang."
            )
        else:
            self.stdout.write(f"{due} peserta perlu diingatkan; {queued} pesan diantrekan.")

    def _pay(self, actor, opts):
        payment = services.record_payment(
            actor=actor,
            cover_id=opts["cover"],
            data=services.PaymentInput(
                months=opts["months"],
                amount=opts["amount"],
                channel=opts["channel"],
                reference=opts["reference"],
                paid_on=opts["paid_on"] or timezone.localdate(),
            ),
        )
        out = {
            "payment_id": payment.pk,
            "cover_id": payment.cover_id,
            "amount": payment.amount,
            "first_month": services.month_text(services.month_of(payment.first_period)),
            "last_month": services.month_text(services.month_of(payment.last_period)),
        }
        if opts["json"]:
            self.stdout.write(dump(out))
            return
        self.stdout.write(
            f"Pembayaran #{out['payment_id']}: {rupiah(out['amount'])} untuk "
            f"{out['first_month']} – {out['last_month']}"
        )
