"""The review step's value mapping on the web, the API and the CLI, and the remembered values."""

from __future__ import annotations

import io
import json

import polars as pl
import pytest
from django.core.management import CommandError, call_command

from jaring.accounts.models import AuditEvent, Role
from jaring.imports.lookups import shipped
from jaring.imports.models import ImportBatch, ValueSynonym
from tests.factories import make_user

from .conftest import people_cells, write_csv
from .test_web_api import bearer, post_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def odd_list(tmp_path):
    """Eight rows: three say "Penyadap Sawit", two "Astronot", three a known occupation."""
    cells = people_cells(8, seed=17)
    jobs = ["Penyadap Sawit", "PENYADAP SAWIT", "penyadap sawit", "Astronot", "Astronot"]
    cells = cells.with_columns(pl.Series("Pekerjaan", [*jobs, "Nelayan", "Petani", "Ojek"]))
    return write_csv(cells, tmp_path / "kelurahan.csv")


def test_web_review_step_maps_a_value_for_every_row_and_remembers_it(
    client, city_officer, odd_list
):
    client.force_login(city_officer)
    response = post_file(client, "/imports/", odd_list.read_bytes())
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    page = client.get(f"/imports/{batch.pk}/").content.decode()
    assert "Penyadap Sawit" in page and "Astronot" in page
    entries = {u["value"]: i for i, u in enumerate(batch.unrecognised)}
    response = client.post(
        f"/imports/{batch.pk}/values/",
        {f"v{entries['Penyadap Sawit']}": "palm_oil_worker", "remember": "on"},
    )
    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.status, batch.counts["new"], batch.counts["rejected"]) == ("ready", 6, 2)
    assert [u["value"] for u in batch.unrecognised] == ["Astronot"]
    synonym = ValueSynonym.objects.get()
    assert (synonym.region_code, synonym.field, synonym.value_key, synonym.code) == (
        "61.72",
        "category",
        "penyadapsawit",
        "palm_oil_worker",
    )
    event = AuditEvent.objects.get(target_type="imports.valuesynonym")
    assert (event.action, event.after["code"]) == ("create", "palm_oil_worker")
    # Rejecting the other value: its rows stay refused, and it is shown as decided.
    client.post(f"/imports/{batch.pk}/values/", {"v0": "__reject__"})
    batch.refresh_from_db()
    assert batch.unrecognised[0]["decision"] is None
    assert ValueSynonym.objects.count() == 1
    # The city's next list is read with what was remembered.
    post_file(client, "/imports/", odd_list.read_bytes(), name="again.csv")
    again = ImportBatch.objects.latest("pk")
    assert (again.counts["new"], [u["value"] for u in again.unrecognised]) == (6, ["Astronot"])
    assert "Penyadap" in client.get("/imports/synonyms/").content.decode()


def test_an_enumerators_answers_hold_for_the_import_only(client, odd_list):
    enumerator = make_user(Role.ENUMERATOR, "61.72")
    client.force_login(enumerator)
    post_file(client, "/imports/", odd_list.read_bytes())
    batch = ImportBatch.objects.get()
    client.post(f"/imports/{batch.pk}/values/", {"v0": "palm_oil_worker", "remember": "on"})
    batch.refresh_from_db()
    assert batch.counts["new"] == 6
    assert ValueSynonym.objects.count() == 0


