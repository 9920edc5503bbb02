"""The values of a list's coded columns: wordings mapped to codes, and the values not recognised.

A coded column (occupation, village, sex, disability and its kind) holds words a city writes its
own way. Three layers turn a wording into a code before the normaliser reads the cells, each
over the one below: the shipped wordings (imports/synonyms.toml), the city's remembered ones
(`ValueSynonym`, of the batch's region and the regions above it), and the officer's answers for
this batch (`ImportBatch.value_map`). A cell whose wording has an answer is rewritten as its code,
in the column, once per distinct value; everything after (normalise, validate) is unchanged.

After the check, every value the rows could not use is listed once per field with its row count
and the closest known values (`unrecognised`): what the review step shows, and what the officer
maps (or rejects) for every row with that value at once.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl
from django.utils import translation

from jaring.accounts.scope import level_of
from jaring.core.errors import Problem, ValidationFailed
from jaring.imports.errors import ImportsError
from jaring.imports.lookups import Villages, shipped, value_key
from jaring.imports.models import ValueSynonym
from jaring.imports.normalise import disability
from jaring.regions.models import Level, Region
from jaring.registry.errors import RegistryError
from jaring.registry.models import DisabilityKind, MaritalStatus, OccupationCategory

# The coded fields, in the order the review step lists them.
CODED = ("category", "village", "sex", "disability", "disability_kind", "marital_status")
# Field -> (Indonesian, English) name, for messages.
FIELD_NAMES = {
    "category": ("Pekerjaan", "Occupation"),
    "village": ("Kelurahan/Desa", "Village"),
    "sex": ("Jenis kelamin", "Sex"),
    "disability": ("Disabilitas", "Disability"),
    "disability_kind": ("Jenis disabilitas", "Kind of disability"),
    "marital_status": ("Status perkawinan", "Marital status"),
}
# A list of random text must not make the review step endless: the most frequent values first.
_MOST = 200
# Suggestions are looked for among at most this many known wordings (a whole country's
# villages would take seconds per value).
_SUGGEST_OVER = 5000


def city_of(region_code: str) -> str:
    """The region a wording is remembered for: the batch's city (regency), or the province or
    country when the batch covers more than one city."""
    return region_code[:5] if level_of(region_code) >= 2 else region_code


def _regions_covering(region_code: str) -> list[str]:
    """The region and every region above it, broadest first ("" is the country)."""
    out = [""]
    for length in (2, 5, 8, 13):
        if len(region_code) >= length:
            out.append(region_code[:length])
    return out


def table(region_code: str, value_map: dict | None = None) -> dict[str, dict[str, str | None]]:
    """Field -> {value key: code (None: reject)}: shipped, then the city's, then the batch's."""
    out: dict[str, dict[str, str | None]] = defaultdict(dict)
    for field, words in shipped().items():
        out[field].update(words)
    covering = _regions_covering(region_code)
    remembered = sorted(
        ValueSynonym.objects.filter(region_code__in=covering).values_list(
            "region_code", "field", "value_key", "code"
        ),
        key=lambda r: len(r[0]),
    )
    for _, field, key, code in remembered:
        out[field][key] = code
    for field, answers in (value_map or {}).items():
        out[field].update(answers)
    return dict(out)


# How a code is written back into a cell so that the normaliser reads it.
_CELL = {
    "sex": {"M": "L", "F": "P"},
    "disability": {"yes": "Ya", "no": "Tidak"},
}


def apply(
    frame: pl.DataFrame, mapping: dict[str, str], answers: dict[str, dict[str, str | None]]
) -> pl.DataFrame:
    """The cells whose wording has an answer, rewritten as its code (a rejection leaves the
    cell as it is: the row is refused for it)."""
    changed = []
    for field in CODED:
        header, words = mapping.get(field), answers.get(field)
        if not header or not words or header not in frame.columns:
            continue
        cells = frame[header].drop_nulls().unique().to_list()
        rewrite = {}
        for cell in cells:
            code = words.get(value_key(cell))
            if code is not None:
                rewrite[cell] = _CELL.get(field, {}).get(code, code)
        if rewrite:
            changed.append(pl.col(header).replace(rewrite))
    return frame.with_columns(changed) if changed else frame


@dataclass(frozen=True)
class Choice:
    code: str
    label_id: str
    label_en: str

    def label(self) -> str:
        en = (translation.get_language() or "id").startswith("en")
        return self.label_en if en else self.label_id


def _both(label) -> tuple[str, str]:
    with translation.override("id"):
        label_id = str(label)
    with translation.override("en"):
        label_en = str(label)
    return label_id, label_en


class Targets:
    """The codes each coded field may be mapped to in one region, with their names."""

    def __init__(self, region_code: str, villages: Villages | None = None):
        self.region_code = region_code
        self._villages = villages
        self._choices: dict[str, dict[str, Choice]] = {}

    def choices(self, field: str) -> dict[str, Choice]:
        if field not in self._choices:
            self._choices[field] = getattr(self, f"_{field}")()
        return self._choices[field]

    def _category(self) -> dict[str, Choice]:
        return {
            code: Choice(code, name_id, name_en)
            for code, name_id, name_en in OccupationCategory.objects.values_list(
                "code", "name_id", "name_en"
            )
        }

    def _village(self) -> dict[str, Choice]:
        """The region's villages; none listed for the whole country (83,762 of them): there a
        village code is looked up one at a time (`code_of`)."""
        if not self.region_code:
            return {}
        rows = Region.objects.filter(
            level=Level.VILLAGE, code__startswith=self.region_code + ".", retired_on__isnull=True
        )
        out = {}
        for code, name, district in rows.values_list("code", "name", "parent__name").order_by(
            "code"
        ):
            label = f"{name} ({district})"
            out[code] = Choice(code, label, label)
        return out

    def _sex(self) -> dict[str, Choice]:
        return {"M": Choice("M", "Laki-laki", "Male"), "F": Choice("F", "Perempuan", "Female")}

    def _disability(self) -> dict[str, Choice]:
        out = {"yes": Choice("yes", "Ya", "Yes"), "no": Choice("no", "Tidak", "No")}
        return out | self._disability_kind()

    def _disability_kind(self) -> dict[str, Choice]:
        return {k.value: Choice(k.value, *_both(k.label)) for k in DisabilityKind}

    def _marital_status(self) -> dict[str, Choice]:
        return {k.value: Choice(k.value, *_both(k.label)) for k in MaritalStatus}

    def code_of(self, field: str, text: str) -> str | None:
        """The code `text` names for `field` (a code as typed, in any case; L/P for sex;
        a village code with or without dots), or None."""
        text = (text or "").strip()
        choices = self.choices(field)
        if text in choices:
            return text
        if field == "sex":
            text = {"L": "M", "P": "F"}.get(text.upper(), text.upper())
        elif field == "disability":
            text = {"ya": "yes", "tidak": "no"}.get(text.lower(), text.lower())
        elif field == "village":
            if text.isdigit() and len(text) == 10:
                text = f"{text[:2]}.{text[2:4]}.{text[4:6]}.{text[6:]}"
            if not self.region_code:
                found = Region.objects.filter(
                    code=text, level=Level.VILLAGE, retired_on__isnull=True
                ).exists()
                return text if found else None
        else:
            text = text.lower()
        return text if text in choices else None

    def label(self, field: str, code: str) -> str:
        choice = self.choices(field).get(code)
        return choice.label() if choice else code

    def suggest(self, field: str, text: str, known: dict[str, str]) -> list[str]:
        """Up to three codes whose names or wordings are closest to the value: by the share
        of the value's words (of four letters or more) they contain, else by spelling."""
        key = value_key(text)
        parts = [w for w in re.split(r"[^a-z]+", text.lower()) if len(w) >= 4]
        words = dict(known)
        for code, choice in self.choices(field).items():
            for text in (code, choice.label_id, choice.label_en):
                words.setdefault(value_key(text), code)
        if len(words) > _SUGGEST_OVER or not key:
            return []
        scored: dict[str, float] = {}
        matcher = difflib.SequenceMatcher(b=key, autojunk=False)
        for word, code in words.items():
            if not word:
                continue
            matcher.set_seq1(word)
            score = matcher.ratio()
            # "Penyadap Sawit" and "petani sawit" share the word that matters.
            shared = sum(1 for p in parts if p in word)
            if shared:
                score = max(score, 0.6 + 0.3 * shared / len(parts))
            elif score < 0.7:  # "Pasiran" for "Pasiram", not "Astronot" for "Trc Bpbd"
                continue
            if score > scored.get(code, 0):
                scored[code] = score
        best = sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))
        return [code for code, _ in best[:3]]


