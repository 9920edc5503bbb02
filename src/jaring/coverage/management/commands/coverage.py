"""`jaring coverage`: UCJ coverage of a region, and the figures it is computed from.

    jaring coverage --region 61.72 [--year 2026 | --month 2026-03] [--by 2027-12] [--json]
    jaring coverage --region 61.72 --year 2026 --set-population 134000 --source sakernas
    jaring coverage --region 61.72 --year 2026 --set-target 40
    jaring coverage --import-population FILE | --import-counts FILE   [--user USERNAME]

The JSON answer has region, participants, working_population, coverage_pct, target_pct,
gap_pct, gap_people, the segments, warnings (missing denominator, target below coverage...)
and the projection. Refusals print the reason and exit with status 2; nothing is changed.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jaring.accounts.scope import SYSTEM
from jaring.core.arguments import count_arg
from jaring.core.errors import DomainError
from jaring.coverage import projection, selectors, services
from jaring.enrolment.management.commands._exchange_cli import acting_user, dump, refuse


class Command(BaseCommand):
    help = "UCJ coverage of a region against its target; enter or import its figures."

    def add_arguments(self, parser):
        parser.add_argument("--region", metavar="CODE", help="province, city or district code")
        when = parser.add_mutually_exclusive_group()
        when.add_argument("--year", type=count_arg, help="the year (its December, or now)")
        when.add_argument("--month", metavar="YYYY-MM", help="the month (default this month)")
        parser.add_argument("--by", metavar="YYYY-MM", help="projection: reach the target by")
        write = parser.add_mutually_exclusive_group()
        write.add_argument("--set-population", metavar="N", help="working population of --year")
        write.add_argument("--set-target", metavar="PCT", help="coverage target of --year (%%)")
        write.add_argument(
            "--import-population", metavar="FILE", help="csv/xlsx: region, year, people, source"
        )
        write.add_argument(
            "--import-counts", metavar="FILE", help="csv/xlsx: region, month, segment, participants"
        )
        parser.add_argument(
            "--source", default="", help="with --set-population: sakernas, dukcapil, estimate"
        )
        parser.add_argument("--note", default="")
        parser.add_argument("--user", metavar="USERNAME", help="act as (their role and region)")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **o):
        actor = acting_user(o["user"]) if o["user"] else SYSTEM
        try:
            if o["import_population"] or o["import_counts"]:
                self._import(actor, o)
                return
            if not o["region"]:
                raise CommandError("--region is required", returncode=2)
            if o["set_population"] is not None or o["set_target"] is not None:
                self._set(actor, o)
            self._show(actor, o)
        except DomainError as exc:
            refuse(self, exc, o["json"])

    def _import(self, actor, o) -> None:
        if o["import_population"]:
            result = services.import_populations(actor=actor, path=Path(o["import_population"]))
        else:
            result = services.import_segment_counts(actor=actor, path=Path(o["import_counts"]))
        if o["json"]:
            self.stdout.write(dump(result.as_dict()))
        else:
            self.stdout.write(f"{result.rows} rows imported for {', '.join(result.regions)}.")

    def _set(self, actor, o) -> None:
        year = o["year"] or selectors.parse_month_arg(o["month"]).year
        if o["set_population"] is not None:
            services.set_population(
                actor=actor,
                region_code=o["region"],
                year=year,
                people=o["set_population"],
                source=o["source"],
                note=o["note"],
            )
        else:
            services.set_target(
                actor=actor,
                region_code=o["region"],
                year=year,
                target_pct=o["set_target"],
                note=o["note"],
            )

    def _show(self, actor, o) -> None:
        region = selectors.get_region(actor, o["region"])
        month = selectors.parse_month_arg(o["month"], year=o["year"])
        c = selectors.coverage(actor, region, month)
        p = projection.project(c, selectors.history(region, month), by=o["by"])
        if o["json"]:
            self.stdout.write(dump(c.as_dict() | {"projection": p.as_dict()}))
            return
        d = c.as_dict()

        def n(v):
            return "-" if v is None else f"{v:,}".replace(",", ".")

        lines = [
            f"{region.name} ({region.code}), {d['month']} (counted on {d['counted_on']})",
            f"  participants        {n(c.participants)}  (Jaring {n(c.jaring)}, other segments "
            f"{n(sum(c.segments.values()))})",
            f"  working population  {n(c.working_population)}  ({d['population_source'] or '-'}"
            f" {d['population_year'] or ''})",
            f"  coverage (UCJ)      {d['coverage_pct'] or '-'} %   (BPJS KPI, pro-rated: "
            f"{d['kpi_pct'] or '-'} %)",
            f"  target              {d['target_pct'] or '-'} %",
            f"  gap                 {d['gap_pct'] or '-'} pp, {n(c.gap_people)} people",
        ]
        pd = p.as_dict()
        if pd["target_already_reached"]:
            lines.append("  the target is reached")
        elif pd["target_reached_month"]:
            lines.append(
                f"  at the current pace the target is reached in {pd['target_reached_month']}"
            )
        elif c.gap_people is not None:
            pace = pd["pace_pp_per_month"] or "-"
            lines.append(f"  not reached at the current pace ({pace} pp a month)")
        if pd["people_needed"]:
            lines.append(
                f"  by {pd['by_month']}: {n(pd['people_needed'])} more people for "
                f"{pd['months_of_cover']} months, budget {n(pd['budget_needed'])} "
                f"({pd['budget_basis'] or pd['note_en']})"
            )
        for w in c.warnings:
            lines.append(f"  ! {w.message}")
        self.stdout.write("\n".join(lines))