def test_api_refuses_unknown_codes_and_a_value_mapped_twice_writing_nothing(
    client, city_officer, odd_list
):
    auth = bearer(city_officer)
    batch_id = post_file(client, "/api/imports/", odd_list.read_bytes(), headers=auth).json()["id"]
    before = ImportBatch.objects.get(pk=batch_id)
    bad = {
        "mappings": [
            {"field": "category", "value": "Astronot", "code": "astronaut"},
            {"field": "category", "value": "Penyadap Sawit", "code": "farmer"},
            {"field": "category", "value": "penyadap  sawit", "code": "palm_oil_worker"},
        ]
    }
    response = client.post(
        f"/api/imports/{batch_id}/values", bad, content_type="application/json", headers=auth
    )
    assert response.status_code == 422
    assert [(e["code"], e["field"]) for e in response.json()["errors"]] == [
        ("value_code_unknown", "category"),
        ("value_mapped_twice", "category"),
    ]
    after = ImportBatch.objects.get(pk=batch_id)
    assert (after.value_map, after.status, after.counts) == ({}, "ready", before.counts)
    assert ValueSynonym.objects.count() == 0 and not AuditEvent.objects.filter(
        target_type="imports.valuesynonym"
    )
    good = {
        "mappings": [
            {"field": "category", "value": "Penyadap Sawit", "code": "palm_oil_worker"},
            {"field": "category", "value": "Astronot", "code": None},
        ],
        "remember": False,
    }
    response = client.post(
        f"/api/imports/{batch_id}/values", good, content_type="application/json", headers=auth
    )
    assert response.status_code == 202, response.content
    body = client.get(f"/api/imports/{batch_id}", headers=auth).json()
    assert body["counts"]["new"] == 6
    assert body["unrecognised"][0] | {"suggestions": []} == {
        "field": "category",
        "value": "Astronot",
        "key": "astronot",
        "rows": 2,
        "suggestions": [],
        "decided": True,
        "decision": None,
    }
    assert ValueSynonym.objects.count() == 0


def test_api_synonyms_listed_added_changed_forgotten_within_the_city(client, city_officer):
    auth = bearer(city_officer)
    added = client.post(
        "/api/imports/synonyms",
        {"field": "category", "value": "Buruh Kebun", "code": "farmer"},
        content_type="application/json",
        headers=auth,
    )
    assert added.status_code == 201, added.content
    synonym = added.json()
    assert (synonym["region_code"], synonym["code"]) == ("61.72", "farmer")
    twice = client.post(
        "/api/imports/synonyms",
        {"field": "category", "value": "BURUH KEBUN", "code": "palm_oil_worker"},
        content_type="application/json",
        headers=auth,
    )
    assert (twice.status_code, twice.json()["errors"][0]["code"]) == (409, "synonym_exists")
    changed = client.patch(
        f"/api/imports/synonyms/{synonym['id']}",
        {"code": "palm_oil_worker"},
        content_type="application/json",
        headers=auth,
    )
    assert changed.json()["code"] == "palm_oil_worker"
    bad = client.patch(
        f"/api/imports/synonyms/{synonym['id']}",
        {"code": "astronaut"},
        content_type="application/json",
        headers=auth,
    )
    assert bad.status_code == 422
    stranger = bearer(make_user(Role.PROGRAMME_OFFICER, "61.71"))
    assert client.get("/api/imports/synonyms", headers=stranger).json() == []
    path = f"/api/imports/synonyms/{synonym['id']}"
    assert client.delete(path, headers=stranger).status_code == 404
    viewer = bearer(make_user(Role.ENUMERATOR, "61.72"))
    assert client.delete(path, headers=viewer).status_code == 403
    assert client.delete(path, headers=auth).json()["code"] == "palm_oil_worker"
    actions = list(
        AuditEvent.objects.filter(target_type="imports.valuesynonym")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "delete"]


