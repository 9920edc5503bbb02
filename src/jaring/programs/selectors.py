"""Reads of programmes, filtered by the user's region like everything else."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from jaring.accounts.models import User
from jaring.accounts.scope import scope_code
from jaring.core.errors import CoreError, NotFound, Problem
from jaring.programs.models import Programme
from jaring.regions.models import Level, Region
from jaring.regions.selectors import regencies_of


def _ancestors_and_self(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def programmes_for(user: User) -> QuerySet[Programme]:
    """Programmes covering the user's region, or inside it.

    A village enumerator sees the city's programme (it covers the village); a city officer sees
    the city's programmes and any of its districts or villages, not the neighbouring city's.
    """
    qs = Programme.objects.select_related("region")
    code = scope_code(user)
    if code is None:
        return qs
    if code == "":
        return qs.none()
    return qs.filter(
        Q(region_id__in=_ancestors_and_self(code)) | Q(region__code__startswith=code + ".")
    )


def get_programme(user: User, pk: int) -> Programme:
    programme = programmes_for(user).filter(pk=pk).first()
    if programme is None:
        raise NotFound(
            Problem(CoreError.NOT_FOUND, "Program tidak ditemukan.", "Programme not found.")
        )
    return programme


def search_programmes(user: User, *, year: int | None = None, status: str = "") -> QuerySet:
    qs = programmes_for(user)
    if year:
        qs = qs.filter(fiscal_year=year)
    if status:
        qs = qs.filter(status=status)
    return qs


def regencies_of_programmes(programme_ids: Iterable[int]) -> set[str]:
    """The regencies a programme's members can live in (eligibility keeps them in its region)."""
    regions = Programme.objects.filter(pk__in=list(programme_ids)).values_list("region", flat=True)
    codes = set()
    for region in Region.objects.filter(code__in=set(regions)):
        codes.update(regencies_of(region) if region.level == Level.PROVINCE else [region.code[:5]])
    return codes