@dataclass(frozen=True)
class ValueMapping:
    """The officer's answer for one value: a code, or None to reject the rows with it."""

    field: str
    value: str
    code: str | None


def _named(field: str) -> tuple[str, str]:
    return FIELD_NAMES.get(field, (field, field))


def check(targets: Targets, mappings: Iterable[ValueMapping]) -> list[ValueMapping]:
    """The mappings with their codes made exact; refuses a field without codes, a code the
    field does not have, an empty value, and two mappings for one value: all problems at once."""
    problems: list[Problem] = []
    clean: list[ValueMapping] = []
    seen: dict[tuple[str, str], str] = {}
    for m in mappings:
        field_id, field_en = _named(m.field)
        if m.field not in CODED:
            problems.append(
                Problem(
                    ImportsError.VALUE_FIELD_UNKNOWN,
                    f"Isian '{m.field}' tidak berkode; yang bisa dipadankan: {', '.join(CODED)}.",
                    f"Field '{m.field}' has no codes; values can be mapped for: "
                    f"{', '.join(CODED)}.",
                    field=m.field,
                )
            )
            continue
        key = value_key(m.value)
        if not key:
            problems.append(
                Problem(
                    ImportsError.VALUE_EMPTY,
                    f"{field_id}: nilai yang dipadankan kosong.",
                    f"{field_en}: the value to map is empty.",
                    field=m.field,
                )
            )
            continue
        if (m.field, key) in seen:
            problems.append(
                Problem(
                    ImportsError.VALUE_MAPPED_TWICE,
                    f"{field_id} '{m.value}' dipadankan dua kali (juga sebagai "
                    f"'{seen[(m.field, key)]}'): pilih satu.",
                    f"{field_en} '{m.value}' is mapped twice (also as "
                    f"'{seen[(m.field, key)]}'): choose one.",
                    field=m.field,
                )
            )
            continue
        seen[(m.field, key)] = m.value
        code = None
        if m.code is not None:
            code = targets.code_of(m.field, m.code)
            if code is None:
                known = ", ".join(list(targets.choices(m.field))[:12])
                where = f" di {targets.region_code}" if m.field == "village" else ""
                where_en = f" in {targets.region_code}" if m.field == "village" else ""
                problems.append(
                    Problem(
                        ImportsError.VALUE_CODE_UNKNOWN,
                        f"{field_id} '{m.value}': kode '{m.code}' tidak ada{where} "
                        f"(misalnya: {known}).",
                        f"{field_en} '{m.value}': there is no code '{m.code}'{where_en} "
                        f"(e.g. {known}).",
                        field=m.field,
                    )
                )
                continue
        clean.append(ValueMapping(m.field, m.value.strip(), code))
    if problems:
        raise ValidationFailed(*problems)
    return clean


