import json

from django.core.management.base import BaseCommand, CommandError

from jaring.core.errors import DomainError
from jaring.dedupe import services


class Command(BaseCommand):
    help = "Find probable duplicates in the whole registry and fill the review queue."

    def add_arguments(self, parser):
        parser.add_argument(
            "--threshold",
            type=float,
            help=f"match probability a pair needs (default {services.default_threshold()})",
        )
        parser.add_argument(
            "--retrain", action="store_true", help="train a new model on the registry first"
        )
        parser.add_argument("--json", action="store_true", help="print a JSON summary")

    def handle(self, *args, **options):
        try:
            run = services.run_dedupe(threshold=options["threshold"], retrain=options["retrain"])
        except DomainError as exc:
            raise CommandError("; ".join(p.message for p in exc.problems)) from exc
        summary = {"run": run.pk, "status": run.status, **run.summary}
        if options["json"]:
            self.stdout.write(json.dumps(summary, indent=2))
            return
        s = run.summary
        self.stdout.write(
            f"{s['records']} workers checked in {s['timings']['total']:.1f} s: "
            f"{s['pairs_found']} probable duplicate pairs at p ≥ {s['threshold']}, "
            f"{s['new_pairs']} new in the queue, {s['already_queued']} already queued, "
            f"{s['already_decided']} already decided."
        )
