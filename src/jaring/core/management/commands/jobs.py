"""`jaring jobs recover`: marks every run whose process died as failed ("interrupted") once,
as `jaring db_worker` does at its start and while it runs (core.jobs)."""

from django.core.management.base import BaseCommand

from jaring.core import jobs


class Command(BaseCommand):
    help = "Mark runs whose process died as failed (interrupted); `jaring db_worker` does it too."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        sub.add_parser("recover", help="mark runs whose process died as interrupted, once")

    def handle(self, *args, **options) -> None:
        found = jobs.recover()
        self.stdout.write(f"{found} interrupted run(s) marked failed")
