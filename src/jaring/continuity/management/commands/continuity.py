"""`jaring continuity`: who stayed covered after the city's months, in a region and month.

    jaring continuity --region 61.72 --month 2026-06 [--user NAME] [--json]

Of the workers whose city-funded cover ended in the twelve months up to the month: how many
continued self-paid, were renewed by a city programme, lapsed, stopped or are not covered, the
retention percentage, and how many were covered 1, 3 and 6 months after their cover ended.
Without --user the command acts as the system. A refusal exits with status 2.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from jaring.accounts.scope import SYSTEM
from jaring.continuity.selectors import retention
from jaring.core.arguments import month_arg
from jaring.core.errors import DomainError
from jaring.enrolment.management.commands._exchange_cli import acting_user, dump, refuse

_LABELS = (
    ("funded_ended", "Tanggungan kota berakhir"),
    ("continued_self_paid", "Lanjut mandiri"),
    ("renewed", "Diperpanjang program kota"),
    ("lapsed", "Mandiri, lalu berhenti bayar"),
    ("stopped", "Memilih berhenti"),
    ("not_covered", "Tidak terlindungi"),
    ("retention_pct", "Retensi (%)"),
    ("self_paying_active", "Peserta mandiri aktif"),
)


class Command(BaseCommand):
    help = "Retention after city-funded cover: self-paid, renewed, lapsed, per region and month."

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="region code, e.g. 61.72")
        parser.add_argument("--month", type=month_arg, metavar="YYYY-MM", help="default: now")
        parser.add_argument("--user", metavar="USERNAME", help="who asks (default: the system)")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **opts):
        actor = acting_user(opts["user"]) if opts["user"] else SYSTEM
        month = opts["month"] or timezone.localdate().replace(day=1)
        try:
            result = retention(actor, opts["region"], month).as_dict()
        except DomainError as exc:
            refuse(self, exc, opts["json"])
        if opts["json"]:
            self.stdout.write(dump(result))
            return
        self.stdout.write(
            f"Kesinambungan kepesertaan {result['region']} bulan {result['month']} "
            f"(dihitung {result['counted_on']})"
        )
        for key, label in _LABELS:
            self.stdout.write(f"  {label}: {result[key] if result[key] is not None else '–'}")
        for row in result["after_months"]:
            self.stdout.write(
                f"  {row['months']} bulan setelah berakhir: {row['covered']} dari {row['ended']} "
                f"terlindungi ({row['pct'] or '–'} %)"
            )
