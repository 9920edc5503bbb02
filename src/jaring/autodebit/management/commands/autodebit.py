"""`jaring autodebit`: mandates and the banks' files.

    jaring autodebit banks [--json]                               the file profiles
    jaring autodebit mandate --cover ID --bank generic --account 1234567890 --mandate-ref M-1
        --day 10 --consent-date 2026-06-01 --consent-document "Formulir AD-01"
    jaring autodebit file --bank generic --month 2026-07 [--debit-date 2026-07-10] --out FILE
    jaring autodebit results --bank generic FILE [--paid-on 2026-07-10] [--json]

Without --user the command acts as the system. A refusal exits with status 2.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from jaring.accounts.scope import SYSTEM
from jaring.autodebit import services
from jaring.autodebit.profiles import profiles
from jaring.core.arguments import count_arg, date_arg, month_arg
from jaring.core.errors import DomainError
from jaring.enrolment.management.commands._exchange_cli import acting_user, dump, refuse
from jaring.rules.tables import rupiah


class Command(BaseCommand):
    help = "Auto-debit: bank profiles, mandates, the monthly debit file and the result file."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        banks = sub.add_parser("banks", help="the bank file profiles")
        man = sub.add_parser("mandate", help="record a member's auto-debit mandate")
        man.add_argument("--cover", type=int, required=True)
        man.add_argument("--bank", required=True)
        man.add_argument("--account", required=True, help="kept masked (last 4 digits)")
        man.add_argument("--mandate-ref", required=True, help="the bank's mandate number")
        man.add_argument("--day", type=count_arg, required=True, help="debit day, 1-28")
        man.add_argument("--consent-date", type=date_arg, required=True)
        man.add_argument("--consent-document", required=True)
        out = sub.add_parser("file", help="the month's debit instruction file for one bank")
        out.add_argument("--bank", required=True)
        out.add_argument("--month", type=month_arg, required=True, metavar="YYYY-MM")
        out.add_argument("--debit-date", type=date_arg)
        out.add_argument("--out", required=True, type=Path)
        res = sub.add_parser("results", help="read a bank's result file")
        res.add_argument("--bank", required=True)
        res.add_argument("file", type=Path)
        res.add_argument("--paid-on", type=date_arg, help="default: today")
        for p in (banks, man, out, res):
            p.add_argument("--user", metavar="USERNAME", help="who acts (default: the system)")
            p.add_argument("--json", action="store_true")

    def handle(self, *args, **opts):
        actor = acting_user(opts["user"]) if opts["user"] else SYSTEM
        try:
            out, text = getattr(self, f"_{opts['action']}")(actor, opts)
        except DomainError as exc:
            refuse(self, exc, opts["json"])
        self.stdout.write(dump(out) if opts["json"] else text)

    def _banks(self, actor, o):
        out = [{"code": p.code, "name": p.name, "format": p.format} for p in profiles().values()]
        return out, "\n".join(f"{p['code']}: {p['name']} ({p['format']})" for p in out)

    def _mandate(self, actor, o):
        m = services.create_mandate(
            actor=actor,
            cover_id=o["cover"],
            data=services.MandateInput(
                bank=o["bank"],
                account_number=o["account"],
                bank_mandate_ref=o["mandate_ref"],
                debit_day=o["day"],
                consent_date=o["consent_date"],
                consent_document=o["consent_document"],
            ),
        )
        return {"id": m.pk, "account": m.account_masked}, f"Mandat {m.pk} ({m.account_masked})."

    def _file(self, actor, o):
        batch = services.make_debit_file(
            actor=actor, bank=o["bank"], month=o["month"], debit_date=o["debit_date"]
        )
        o["out"].write_bytes(services.debit_file(batch))
        out = {"batch": batch.pk, "lines": batch.lines, "total": batch.total, "file": str(o["out"])}
        return out, f"{batch.lines} debet, {rupiah(batch.total)} → {o['out']}"

    def _results(self, actor, o):
        result, counts = services.import_results(
            actor=actor,
            bank=o["bank"],
            data=o["file"].read_bytes(),
            file_name=o["file"].name,
            paid_on=o["paid_on"],
        )
        out = {"import": result.pk, **counts.as_dict()}
        if counts.already_imported:
            return out, "File ini sudah dibaca sebelumnya; tidak ada yang berubah."
        return out, (
            f"{counts.paid} berhasil ({rupiah(counts.amount_paid)}), {counts.failed} gagal, "
            f"{counts.already_paid} sudah dibayar (dikembalikan), {counts.unchanged} tetap"
        )
