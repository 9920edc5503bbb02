"""The worker list as CSV: same filters and scope as the page, streamed row by row."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.utils import timezone

from jaring.core.cells import safe_cell
from jaring.registry.selectors import display_nik
from jaring.web.views.workers import filtered_workers

COLUMNS = [
    "nik",
    "full_name",
    "birth_date",
    "sex",
    "district_code",
    "village_code",
    "village_name",
    "rt",
    "rw",
    "address",
    "phone",
    "category",
    "has_disability",
    "disability_kind",
    "declared_income",
    "source",
    "consent_date",
]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _rows(user, qs):
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    for w in qs.iterator(chunk_size=2000):
        yield writer.writerow(
            safe_cell(v)
            for v in (
                display_nik(user, w.nik),
                w.full_name,
                w.birth_date.isoformat(),
                w.sex,
                w.district_code,
                w.village_id,
                w.village.name,
                w.rt,
                w.rw,
                w.address,
                w.phone,
                w.category_id,
                "yes" if w.has_disability else "no",
                w.disability_kind,
                w.declared_income,
                w.source,
                w.consent_date.isoformat() if w.consent_date else "",
            )
        )


@login_required
def worker_export(request):
    _, qs = filtered_workers(request)
    response = StreamingHttpResponse(_rows(request.user, qs), content_type="text/csv")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="workers-{stamp}.csv"'
    return response
