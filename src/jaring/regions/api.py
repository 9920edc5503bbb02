"""Regions over the API: the Kemendagri hierarchy, level by level, for pickers and clients."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema

from jaring.core.api.schemas import errors
from jaring.core.errors import NotFound, Problem
from jaring.regions import selectors as regions
from jaring.regions.errors import RegionError
from jaring.regions.models import Region

router = Router(tags=["reference"])


class RegionOut(Schema):
    code: str
    name: str
    level: int
    kind: str
    postal_code: str
    retired_on: dt.date | None = Field(
        description="the day a newer Kemendagri list left it out (jaring load_regions): it keeps "
        "its workers but takes no new ones; null while in force"
    )


# The operation id it had in jaring.api.reference: clients name their calls after it.
@router.get(
    "/",
    response={200: list[RegionOut], **errors(401, 404)},
    summary="Regions",
    operation_id="jaring_api_reference_list_regions",
)
def list_regions(request: HttpRequest, parent: str | None = None):
    """The provinces, or the regions directly under `parent` (e.g. `61.72` → its districts)."""
    if parent is not None and not Region.objects.filter(code=parent).exists():
        raise NotFound(
            Problem(
                RegionError.REGION_UNKNOWN,
                f"Kode wilayah '{parent}' tidak dikenal.",
                f"Region code '{parent}' does not exist.",
                field="parent",
            )
        )
    return list(
        regions.children(parent).values(
            "code", "name", "level", "kind", "postal_code", "retired_on"
        )
    )
