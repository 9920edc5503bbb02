from django.core.management.base import BaseCommand

from jaring.demo import services


class Command(BaseCommand):
    help = (
        "Load the demo: Kota Singkawang (61.72) with synthetic workers and one user per role. "
        "Safe to run again: nothing is created twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scenario", choices=sorted(services.SCENARIOS), default="default", help="what to load"
        )
        parser.add_argument(
            "--workers", type=int, default=3000, metavar="N", help="synthetic workers (3000)"
        )
        parser.add_argument("--seed", type=int, default=0, help="generator seed (0)")

    def handle(self, *args, **options):
        result = services.SCENARIOS[options["scenario"]](
            workers=options["workers"], seed=options["seed"]
        )
        self.stdout.write(
            f"Workers in Kota Singkawang: {result.workers_total:,} "
            f"({result.workers_added:,} added now)."
        )
        self.stdout.write("")
        self.stdout.write("Open http://127.0.0.1:8000/ and log in as:")
        for u in services.USERS:
            note = "" if u.username in result.users_created else "  (existed already)"
            self.stdout.write(
                f"  {u.username:<11} {services.PASSWORD:<12} {u.role:<19} "
                f"{u.scope or 'national':<14} {u.name}{note}"
            )
