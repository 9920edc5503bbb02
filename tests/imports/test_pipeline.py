"""The check itself: the registry's rules on every row, the right reason for every broken row."""

from __future__ import annotations

import json

import polars as pl
import pytest

from jaring.demo.inject_errors import spoil
from jaring.demo.synthetic import generate_people, people_frame
from jaring.imports import pipeline
from jaring.imports.columns import guess_mapping
from jaring.imports.lookups import Villages, category_table
from jaring.imports.normalise import normalise
from jaring.imports.validate import screen, validate
from jaring.registry.validation import WorkerInput, check_fields
from tests.factories import PONTIANAK_VILLAGE, make_worker

from .conftest import TODAY, people_cells, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def analyse(path, region="61.72"):
    return pipeline.analyse(path, region_code=region, today=TODAY)


def reasons_by_row(analysis) -> dict[int, set[str]]:
    return {
        row: {r["code"] for r in json.loads(reasons)}
        for row, reasons in analysis.rows.select("row", "reasons").iter_rows()
        if reasons
    }


def test_found_every_injected_error_with_its_reason(tmp_path):
    """The quality check of issue 3 on 5,000 rows (bench/import_bench.py runs 100,000)."""
    spoiled = spoil(people_frame(generate_people(5000, seed=11, today=TODAY)), seed=11)
    analysis = analyse(write_csv(spoiled.cells, tmp_path / "spoiled.csv"))
    found = reasons_by_row(analysis)
    expected = spoiled.expected()
    right = [row for row, e in expected.items() if e.code in found.get(row, set())]
    assert len(expected) > 150
    assert len(right) / len(expected) >= 0.995
    # Harmless mess (dates in other forms, NIKs with spaces or ".0", names in capitals, village
    # names instead of codes) is not a reason to refuse a row.
    assert set(found) - set(expected) == set()
    assert analysis.counts["rows"] == 5000


def test_screen_never_passes_a_row_the_rules_refuse(tmp_path):
    """The column-wise screen only skips check_fields for rows check_fields would pass."""
    spoiled = spoil(people_frame(generate_people(3000, seed=5, today=TODAY)), error_rate=0.3)
    frame = spoiled.cells.with_row_index("row", offset=2).with_columns(pl.col("row").cast(pl.Int64))
    mapping = guess_mapping(spoiled.cells.columns)
    norm = normalise(frame, mapping, today=TODAY).with_columns(frame["row"])
    checked = validate(norm, today=TODAY, villages=Villages("61.72"), categories=category_table())
    passed = checked.filter(screen(checked, TODAY))
    assert 0 < passed.height < checked.height
    for row in passed.iter_rows(named=True):
        data = WorkerInput(
            nik=row["nik"],
            full_name=row["full_name"],
            birth_date=row["birth_date"],
            sex=row["sex"],
            village_code=row["village_code"],
            category_code=row["category_code"],
            rt=row["rt"] or "",
            rw=row["rw"] or "",
            address=row["address"] or "",
            phone=row["phone"] or "",
            has_disability=row["has_disability"],
            disability_kind=row["disability_kind"] or "",
            declared_income=row["declared_income"],
        )
        assert check_fields(data, TODAY) == [], row
    assert checked.filter(~screen(checked, TODAY))["reasons"].null_count() == 0


