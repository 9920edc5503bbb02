"""`jaring daily`: the day's scheduled work by hand (what `jaring db_worker` runs once a day)."""

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from jaring.core import daily


class Command(BaseCommand):
    help = (
        "Run the daily jobs (expiry of ended cover, the lapse check, the coverage recount) "
        "once for the day; `jaring db_worker` does it by itself. A cron line can call it instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", type=dt.date.fromisoformat, help="the day (YYYY-MM-DD)")
        parser.add_argument(
            "--again", action="store_true", help="run again even if the day's run has started"
        )
        parser.add_argument("--json", action="store_true", help="print the results as JSON")

    def handle(self, *args, **options):
        if not daily.jobs():
            raise CommandError("no daily jobs are registered")
        done = daily.run(on=options["date"], again=options["again"])
        if done is None:
            self.stdout.write("the day's run has already started; --again runs it once more")
            return
        if options["json"]:
            out = {"day": done.day.isoformat(), "results": done.results}
            self.stdout.write(json.dumps(out, indent=2, default=str))
            return
        for name, result in done.results.items():
            self.stdout.write(f"{name:<12} {json.dumps(result, default=str)}")
