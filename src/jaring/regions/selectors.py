from django.db.models import QuerySet

from jaring.regions.models import Level, Region


def children(code: str | None) -> QuerySet[Region]:
    if code is None:
        return Region.objects.filter(level=Level.PROVINCE)
    return Region.objects.filter(parent_id=code)


def villages_under(code: str) -> QuerySet[Region]:
    return Region.objects.filter(level=Level.VILLAGE, code__startswith=code + ".")


def ancestors(code: str) -> list[str]:
    """`61.72.02.1001` → ["61", "61.72", "61.72.02", "61.72.02.1001"]."""
    parts = code.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def regencies_of(region: Region) -> list[str]:
    """The regencies a region's counts are kept by: a province's, or the one it belongs to."""
    if region.level == Level.PROVINCE:
        return list(Region.objects.filter(parent=region).values_list("code", flat=True))
    if region.level == Level.REGENCY:
        return [region.code]
    return [region.parent_id]
