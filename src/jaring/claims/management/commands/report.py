"""`jaring report money`: members, contributions and claims of a year, and their ratio.

    jaring report money --programme ID --year 2026 [--json]
    jaring report money --region 61.72 --year 2026 [--as-of 2026-12-31] [--xlsx F] [--pdf F]

Without --programme or --region: everything the user sees (every programme for the system, when
no --user is given). Arrears are counted as of --as-of (default today).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from jaring.accounts.scope import SYSTEM
from jaring.claims import report_documents
from jaring.claims.reports import MoneyReport, Row, money_report
from jaring.core.arguments import count_arg, date_arg
from jaring.core.errors import DomainError
from jaring.enrolment.management.commands._exchange_cli import acting_user, dump, refuse
from jaring.rules.tables import rupiah


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")


class Command(BaseCommand):
    help = "Reports: money (contributions billed and paid, claims, benefit-to-contribution ratio)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="report", required=True, metavar="REPORT")
        money = sub.add_parser("money", help="per programme, city and segment for one year")
        where = money.add_mutually_exclusive_group()
        where.add_argument("--programme", type=int, metavar="ID")
        where.add_argument("--region", metavar="CODE", help="province, city, district or village")
        money.add_argument("--year", type=count_arg, required=True)
        money.add_argument("--as-of", type=date_arg, help="arrears as of (default today)")
        money.add_argument("--xlsx", metavar="PATH", help="also write the xlsx here")
        money.add_argument("--pdf", metavar="PATH", help="also write the PDF here")
        money.add_argument("--user", metavar="USERNAME", help="whose region (default: all)")
        money.add_argument("--json", action="store_true")

    def handle(self, *args, **o):
        actor = acting_user(o["user"]) if o["user"] else SYSTEM
        try:
            report = money_report(
                actor,
                year=o["year"],
                programme_id=o["programme"],
                region_code=o["region"],
                as_of=o["as_of"],
            )
        except DomainError as exc:
            refuse(self, exc, o["json"])
        if o["xlsx"]:
            Path(o["xlsx"]).write_bytes(report_documents.report_xlsx(report))
        if o["pdf"]:
            Path(o["pdf"]).write_bytes(report_documents.report_pdf(report))
        if o["json"]:
            self.stdout.write(dump(report.as_dict()))
        else:
            self.stdout.write(self._table(report))

    def _table(self, report: MoneyReport) -> str:
        head = ("Program", "Kota", "Segmen", "Peserta", "Bln-peserta", "Ditagih", "Dibayar",
                "Tunggakan", "Klaim", "Nilai klaim", "Manfaat dibayar", "Rasio")  # fmt: skip

        def cells(r: Row, label: tuple[str, str, str]) -> tuple[str, ...]:
            return (
                *label,
                _count(r.members),
                _count(r.member_months),
                rupiah(r.billed),
                rupiah(r.paid),
                rupiah(r.arrears),
                _count(r.claims_count),
                rupiah(r.claims_amount),
                rupiah(r.benefits_paid),
                str(r.ratio) if r.ratio is not None else "-",
            )

        rows = [head]
        rows += [cells(r, (r.programme[:30], r.city, r.segment_name)) for r in report.rows]
        rows.append(cells(report.total, ("Jumlah", "", "")))
        widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
        text = [report_documents.title(report), f"Tunggakan per {report.as_of.isoformat()}"]
        text += [
            "  ".join(
                c.ljust(w) if i < 3 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
            for row in rows
        ]
        return "\n".join(text)
