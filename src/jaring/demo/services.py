"""The demo: Kota Singkawang with synthetic workers and one user per role.

The base city's workers are a registry-like population (`population.make_population`):
households sharing an address and a phone, twins, people born the same day with consecutive NIK
serials, placeholder birth dates, very common names, and 5 % of people listed twice in the hard
ways real lists repeat someone (an old KTP, a mistyped NIK, another spelling, a dropped name,
moved away). Once loaded, the duplicate check runs, so the queue holds real pairs among
look-alikes, as an officer would meet them.

Every step is idempotent, so `make demo` can run again on the same database. A scenario is a
function that builds on the base city (`SCENARIOS`); `jaring demo --scenario NAME` runs one.
"""

from __future__ import annotations

import datetime as dt
from base64 import b32decode
from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl
from django.db import transaction

from jaring.accounts import selectors as account_selectors
from jaring.accounts import services as account_services
from jaring.accounts.models import Role, User
from jaring.accounts.scope import SYSTEM
from jaring.agents import services as agent_services
from jaring.agents.models import Agent
from jaring.dedupe import services as dedupe
from jaring.demo import compliance
from jaring.demo.population import Population, as_registered, make_population
from jaring.demo.synthetic import PERSON_SCHEMA
from jaring.registry.bulk import insert_workers
from jaring.registry.models import Worker
from jaring.rules.nik import compose

CITY = "61.72"  # Kota Singkawang
SOURCE = "demo"
PASSWORD = "jaring-demo"
# The demo users' authenticator key (the second factor of every role that sees whole NIKs):
# public like their password, printed by `jaring demo` and in the README; `jaring demo --code`
# shows its current code for someone without an authenticator app. Only demo users have it.
TOTP_SECRET = "JARINGDEMOJARINGDEMOJARINGDEMO22"
# Ages are counted from a fixed day so that the same seed always gives the same NIKs, and a
# demo database can be topped up on any later day without duplicating people.
REFERENCE_DAY = dt.date(2026, 1, 1)


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    scope: str | None
    name: str


USERS = (
    DemoUser("admin", Role.ADMIN, None, "Admin Jaring"),
    DemoUser("officer", Role.PROGRAMME_OFFICER, CITY, "Rina Wulandari (Disnaker)"),
    DemoUser("enumerator", Role.ENUMERATOR, "61.72.02.1001", "Uray Hamdan (Kel. Pasiran)"),
    DemoUser("bpjs", Role.BPJS_OFFICER, CITY, "Hendra Wijaya (BPJS TK Singkawang)"),
    DemoUser("compliance", Role.COMPLIANCE_OFFICER, CITY, "Maria Theresia (Pengawasan)"),
    DemoUser("viewer", Role.VIEWER, CITY, "Bong Siu Lan (Sekretariat Daerah)"),
    # A Perisai agent's login needs its agent record (ensure_agent); the Singkawang 2025
    # scenario credits it the first share of the members who pay cash to an agent.
    DemoUser("agent", Role.AGENT, CITY, "Yohanes Lim (Agen Perisai)"),
)
AGENT_LOGIN = "agent"


@dataclass
class DemoResult:
    users_created: list[str] = field(default_factory=list)
    workers_added: int = 0
    notes: list[str] = field(default_factory=list)  # printed after the logins


@transaction.atomic
def ensure_users() -> list[str]:
    """Creates the demo users that do not exist yet; returns their usernames.

    An existing user is left as it is (its password may have been changed on purpose).
    """
    created = []
    for u in USERS:
        if User.objects.filter(username=u.username).exists():
            continue
        first, _, last = u.name.partition(" ")
        User.objects.create_user(
            username=u.username,
            password=PASSWORD,
            role=u.role,
            scope_id=u.scope,
            first_name=first,
            last_name=last,
            is_staff=u.role == Role.ADMIN,
            is_superuser=u.role == Role.ADMIN and u.scope is None,
        )
        created.append(u.username)
    for user in User.objects.filter(username__in=[u.username for u in USERS]):
        if account_selectors.needs_second_factor(user):
            account_services.register_totp(
                user=user, key=b32decode(TOTP_SECRET).hex(), name="demo authenticator"
            )
    ensure_agent()
    return created


def ensure_agent() -> Agent | None:
    """The agent record of the demo's agent login (registered once, as the system); None when
    the login was removed or given another role."""
    user = User.objects.filter(username=AGENT_LOGIN, role=Role.AGENT).first()
    if user is None:
        return None
    agent = Agent.objects.filter(user=user).first()
    if agent is not None:
        return agent
    return agent_services.register_agent(
        actor=SYSTEM,
        data=agent_services.AgentInput(
            full_name="Yohanes Lim",
            nik=compose(f"{CITY}.02", dt.date(1988, 4, 12), "M", 9101),
            phone="0812 3456 9101",
            area=user.scope_id or CITY,
            bpjs_agent_number="PERISAI/DEMO/001",
            username=user.username,
            joined_on=dt.date(2025, 1, 6),
        ),
    )


def demo_agent(city: str) -> Agent | None:
    """The demo login's agent when it works in `city` (the scenario credits members to it)."""
    return Agent.objects.filter(user__username=AGENT_LOGIN, area_id=city).first()


def population(count: int, seed: int = 0) -> Population:
    """The base city's people (about `count`, plus those listed twice) and the truth about them.

    A larger `count` of the same seed holds the same households (their people and NIKs) and
    more; who is listed twice is drawn anew.
    """
    return make_population(count, region=CITY, seed=seed, today=REFERENCE_DAY)


def ensure_workers(*, count: int, seed: int = 0) -> int:
    """Registers the base city's population of `count` people that is not registered yet.

    Returns how many workers were added; running it again adds none.
    """
    if count <= 0:
        return 0
    registered = Worker.objects.filter(regency_code=CITY).values_list("nik", flat=True)
    records = population(count, seed).records.filter(~pl.col("nik").is_in(list(registered)))
    return insert_workers(as_registered(records).select(list(PERSON_SCHEMA)), source=SOURCE)


def queue_duplicates() -> int:
    """Runs the duplicate check over the registry; returns how many pairs wait in the queue."""
    run = dedupe.run_dedupe()
    return run.summary["new_pairs"] + run.summary["already_queued"]


def load_city(*, workers: int, seed: int) -> DemoResult:
    """The base demo: Singkawang's users and workers."""
    result = DemoResult(users_created=ensure_users())
    result.workers_added = ensure_workers(count=workers, seed=seed)
    return result


def load_compliance(*, workers: int, seed: int) -> DemoResult:
    """Kota Pontianak's employer lists, leads and cases (demo/compliance.py), beside the base
    demo's users; its compliance officer is one more login."""
    result = DemoResult(users_created=ensure_users())
    loaded = compliance.load(password=PASSWORD)
    user, name = compliance.USER
    result.notes = [
        f"Compliance demo (Kota Pontianak): {loaded.lists} lists, {loaded.leads} leads, "
        f"{loaded.cases} cases added now; open /compliance/.",
        f"  {user:<11} {PASSWORD:<12} {Role.COMPLIANCE_OFFICER:<19} {compliance.CITY:<14} {name}"
        + ("" if loaded.user_created else "  (existed already)"),
    ]
    return result


SCENARIOS: dict[str, Callable[..., DemoResult]] = {
    "default": load_city,
    "compliance-pontianak": load_compliance,
}
