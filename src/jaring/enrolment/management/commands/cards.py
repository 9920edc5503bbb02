from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from jaring.core.errors import DomainError
from jaring.enrolment.cards import services as cards
from jaring.enrolment.cards.pdf import LABELS
from jaring.enrolment.management.commands._exchange_cli import (
    acting_user,
    add_user_argument,
    dump,
    refuse,
)


class Command(BaseCommand):
    help = "Print membership cards as PDF: A4 sheets of ten for a programme or village, or one."

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--programme", type=int, metavar="ID")
        target.add_argument("--membership", type=int, metavar="ID", help="one card")
        parser.add_argument("--village", metavar="CODE", help="only this region (any level)")
        parser.add_argument("--out", type=Path, required=True, metavar="PATH")
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "JARING_PUBLIC_URL", "") or "http://127.0.0.1:8000",
            help="where the public status page is served (the QR codes open it)",
        )
        parser.add_argument("--language", choices=sorted(LABELS), default="id")
        parser.add_argument(
            "--village-per-sheet",
            action="store_true",
            help="each village on its own sheets (default: packed, a line where a village starts)",
        )
        parser.add_argument("--json", action="store_true", dest="as_json")
        add_user_argument(parser)

    def handle(self, *args, programme, membership, village, out, base_url, language, **options):
        actor = acting_user(options["user"])
        try:
            if membership:
                pdf = cards.print_card(
                    actor=actor, membership_id=membership, base_url=base_url, language=language
                )
            else:
                pdf = cards.print_sheets(
                    actor=actor,
                    programme_id=programme,
                    region_code=village,
                    base_url=base_url,
                    language=language,
                    village_per_sheet=options["village_per_sheet"],
                )
        except DomainError as exc:
            refuse(self, exc, options["as_json"])
        out.write_bytes(pdf)
        if options["as_json"]:
            self.stdout.write(dump({"path": str(out), "bytes": len(pdf), "base_url": base_url}))
        else:
            self.stdout.write(f"{out} ({len(pdf) // 1024} KB)")
