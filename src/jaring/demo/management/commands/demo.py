from collections import Counter

from django.core.management.base import BaseCommand

from jaring.demo import services
from jaring.demo.scenarios import SCENARIOS, loader
from jaring.regions.models import Region
from jaring.registry.models import Worker


class Command(BaseCommand):
    help = (
        "Load the demo: Kota Singkawang (61.72) with synthetic workers and one user per role, "
        "and Singkawang's 2025 programme; --scenario loads one real programme (or all). "
        "Safe to run again: nothing is created twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scenario",
            choices=sorted(services.SCENARIOS) + sorted(SCENARIOS) + ["all"],
            default="default",
            help="what to load (default: the base city and singkawang-2025)",
        )
        parser.add_argument(
            "--workers", type=int, default=3000, metavar="N", help="synthetic workers (3000)"
        )
        parser.add_argument("--seed", type=int, default=0, help="generator seed (0)")
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="scenarios: multiply the published headcounts by this (0 < F <= 1), for tests",
        )

    def handle(self, *args, **options):
        name = options["scenario"]
        added: Counter[str] = Counter()  # workers added now, per city
        if name in services.SCENARIOS:
            result = services.SCENARIOS[name](workers=options["workers"], seed=options["seed"])
            added[services.CITY] += result.workers_added
            created = result.users_created
            keys = ["singkawang-2025"] if name == "default" else []
        else:
            created = services.ensure_users()
            keys = sorted(SCENARIOS) if name == "all" else [name]
        for key in keys:
            loaded = loader.load(key, scale=options["scale"])
            added[SCENARIOS[key].city] += loaded.workers
            self._scenario(loaded)
        # Counted once everything is loaded: the base city and its programme share the city.
        for city, n in added.items():
            self.stdout.write(
                f"Workers in {Region.objects.get(code=city).name}: "
                f"{Worker.objects.filter(regency_code=city).count():,} ({n:,} added now)."
            )
        self.stdout.write("")
        self.stdout.write("Open http://127.0.0.1:8000/ and log in as:")
        for u in services.USERS:
            note = "" if u.username in created else "  (existed already)"
            self.stdout.write(
                f"  {u.username:<11} {services.PASSWORD:<12} {u.role:<19} "
                f"{u.scope or 'national':<14} {u.name}{note}"
            )

    def _scenario(self, r: loader.Loaded) -> None:
        s = SCENARIOS[r.key]
        if r.skipped:
            self.stdout.write(f"{r.key}: already loaded.")
            return
        rp = lambda v: "Rp" + f"{v:,}".replace(",", ".")  # noqa: E731
        self.stdout.write(f"{r.key}: {s.programme_name} ({s.legal_basis})")
        for g in r.budget_groups:
            self.stdout.write(
                f"  {g['group']}: {g['workers']:,} × {g['months']} months × "
                f"{rp(g['monthly_per_worker'])} = {rp(g['total'])}"
            )
        self.stdout.write(f"  budget (from the rate tables): {rp(r.budget)}")
        self.stdout.write(
            f"  workers {r.workers:,}, members {r.members:,}, bills {r.bills} "
            f"(billed {rp(r.billed)}, paid {rp(r.paid)}), claims {r.claims} "
            f"(benefits paid {rp(r.claims_paid)})"
        )
        c = r.coverage
        self.stdout.write(
            f"  coverage {c['month']}: {c['coverage_pct']} % ({c['participants']:,} of "
            f"{c['working_population']:,}), target {c['target_pct']} %   "
            f"[/coverage/{s.city}/?month={c['month']}]"
        )
        self.stdout.write(f"  seconds: {r.seconds}")
