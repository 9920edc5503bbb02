"""The value-mapping step (issue 13): wordings a city writes, mapped once for every row."""

from __future__ import annotations

import polars as pl
import pytest

from jaring.core.errors import ValidationFailed
from jaring.imports import pipeline, values
from jaring.imports.lookups import shipped
from jaring.registry.models import OccupationCategory

from .conftest import TODAY, people_cells, write_csv

pytestmark = pytest.mark.django_db


def analyse(path, value_map=None, region="61.72"):
    return pipeline.analyse(path, region_code=region, today=TODAY, value_map=value_map)


def with_column(cells: pl.DataFrame, header: str, texts: list[str]) -> pl.DataFrame:
    return cells.with_columns(pl.Series(header, texts))


def test_every_shipped_wording_names_a_category_or_kind_that_exists():
    categories = set(OccupationCategory.objects.values_list("code", flat=True))
    assert set(shipped()["category"].values()) <= categories
    kinds = {"physical", "sensory", "intellectual", "mental", "multiple", "unspecified"}
    assert set(shipped()["disability_kind"].values()) <= kinds


def test_unrecognised_values_listed_once_with_rows_and_suggestions(tmp_path):
    cells = people_cells(8, seed=3)
    jobs = ["Penyadap Sawit", "penyadap sawit", "PENYADAP  SAWIT", "Astronot"] + ["Nelayan"] * 4
    cells = with_column(cells, "Pekerjaan", jobs)
    cells = with_column(cells, "Jenis Kelamin", ["Lelaki", *list(cells["Jenis Kelamin"][1:])])
    analysis = analyse(write_csv(cells, tmp_path / "list.csv"))
    listed = {(u["field"], u["value"]): u for u in analysis.unrecognised}
    assert set(listed) == {
        ("category", "Penyadap Sawit"),
        ("category", "Astronot"),
        ("sex", "Lelaki"),
    }
    assert listed[("category", "Penyadap Sawit")]["rows"] == 3
    assert "palm_oil_worker" in listed[("category", "Penyadap Sawit")]["suggestions"]
    assert listed[("category", "Astronot")]["rows"] == 1
    assert analysis.counts["rejected"] == 4


def test_a_mapping_changes_every_row_with_the_value(tmp_path):
    cells = people_cells(6, seed=5)
    cells = with_column(cells, "Pekerjaan", ["Penyadap Sawit"] * 3 + ["Astronot"] * 3)
    path = write_csv(cells, tmp_path / "list.csv")
    answers = {"category": {"penyadapsawit": "palm_oil_worker", "astronot": None}}
    analysis = analyse(path, value_map=answers)
    outcome = analysis.rows.select("outcome", "category_code").rows()
    assert outcome == [("new", "palm_oil_worker")] * 3 + [("rejected", None)] * 3
    rejected = [u for u in analysis.unrecognised if u["value"] == "Astronot"]
    assert rejected == [
        {
            "field": "category",
            "value": "Astronot",
            "key": "astronot",
            "rows": 3,
            "suggestions": [],
            "decision": None,
        }
    ]


def test_village_sex_and_disability_values_can_be_mapped(tmp_path):
    cells = people_cells(4, seed=8)
    cells = with_column(cells, "Kelurahan/Desa", ["Kel. Pasiran Lama"] * 4)
    cells = with_column(cells, "Disabilitas", ["Cacat"] * 4)
    cells = with_column(cells, "Jenis Disabilitas", ["Kusta"] * 4)
    path = write_csv(cells, tmp_path / "list.csv")
    found = {u["field"]: u for u in analyse(path).unrecognised}
    assert set(found) == {"village", "disability", "disability_kind"}
    targets = values.Targets("61.72")
    pasiran = next(c for c, ch in targets.choices("village").items() if "Pasiran" in ch.label_id)
    answers = {
        "village": {found["village"]["key"]: pasiran},
        "disability": {"cacat": "yes"},
        "disability_kind": {"kusta": "physical"},
    }
    analysis = analyse(path, value_map=answers)
    assert analysis.unrecognised == []
    assert set(analysis.rows["village_code"]) == {pasiran}
    assert set(analysis.rows["disability_kind"]) == {"physical"}


def test_bad_mappings_are_refused_together():
    targets = values.Targets("61.72")
    with pytest.raises(ValidationFailed) as refused:
        values.check(
            targets,
            [
                values.ValueMapping("category", "Buruh Kebun", "astronaut"),
                values.ValueMapping("category", "Penyadap", "farmer"),
                values.ValueMapping("category", "PENYADAP", "palm_oil_worker"),
                values.ValueMapping("village", "Pasiran Lama", "61.71.01.1001"),
                values.ValueMapping("full_name", "Budi", "x"),
                values.ValueMapping("sex", " ", "L"),
            ],
        )
    codes = [(p.code, p.field) for p in refused.value.problems]
    assert codes == [
        ("value_code_unknown", "category"),
        ("value_mapped_twice", "category"),
        ("value_code_unknown", "village"),
        ("value_field_unknown", "full_name"),
        ("value_empty", "sex"),
    ]
    assert "astronaut" in refused.value.problems[0].message_en


def test_codes_are_taken_as_officers_type_them():
    targets = values.Targets("61.72")
    clean = values.check(
        targets,
        [
            values.ValueMapping("sex", "Lelaki", "l"),
            values.ValueMapping("disability", "Cacat", "Ya"),
            values.ValueMapping("category", "Penyadap", "FARMER"),
            values.ValueMapping("village", "Pasiran Lama", "6172021001"),
        ],
    )
    assert [m.code for m in clean] == ["M", "yes", "farmer", "61.72.02.1001"]


def test_a_nik_whose_district_never_existed_is_refused_in_a_list(tmp_path):
    """61.71.07: Pontianak has six districts; the screen does not let such a NIK through."""
    cells = people_cells(3, seed=9, region="61.71")
    niks = cells["NIK"].to_list()
    niks[1] = "617107" + niks[1][6:]
    cells = cells.with_columns(pl.Series("NIK", niks))
    analysis = analyse(write_csv(cells, tmp_path / "list.csv"), region="61.71")
    reasons = {r["row"]: r["reasons"] for r in analysis.rows.iter_rows(named=True)}
    assert reasons[2] is None and reasons[4] is None
    assert "nik_district_never_existed" in reasons[3]
