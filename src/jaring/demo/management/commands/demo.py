from base64 import b32decode
from collections import Counter

import segno
from django.core.management.base import BaseCommand
from django_otp.oath import TOTP

from jaring.demo import services
from jaring.demo.scenarios import SCENARIOS, loader
from jaring.regions.models import Region
from jaring.registry.models import Worker


class Command(BaseCommand):
    help = (
        "Load the demo: Kota Singkawang (61.72) with synthetic workers (households, twins, "
        "people listed twice) and one user per role, and Singkawang's 2025 programme; --scenario "
        "loads one real programme (or all); then the duplicate check fills the queue. "
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
            "--workers",
            type=int,
            default=3000,
            metavar="N",
            help="synthetic people (3000), plus about 5 %% listed twice",
        )
        parser.add_argument("--seed", type=int, default=0, help="generator seed (0)")
        parser.add_argument(
            "--code",
            action="store_true",
            help="only print the demo users' current login code (their public authenticator key)",
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="scenarios: multiply the published headcounts by this (0 < F <= 1), for tests",
        )

    def handle(self, *args, **options):
        if options["code"]:
            self._code()
            return
        name = options["scenario"]
        added: Counter[str] = Counter()  # workers added now, per city
        notes: list[str] = []
        if name in services.SCENARIOS:
            result = services.SCENARIOS[name](workers=options["workers"], seed=options["seed"])
            added[services.CITY] += result.workers_added
            created = result.users_created
            notes = result.notes
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
        if sum(added.values()):
            waiting = services.queue_duplicates()
            self.stdout.write(
                f"Probable duplicates waiting in the queue: {waiting:,} [/duplicates/]."
            )
        self.stdout.write("")
        self.stdout.write("Open http://127.0.0.1:8000/ and log in as:")
        for u in services.USERS:
            note = "" if u.username in created else "  (existed already)"
            self.stdout.write(
                f"  {u.username:<11} {services.PASSWORD:<12} {u.role:<19} "
                f"{u.scope or 'national':<14} {u.name}{note}"
            )
        for line in notes:
            self.stdout.write(line)
        secret = services.TOTP_SECRET
        self.stdout.write("")
        self.stdout.write(
            "Every user but viewer and agent then types a login code (second factor). Add this "
            "key to an authenticator app (time-based, 6 digits) or scan the QR code below:"
        )
        self.stdout.write(f"  {' '.join(secret[i : i + 4] for i in range(0, len(secret), 4))}")
        self.stdout.write(
            "Without an app: `jaring demo --code` prints the current code (demo users only)."
        )
        segno.make(f"otpauth://totp/Jaring:demo?secret={secret}&issuer=Jaring").terminal(
            out=self.stdout, compact=True
        )

    def _code(self) -> None:
        totp = TOTP(b32decode(services.TOTP_SECRET))
        left = totp.step - int(totp.time - totp.t0) % totp.step
        self.stdout.write(f"{totp.token():06d}  (valid for {left} more seconds)")

    def _scenario(self, r: loader.Loaded) -> None:
        s = SCENARIOS[r.key]
        if r.skipped:
            self.stdout.write(f"{r.key}: already loaded.")
            return
        self.stdout.write(f"{r.key}:")
        for spec, p in zip(s.programmes, r.programmes, strict=True):
            self.stdout.write(f"  {p.name} ({spec.legal_basis})")
            for g in p.budget_groups:
                self.stdout.write(
                    f"    {g['group']}: {g['workers']:,} × {g['months']} months × "
                    f"{_rp(g['monthly_per_worker'])} = {_rp(g['total'])}"
                )
            self.stdout.write(f"    budget (from the rate tables): {_rp(p.budget)}")
            self.stdout.write(
                f"    members {p.members:,}, bills {p.bills} (billed {_rp(p.billed)}, paid "
                f"{_rp(p.paid)}), claims {p.claims} (benefits paid {_rp(p.claims_paid)})"
            )
        for published in s.published:
            m = r.money[published.year]
            self.stdout.write(
                f"  {published.year}, Jaring's money report (published): claims paid "
                f"{m['claims']} ({published.claims_paid}), benefits paid "
                f"{_rp(m['benefits_paid'])} ({_rp(published.benefits_paid)}), contributions paid "
                f"{_rp(m['contributions_paid'])} ({_rp(published.contributions_paid)})"
            )
            self.stdout.write(f"    {published.note}")
        c = r.coverage
        self.stdout.write(
            f"  coverage {c['month']}: {c['coverage_pct']} % ({c['participants']:,} of "
            f"{c['working_population']:,}), target {c['target_pct']} %   "
            f"[/coverage/{s.city}/?month={c['month']}]"
        )
        self.stdout.write(f"  seconds: {r.seconds}")


def _rp(value: int | None) -> str:
    return "–" if value is None else "Rp" + f"{value:,}".replace(",", ".")