_VILLAGE_MAPPABLE = {str(RegistryError.VILLAGE_UNKNOWN), str(ImportsError.VILLAGE_AMBIGUOUS)}


def _unread(checked: pl.DataFrame) -> dict[str, pl.Series]:
    """Field -> the cells (one per row) its column had and the check could not use."""
    col = pl.col
    out = {
        "category": checked.filter(
            col("category_raw").is_not_null() & col("category_code").is_null()
        )["category_raw"],
        "village": checked.filter(
            col("village_raw").is_not_null()
            & col("village_code").is_null()
            & col("village_reason")
            .str.json_path_match("$.code")
            .is_in(list(_VILLAGE_MAPPABLE))
            .fill_null(False)
        )["village_raw"],
        "sex": checked.filter(col("sex_raw").is_not_null() & col("sex").is_null())["sex_raw"],
        "marital_status": checked.filter(
            col("marital_status_raw").is_not_null() & col("marital_status").is_null()
        )["marital_status_raw"],
    }
    flags = checked["disability_flag_raw"].drop_nulls()
    kinds = checked["disability_kind_raw"].drop_nulls()
    out["disability"] = flags.filter(flags.is_in(_unreadable(flags.unique(), flag=True).implode()))
    out["disability_kind"] = kinds.filter(
        kinds.is_in(_unreadable(kinds.unique(), flag=False).implode())
    )
    return out


def _unreadable(values: pl.Series, *, flag: bool) -> pl.Series:
    """The values the disability columns cannot read, each alone in its column."""
    frame = pl.DataFrame({"v": values, "none": pl.Series([None] * len(values), dtype=pl.String)})
    a, b = (pl.col("v"), pl.col("none")) if flag else (pl.col("none"), pl.col("v"))
    _, _, bad = disability(a, b)
    return frame.filter(bad)["v"]


def unrecognised(
    checked: pl.DataFrame,
    *,
    targets: Targets,
    answers: dict[str, dict[str, str | None]],
    decided: dict[str, dict[str, str | None]],
) -> list[dict]:
    """Each value of a coded column the rows could not use, once per field (its commonest
    spelling), with its row count, the closest codes, and the officer's answer for this batch
    if any (`decision`: None when they chose to reject the rows). `answers` is the `table`
    the check used: its wordings help find the closest codes."""
    out: list[dict] = []
    for field, cells in _unread(checked).items():
        if cells.is_empty():
            continue
        counted = (
            pl.DataFrame({"value": cells})
            .with_columns(key=pl.col("value").map_elements(value_key, return_dtype=pl.String))
            .group_by("key", "value", maintain_order=True)
            .len()
            .sort("len", descending=True, maintain_order=True)
        )
        # The commonest spelling of each value, the first in the file among equals.
        by_key = counted.group_by("key", maintain_order=True).agg(
            pl.col("value").first(), pl.col("len").sum()
        )
        by_key = by_key.sort("len", descending=True, maintain_order=True).head(_MOST)
        known = {k: c for k, c in answers.get(field, {}).items() if c is not None}
        for key, value, rows in by_key.iter_rows():
            entry = {
                "field": field,
                "value": value,
                "key": key,
                "rows": rows,
                "suggestions": targets.suggest(field, value, known),
            }
            if key in decided.get(field, {}):
                entry["decision"] = decided[field][key]
            out.append(entry)
    return out