def test_duplicates_in_file_and_in_registry(tmp_path, admin):
    cells = people_cells(6, seed=2).drop("Penghasilan per Bulan")
    registered = cells.row(0, named=True)
    make_worker(
        admin,
        registered["Kelurahan/Desa"],
        nik=registered["NIK"],
        full_name=registered["Nama Lengkap"],
        birth_date=pl.Series([registered["Tanggal Lahir"]]).str.to_date("%d/%m/%Y")[0],
        sex="M" if registered["Jenis Kelamin"] == "L" else "F",
        category_code=registered["Pekerjaan"],
        phone=registered["No HP"],
        rt=registered["RT"],
        rw=registered["RW"],
        address=registered["Alamat"],
    )
    other = cells.row(1, named=True)
    make_worker(
        admin,
        other["Kelurahan/Desa"],
        nik=other["NIK"],
        full_name="Orang Lain Sekali",
        birth_date=pl.Series([other["Tanggal Lahir"]]).str.to_date("%d/%m/%Y")[0],
        sex="M" if other["Jenis Kelamin"] == "L" else "F",
    )
    cells = pl.concat([cells, cells.slice(3, 1)])  # row 3 twice
    analysis = analyse(write_csv(cells, tmp_path / "list.csv"))
    outcome = dict(analysis.rows.select("row", "outcome").iter_rows())
    assert outcome[2] == "unchanged"
    assert outcome[3] == "duplicate_in_registry"
    assert outcome[4] == "new"
    assert outcome[5] == "new"
    assert outcome[8] == "duplicate_in_file"
    assert reasons_by_row(analysis)[8] == {"duplicate_in_file"}
    assert (
        analysis.counts["unchanged"],
        analysis.counts["duplicate_in_registry"],
        analysis.counts["duplicate_in_file"],
        analysis.counts["new"],
    ) == (1, 1, 1, 4)


def test_a_nik_registered_in_another_region_is_refused_without_saying_so(tmp_path, admin):
    cells = people_cells(3, seed=4).drop("Penghasilan per Bulan")
    person = cells.row(0, named=True)
    make_worker(  # the same person, registered in Pontianak
        admin,
        PONTIANAK_VILLAGE,
        nik=person["NIK"],
        full_name=person["Nama Lengkap"],
        birth_date=pl.Series([person["Tanggal Lahir"]]).str.to_date("%d/%m/%Y")[0],
        sex="M" if person["Jenis Kelamin"] == "L" else "F",
    )
    analysis = analyse(write_csv(cells, tmp_path / "list.csv"), region="61.72")
    row = analysis.rows.filter(pl.col("row") == 2).row(0, named=True)
    assert row["outcome"] == "rejected" and row["worker_id"] is None
    (reason,) = json.loads(row["reasons"])
    assert reason["code"] == "nik_not_registrable"
    assert reason["message_id"] == (
        "NIK ini tidak dapat didaftarkan di sini; tanyakan kepada administrator."
    )
    assert reason["message_en"] == "This NIK cannot be registered here; ask the administrator."
    assert analysis.counts["duplicate_in_registry"] == 0
    # The same list imported for the whole country finds the registered person.
    national = analyse(write_csv(cells, tmp_path / "all.csv"), region="")
    assert national.rows.filter(pl.col("row") == 2)["outcome"].item() in ("unchanged", "updated")


def test_village_names_with_district_and_run_together_spellings(tmp_path):
    cells = pl.DataFrame(
        {
            "NIK": ["6172021708850001", "6172025708850002", "6171051708850003"],
            "Nama": ["Budi", "Siti", "Ani"],
            # "Tengah" exists in Singkawang Barat and in Pontianak Kota; Sungaijawi Dalam is
            # written Sungai Jawi Dalam by most people.
            "Kelurahan": ["TENGAH", "Tengah", "Sungai Jawi Dalam"],
            "Kecamatan": ["Singkawang Barat", "", "Pontianak Barat"],
            "Pekerjaan": ["Nelayan", "Pedagang", "Ojek"],
        }
    )
    analysis = analyse(write_csv(cells, tmp_path / "v.csv"), region="61")
    rows = analysis.rows.sort("row")
    assert rows["village_code"][0].startswith("61.72.02.")
    assert rows["outcome"].to_list() == ["new", "rejected", "new"]
    assert reasons_by_row(analysis)[3] == {"village_ambiguous"}
    assert rows["village_code"][2].startswith("61.71.03.")
    assert rows["category_code"].to_list()[0::2] == ["fisher", "ojek_driver"]


def test_rows_outside_the_region_are_rejected(tmp_path):
    cells = people_cells(3, seed=4, region="61.71")  # Pontianak
    analysis = analyse(write_csv(cells, tmp_path / "p.csv"), region="61.72")
    assert analysis.counts["rejected"] == 3
    assert set().union(*reasons_by_row(analysis).values()) == {"village_out_of_scope"}


