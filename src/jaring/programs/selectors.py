"""Reads of programmes, filtered by the user's region like everything else."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from jaring.accounts.scope import Actor, Mode, scope_q
from jaring.core.errors import NotFound
from jaring.programs.models import Programme
from jaring.regions.models import Level, Region
from jaring.regions.selectors import regencies_of


def programmes_for(user: Actor) -> QuerySet[Programme]:
    """Programmes covering the user's region, or inside it.

    A village enumerator sees the city's programme (it covers the village); a city officer sees
    the city's programmes and any of its districts or villages, not the neighbouring city's.
    """
    return Programme.objects.select_related("region").filter(
        scope_q(user, field="region__code", mode=Mode.COVERING)
    )


def get_programme(user: Actor, pk: int) -> Programme:
    programme = programmes_for(user).filter(pk=pk).first()
    if programme is None:
        raise NotFound.of("Program", "Programme")
    return programme


def search_programmes(user: Actor, *, year: int | None = None, status: str = "") -> QuerySet:
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
