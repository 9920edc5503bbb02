"""`jaring coverage_facts`: recount the coverage facts the dashboards read, or check them.

    jaring coverage_facts                      # recount every regency with members (e.g. nightly)
    jaring coverage_facts --region 61          # the regencies of a province, city or district
    jaring coverage_facts --region 61.72 --check   # today's count from facts vs memberships

Writes keep the facts current through the background worker; this is for a nightly run (so
the first dashboard of the day does not pay the day's recount) and for checking. `--check`
exits with status 2 when the facts and the direct count differ.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jaring.coverage import facts, selectors
from jaring.enrolment.models import Membership
from jaring.regions.models import Region
from jaring.regions.selectors import regencies_of


class Command(BaseCommand):
    help = "Recount (or check) the precomputed coverage counts of the dashboards."

    def add_arguments(self, parser):
        parser.add_argument("--region", metavar="CODE", help="province, city or district code")
        parser.add_argument("--check", action="store_true", help="compare with a direct count")

    def handle(self, *args, **o):
        region = Region.objects.filter(code=o["region"]).first() if o["region"] else None
        if o["region"] and region is None:
            raise CommandError(f"unknown region {o['region']}", returncode=2)
        today = timezone.localdate()
        if o["check"]:
            if region is None:
                raise CommandError("--check needs --region", returncode=2)
            facts.ensure(region, today)
            kept, direct = facts.members(region, today), selectors.people_on(region, today)
            self.stdout.write(f"{region.code} {today}: facts {kept}, memberships {direct}")
            if kept != direct:
                raise CommandError("the facts differ from the memberships", returncode=2)
            return
        if region is not None:
            codes = regencies_of(region)
        else:
            codes = sorted(
                set(Membership.objects.order_by().values_list("regency_code", flat=True).distinct())
            )
        started = time.perf_counter()
        facts.refresh(codes, today=today)
        self.stdout.write(
            f"{len(codes)} regencies recounted in {time.perf_counter() - started:.1f} s"
        )
