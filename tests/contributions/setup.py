"""A Singkawang programme with members whose cover starts in different months.

Everything is made through the enrolment services, as the application makes it. Amounts the
tests expect come from RULES.md: at the minimum income base (Rp1,000,000) JKK is 1 % =
Rp10,000 and JKM Rp6,800, so Rp16,800 per member per month; APBD-funded workers are excluded
from the PP 50/2025 discount.
"""

from __future__ import annotations

import datetime as dt
import itertools

from jaring.enrolment import services as enrolment
from jaring.enrolment.models import Membership
from jaring.programs.models import Programme
from jaring.programs.services import CategoryTerms
from jaring.registry.models import Worker
from tests.factories import PASIRAN, make_worker
from tests.programs.factories import BASE, make_programme

MONTHLY = 16_800  # JKK Rp10,000 + JKM Rp6,800
ENROLLED_ON = dt.date(2026, 1, 20)
_kpj = itertools.count(10_000_001)


def programme(admin, **overrides) -> Programme:
    fields = {
        "status": "active",
        "categories": [
            CategoryTerms("fisher", 5, 100, BASE),
            CategoryTerms("palm_oil_worker", 12, 50, BASE),
        ],
    }
    fields.update(overrides)
    return make_programme(admin, **fields)


def member(
    admin,
    programme: Programme,
    start: dt.date,
    category: str = "fisher",
    *,
    village: str = PASIRAN,
    **worker,
):
    """An active membership from `start` (the date BPJS accepted the worker)."""
    w = make_worker(admin, village, category_code=category, **worker)
    enrolment.enrol(
        actor=admin, programme=programme, workers=Worker.objects.filter(pk=w.pk), on=ENROLLED_ON
    )
    ms = Membership.objects.filter(worker=w, programme=programme)
    enrolment.verify(actor=admin, memberships=ms)
    enrolment.mark_submitted(actor=admin, memberships=ms)
    return enrolment.activate(
        actor=admin, membership=ms.get(), kpj=str(next(_kpj)), start_date=start
    )
