"""Matching what a list says (a village name, an occupation word) to the registry's codes.

Values repeat a lot in a list, so each distinct value is resolved once in Python and the
answers are joined back onto the rows.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polars as pl

from jaring.imports.errors import ImportsError
from jaring.imports.reasons import row_reason
from jaring.regions.loader import match_key
from jaring.regions.models import Level, Region
from jaring.registry.errors import RegistryError
from jaring.registry.models import OccupationCategory

_CODE = re.compile(r"^(\d{2})\.?(\d{2})\.?(\d{2})\.?(\d{4})(?:[.,]0+)?$")
_VILLAGE_PREFIX = re.compile(r"^(kelurahan|kel|desa|ds)\b\.?\s*", re.IGNORECASE)
_DISTRICT_PREFIX = re.compile(r"^(kecamatan|kec)\b\.?\s*", re.IGNORECASE)

# What officers write in coded columns, shipped with Jaring (imports.values adds a city's own).
SHIPPED = Path(__file__).with_name("synonyms.toml")


def value_key(text: object) -> str:
    """What a cell is matched on: "Buruh Sawit", "BURUH-SAWIT" and "buruh  sawit" are one."""
    return match_key(str(text or "").strip())


@cache
def shipped() -> dict[str, dict[str, str]]:
    """Field -> {value key: code}, from imports/synonyms.toml."""
    data = tomllib.loads(SHIPPED.read_text(encoding="utf-8"))
    return {
        field: {value_key(w): code for code, words in codes.items() for w in words}
        for field, codes in data.items()
    }


@dataclass(frozen=True)
class Village:
    code: str
    district_key: str
    district_name: str


class Villages:
    """The villages an import may use, by name key, within one region ("" = the country)."""

    def __init__(self, region_code: str):
        self.region_code = region_code
        # A village a newer list retired is not offered for new or moved workers.
        rows = Region.objects.filter(level=Level.VILLAGE, retired_on__isnull=True)
        if region_code:
            rows = rows.filter(code__startswith=region_code + ".")
        self.by_key: dict[str, list[Village]] = defaultdict(list)
        self.codes: set[str] = set()
        for code, key, district_key, district_name in rows.values_list(
            "code", "match_key", "parent__match_key", "parent__name"
        ):
            self.by_key[key].append(Village(code, district_key, district_name))
            self.codes.add(code)
        self.region_name = (
            Region.objects.filter(code=region_code).values_list("name", flat=True).first() or ""
        )

    def resolve(self, raw: str | None, district: str | None) -> tuple[str | None, dict | None]:
        """(village code, None) or (None, reason)."""
        if not raw:
            return None, row_reason(ImportsError.VILLAGE_REQUIRED, "village")
        code = _CODE.match(raw)
        if code:
            dotted = ".".join(code.groups())
            if dotted in self.codes:
                return dotted, None
            live = Region.objects.filter(code=dotted, level=Level.VILLAGE, retired_on__isnull=True)
            if live.exists():
                return None, row_reason(RegistryError.VILLAGE_OUT_OF_SCOPE, "village", code=dotted)
            return None, self._unknown(raw, "")
        candidates = self.by_key.get(match_key(_VILLAGE_PREFIX.sub("", raw)), [])
        district_key = match_key(_DISTRICT_PREFIX.sub("", district)) if district else ""
        if district_key:
            candidates = [
                v
                for v in candidates
                if district_key in (v.district_key, v.code[:8].replace(".", ""))
            ]
        if len(candidates) == 1:
            return candidates[0].code, None
        if not candidates:
            return None, self._unknown(raw, district or "")
        return None, row_reason(
            ImportsError.VILLAGE_AMBIGUOUS, "village", n=len(candidates), text=raw
        )

    def _unknown(self, raw: str, district: str) -> dict:
        where = f" di kecamatan {district}" if district else ""
        where_en = f" in district {district}" if district else ""
        if self.region_name and not district:
            where, where_en = f" di {self.region_name}", f" in {self.region_name}"
        return row_reason(
            RegistryError.VILLAGE_UNKNOWN, "village", text=raw, where=where, where_en=where_en
        )

    def column(self, frame: pl.DataFrame) -> pl.DataFrame:
        """`village_code`, or `village_reason` (JSON) for each row of `frame`."""
        pairs = frame.select("village_raw", "district_raw").unique()
        answers = [self.resolve(v, d) for v, d in pairs.iter_rows()]
        table = pairs.with_columns(
            village_code=pl.Series([a[0] for a in answers], dtype=pl.String),
            village_reason=pl.Series(
                [json.dumps(a[1]) if a[1] else None for a in answers], dtype=pl.String
            ),
        )
        return frame.join(
            table,
            on=["village_raw", "district_raw"],
            how="left",
            nulls_equal=True,
            maintain_order="left",
        )


def category_table() -> dict[str, str]:
    """Match key -> category code, from the categories' codes and names and the wordings
    shipped in imports/synonyms.toml (imports.values applies a city's own before this)."""
    out = dict(shipped().get("category", {}))
    for code, name_id, name_en in OccupationCategory.objects.values_list(
        "code", "name_id", "name_en"
    ):
        for text in (code, name_id, name_en, re.sub(r"\s*\(.*\)$", "", name_id)):
            out[match_key(text)] = code
    return out
