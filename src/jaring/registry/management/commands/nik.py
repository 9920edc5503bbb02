import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jaring.rules import nik


class Command(BaseCommand):
    help = "Check NIKs: region, birth date, sex, or why a NIK is not valid."

    def add_arguments(self, parser):
        parser.add_argument("niks", nargs="+", metavar="NIK")
        parser.add_argument("--json", action="store_true", help="print a JSON array")

    def handle(self, *args, **options):
        today = timezone.localdate()
        results = [nik.parse(raw, today=today) for raw in options["niks"]]
        if options["json"]:
            self.stdout.write(json.dumps([r.as_dict() for r in results], indent=2))
        else:
            for r in results:
                if r.valid:
                    notes = "".join(f"  ! {w.id}" for w in r.warnings)
                    self.stdout.write(
                        f"{r.nik}  sah  {r.district_code}  {r.birth_date:%d-%m-%Y}  "
                        f"{'L' if r.sex == 'M' else 'P'}{notes}"
                    )
                else:
                    self.stdout.write(f"{r.input}  TIDAK SAH  {r.error.id}")
        if not all(r.valid for r in results):
            raise CommandError("some NIKs are not valid", returncode=1)
