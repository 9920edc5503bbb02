"""Reference data for clients: regions, occupation categories, and the NIK check."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from jaring.api.schemas import CategoryOut, NikCheckIn, NikOut, RegionOut
from jaring.core.api.schemas import errors
from jaring.core.errors import NotFound, Problem
from jaring.regions import selectors as regions
from jaring.regions.errors import RegionError
from jaring.regions.models import Region
from jaring.registry.models import OccupationCategory
from jaring.rules import nik

regions_router = Router(tags=["reference"])
categories_router = Router(tags=["reference"])
nik_router = Router(tags=["reference"])


@regions_router.get("/", response={200: list[RegionOut], **errors(401, 404)}, summary="Regions")
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
    return list(regions.children(parent).values("code", "name", "level", "kind", "postal_code"))


@categories_router.get("/", response={200: list[CategoryOut], **errors(401)}, summary="Categories")
def list_categories(request: HttpRequest):
    return [
        {
            "code": c.code,
            "name": str(c),
            "name_id": c.name_id,
            "name_en": c.name_en,
            "ecosystem": c.ecosystem,
        }
        for c in OccupationCategory.objects.all()
    ]


@nik_router.post("/check", response={200: list[NikOut], **errors(401, 422)}, summary="Check NIKs")
def check_niks(request: HttpRequest, payload: NikCheckIn):
    """What each NIK says (region, birth date, sex) or why it is not valid; the same objects as
    `jaring nik --json`. It does not say whether a NIK is registered."""
    today = timezone.localdate()
    return [nik.parse(raw, today=today).as_dict() for raw in payload.niks]