def test_birth_date_and_sex_come_from_the_nik_when_absent(tmp_path):
    cells = people_cells(4, seed=6).drop("Tanggal Lahir", "Jenis Kelamin")
    analysis = analyse(write_csv(cells, tmp_path / "n.csv"))
    assert analysis.counts["new"] == 4
    assert analysis.rows["birth_date"].null_count() == 0


def test_excel_numbers_and_formulas(tmp_path):
    cells = people_cells(4, seed=8)
    cells = cells.with_columns(
        pl.Series("Nama Lengkap", ['=HYPERLINK("x")', "Budi", "Ani", "Siti"]),
        pl.Series("NIK", ["6.17202E+15", *cells["NIK"].to_list()[1:]]),
    )
    path = write_xlsx(cells, tmp_path / "n.xlsx", numbers=("RT", "RW", "No HP"))
    analysis = analyse(path)
    found = reasons_by_row(analysis)
    # A formula counts as the value Excel computed; one never computed is an empty cell.
    assert found[2] == {"nik_excel_mangled", "required"}
    assert analysis.counts["new"] == 3  # RT 1, HP 8123… came back as 001 and +628123…
    # In a csv the formula is plain text: refused as a name, never evaluated.
    found = reasons_by_row(analyse(write_csv(cells, tmp_path / "n.csv")))
    assert found[2] == {"nik_excel_mangled", "name_formula"}


def test_unreadable_cells_get_their_own_reason(tmp_path):
    cells = people_cells(3, seed=9).with_columns(
        pl.Series("Tanggal Lahir", ["32/13/1985", "17/08/1985", "17/08/1985"]),
        pl.Series("Jenis Kelamin", ["L", "?", "L"]),
        pl.Series("Pekerjaan", ["fisher", "fisher", "Astronot"]),
    )
    found = reasons_by_row(analyse(write_csv(cells, tmp_path / "u.csv")))
    assert "date_unreadable" in found[2] and "required" not in found[2]
    assert "sex_unreadable" in found[3]
    assert "category_unknown" in found[4]


def test_no_nik_column(tmp_path):
    cells = people_cells(3).drop("NIK")
    with pytest.raises(pipeline.MappingNeeded) as exc:
        analyse(write_csv(cells, tmp_path / "x.csv"))
    assert [p.code for p in exc.value.problems] == ["columns_missing"]
    assert exc.value.problems[0].field == "nik"
    assert "NIK" in exc.value.problems[0].message_id


def test_disability_yes_without_kind_is_not_stated(tmp_path, admin):
    """ "Disabilitas: Ya" and no kind: imported with the kind "unspecified" (issue 13); a worker
    registered with a kind keeps it (the list says less, it does not say otherwise)."""
    cells = people_cells(3, seed=4).with_columns(
        pl.lit("Ya").alias("Disabilitas"), pl.lit("").alias("Jenis Disabilitas")
    )
    known = cells.row(0, named=True)
    make_worker(
        admin,
        known["Kelurahan/Desa"],
        nik=known["NIK"],
        full_name=known["Nama Lengkap"],
        birth_date=pl.Series([known["Tanggal Lahir"]]).str.to_date("%d/%m/%Y")[0],
        sex="M" if known["Jenis Kelamin"] == "L" else "F",
        category_code=known["Pekerjaan"],
        phone=known["No HP"],
        rt=known["RT"],
        rw=known["RW"],
        address=known["Alamat"],
        declared_income=int(known["Penghasilan per Bulan"] or 0) or None,
        has_disability=True,
        disability_kind="sensory",
    )
    analysis = analyse(write_csv(cells, tmp_path / "list.csv"))
    rows = {r["row"]: r for r in analysis.rows.iter_rows(named=True)}
    assert reasons_by_row(analysis) == {}
    assert [(r["outcome"], r["has_disability"], r["disability_kind"]) for r in rows.values()] == [
        ("unchanged", True, "sensory"),
        ("new", True, "unspecified"),
        ("new", True, "unspecified"),
    ]