def run(*args) -> dict:
    out = io.StringIO()
    call_command("import", *args, "--no-progress", "--json", stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def test_cli_dry_run_every_shipped_wording_and_ya_without_kind_are_accepted(tmp_path):
    """Issue 13's Show: "Buruh Sawit", "Ya" without a kind and every shipped wording."""
    words = [w for w in _shipped_words("category")]
    cells = people_cells(len(words), seed=23)
    cells = cells.with_columns(
        pl.Series("Pekerjaan", words),
        pl.lit("Ya").alias("Disabilitas"),
        pl.lit("").alias("Jenis Disabilitas"),
    )
    summary = run(str(write_csv(cells, tmp_path / "words.csv")), "--dry-run", "--region", "61.72")
    assert summary["rejected"] == 0, summary["rejections"][:3]
    assert summary["new"] == len(words)
    assert summary["unrecognised"] == []


def _shipped_words(field: str) -> list[str]:
    import tomllib

    from jaring.imports.lookups import SHIPPED

    data = tomllib.loads(SHIPPED.read_text(encoding="utf-8"))[field]
    assert len(shipped()[field]) > 100
    return [w for words in data.values() for w in words]


def test_cli_map_value_changes_the_outcome_as_the_page_does(tmp_path, odd_list, city_officer):
    plain = run(str(odd_list), "--dry-run", "--region", "61.72")
    assert (plain["new"], plain["rejected"]) == (3, 5)
    mapped = run(
        str(odd_list),
        "--dry-run",
        "--region",
        "61.72",
        "--map-value",
        'category:"Penyadap Sawit"=palm_oil_worker',
        "--map-value",
        "category:Astronot=",
    )
    assert (mapped["new"], mapped["rejected"]) == (6, 2)
    assert mapped["unrecognised"][0]["decision"] is None
    assert ValueSynonym.objects.count() == 0  # a dry run remembers nothing
    with pytest.raises(CommandError):
        run(str(odd_list), "--dry-run", "--map-value", "category:Astronot=astronaut")
    committed = run(
        str(odd_list),
        "--user",
        city_officer.username,
        "--commit",
        "--map-value",
        "category:Penyadap Sawit=palm_oil_worker",
    )
    assert (committed["status"], committed["new"]) == ("committed", 6)
    assert ValueSynonym.objects.get().code == "palm_oil_worker"


def test_template_has_text_columns_and_drop_down_lists_with_the_citys_villages(tmp_path):
    import openpyxl

    from jaring.imports import exports, pipeline

    from .conftest import TODAY

    book = openpyxl.load_workbook(io.BytesIO(exports.template_xlsx("61.72")))
    data, lists = book["Data"], book["Daftar"]
    assert lists.sheet_state == "hidden"
    headers = {c.value: c.column_letter for c in data[1]}
    for header in ("NIK", "No HP", "RT", "RW"):
        assert data[f"{headers[header]}3"].number_format == "@", header
    ranges = {str(v.sqref): v.formula1 for v in data.data_validations.dataValidation}
    for header in ("Pekerjaan", "Jenis Kelamin", "Disabilitas", "Jenis Disabilitas"):
        assert f"{headers[header]}2:{headers[header]}2000" in ranges, header
    village_range = ranges[f"{headers['Kelurahan/Desa']}2:{headers['Kelurahan/Desa']}2000"]
    column = village_range.split("!$")[1][0]
    villages = [c.value for c in lists[column][1:] if c.value]
    assert len(villages) >= 20 and "Pasiran" in villages
    # Every word a drop-down offers is read back by the import.
    words = {
        h: [c.value for c in lists[letter][1:] if c.value]
        for h, letter in ((lists[f"{col}1"].value, col) for col in "ABCDE")
    }
    cells = people_cells(len(words["Pekerjaan"]), seed=2)
    n = cells.height
    cells = cells.with_columns(
        pl.Series("Pekerjaan", words["Pekerjaan"]),
        pl.Series("Disabilitas", (words["Disabilitas"] * n)[:n]),
        pl.Series("Jenis Disabilitas", (words["Jenis Disabilitas"] * n)[:n]),
        pl.Series("Kelurahan/Desa", (villages * n)[:n]),
        pl.lit("").alias("Kecamatan"),
    )
    analysis = pipeline.analyse(
        write_csv(cells, tmp_path / "t.csv"), region_code="61.72", today=TODAY
    )
    assert analysis.unrecognised == []
    # The whole country has no village list; the API's template names a region.
    country = openpyxl.load_workbook(io.BytesIO(exports.template_xlsx("")))
    assert [c.value for c in country["Daftar"]["E"][1:] if c.value] == []


def test_review_page_shows_only_problem_rows_and_villages_by_name(client, city_officer, odd_list):
    client.force_login(city_officer)
    post_file(client, "/imports/", odd_list.read_bytes())
    batch = ImportBatch.objects.get()
    everything = client.get(f"/imports/{batch.pk}/").content.decode()
    assert "Hanya 5 baris yang tidak diimpor" in everything or "5 rows not imported" in everything
    only = client.get(f"/imports/{batch.pk}/", {"problems": "1"}).content.decode()
    shown = {r.full_name: r.full_name in only for r in batch.rows.all()}
    assert shown == {r.full_name: r.outcome == "rejected" for r in batch.rows.all()}
    village = batch.rows.exclude(village_code="").first().village_code
    from jaring.regions.models import Region

    name = Region.objects.get(code=village).name
    assert name in everything
