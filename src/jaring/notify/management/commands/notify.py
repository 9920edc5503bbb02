"""`jaring notify`: the outbox of messages to members.

    jaring notify outbox [--latest 20] [--json]      messages per status and template
    jaring notify queue [--date 2026-06-12] [--json] the day's reminders (due, overdue, lapsed)
    jaring notify send [--limit N] [--json]          send what is due through the channel
    jaring notify opt-out --phone 0812… [--reason …] this number gets no more messages
    jaring notify delivered GATEWAY_ID …             the gateway's delivery reports

The channel is JARING_NOTIFY_CHANNEL (console, file or http; docs/operations.md). Without
--user the command acts as the system. A refusal exits with status 2.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from jaring.accounts.scope import SYSTEM
from jaring.core.arguments import count_arg, date_arg
from jaring.core.errors import DomainError
from jaring.enrolment.management.commands._exchange_cli import acting_user, dump, refuse
from jaring.notify import selectors, services, sources


class Command(BaseCommand):
    help = "Notifications: the outbox, queuing the day's reminders, sending, opt-outs."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        box = sub.add_parser("outbox", help="messages per status and template, the latest")
        box.add_argument("--latest", type=count_arg, default=20)
        q = sub.add_parser("queue", help="queue the day's reminders")
        q.add_argument("--date", type=date_arg, help="default: today")
        send = sub.add_parser("send", help="send the queued messages whose time has come")
        send.add_argument("--limit", type=count_arg)
        opt = sub.add_parser("opt-out", help="stop messages to a number")
        opt.add_argument("--phone", required=True)
        opt.add_argument("--reason", default="")
        dlv = sub.add_parser("delivered", help="record the gateway's delivery reports")
        dlv.add_argument("gateway_ids", nargs="+")
        for p in (box, q, send, opt, dlv):
            p.add_argument("--user", metavar="USERNAME", help="who acts (default: the system)")
            p.add_argument("--json", action="store_true")

    def handle(self, *args, **opts):
        actor = acting_user(opts["user"]) if opts["user"] else SYSTEM
        try:
            out, text = getattr(self, "_" + opts["action"].replace("-", "_"))(actor, opts)
        except DomainError as exc:
            refuse(self, exc, opts["json"])
        self.stdout.write(dump(out) if opts["json"] else text)

    def _outbox(self, actor, o):
        out = selectors.outbox(actor, latest=o["latest"])
        lines = [f"{s}: {n}" for s, n in sorted(out["by_status"].items())] or [
            "Kotak keluar kosong."
        ]
        lines += [f"  #{m['id']} {m['template']} {m['status']}: {m['text']}" for m in out["latest"]]
        return out, "\n".join(lines)

    def _queue(self, actor, o):
        out = sources.queue_daily(actor=actor, today=o["date"] or timezone.localdate())
        text = "\n".join(
            f"{k}: {v['queued']} baru, {v['already']} sudah ada" for k, v in out.items()
        )
        return out, text

    def _send(self, actor, o):
        out = services.send_due(actor=actor, limit=o["limit"]).as_dict()
        return out, ", ".join(f"{k} {v}" for k, v in out.items())

    def _opt_out(self, actor, o):
        row = services.opt_out(actor=actor, phone=o["phone"], reason=o["reason"])
        return {"phone": row.phone}, "Nomor ini tidak akan dikirimi pesan lagi."

    def _delivered(self, actor, o):
        n = services.mark_delivered(gateway_ids=o["gateway_ids"])
        return {"delivered": n}, f"{n} pesan terkirim sampai."
