"""Programmes for tests, made through the services like the application makes them."""

from __future__ import annotations

import datetime as dt

from jaring.accounts.models import Role, User
from jaring.programs.models import Programme
from jaring.programs.services import CategoryTerms, ProgrammeInput, create_programme
from tests.factories import make_user

SINGKAWANG = "61.72"
BASE = 1_000_000  # the one income base the shipped rate table defines
JKK_JKM = 16_800  # per worker per month at that base, no discount (APBD-funded)


def programme_input(**overrides) -> ProgrammeInput:
    fields = {
        "name": "Perlindungan Pekerja Rentan 2026",
        "funder": "city_apbd",
        "participation_code": "SG",
        "region_code": SINGKAWANG,
        "fiscal_year": 2026,
        "budget_ceiling": 1_000_000_000,
        "min_age": 18,
        "max_age": 65,
        "categories": [
            CategoryTerms("fisher", 5, 100, BASE),
            CategoryTerms("palm_oil_worker", 12, 50, BASE),
        ],
        "legal_basis": "Perwali Singkawang 1/2026",
        "pks_number": "PKS/001/2026",
        "pks_date": dt.date(2026, 2, 1),
    }
    fields.update(overrides)
    return ProgrammeInput(**fields)


def make_programme(actor: User | None = None, **overrides) -> Programme:
    actor = actor or User.objects.filter(role=Role.ADMIN, scope=None).first() or make_user()
    return create_programme(actor=actor, data=programme_input(**overrides))
