"""`jaring import`: the same pipeline from the command line."""

from __future__ import annotations

import io
import json

import polars as pl
import pytest
from django.core.management import CommandError, call_command

from jaring.accounts.models import AuditEvent
from jaring.dedupe.models import DedupeModel, ProbableDuplicate
from jaring.demo.synthetic import generate_people, people_frame
from jaring.imports.models import ImportBatch, ImportRow, Status
from jaring.regions.models import Region
from jaring.registry.bulk import insert_workers
from jaring.registry.models import Worker
from tests.dedupe.conftest import registry  # noqa: F401  (1,500 workers: a model trains)

from .conftest import TODAY, people_cells, write_csv

pytestmark = pytest.mark.django_db

SUMMARY_KEYS = {
    "rows",
    "new",
    "updated",
    "unchanged",
    "rejected",
    "duplicate_in_file",
    "duplicate_in_registry",
    "probable_duplicates",
    "rejections",
}


def run(*args) -> tuple[dict, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return json.loads(out.getvalue()), err.getvalue()


@pytest.fixture
def spoiled_file(tmp_path):
    cells = people_cells(25, seed=31)
    nik = cells["NIK"].to_list()
    nik[3] = nik[3][:15]  # a digit lost
    cells = cells.with_columns(cells["NIK"].scatter(3, nik[3]))
    return write_csv(cells, tmp_path / "list.csv")


def counts():
    return (
        ImportBatch.objects.count(),
        ImportRow.objects.count(),
        Worker.objects.count(),
        AuditEvent.objects.count(),
        ProbableDuplicate.objects.count(),
        DedupeModel.objects.count(),
    )


def test_dry_run_writes_nothing(spoiled_file, settings, tmp_path):
    before = counts()
    summary, err = run(str(spoiled_file), "--dry-run", "--json", "--region", "61.72")
    assert counts() == before
    assert not (tmp_path / "media").exists()
    assert set(summary) >= SUMMARY_KEYS
    assert (summary["rows"], summary["new"], summary["rejected"]) == (25, 24, 1)
    # An empty registry has nothing to be a duplicate of: checked, none found.
    assert summary["probable_duplicates"] == 0
    assert summary["rejections"] == [
        {
            "row": 5,
            "nik": summary["rejections"][0]["nik"],
            "outcome": "rejected",
            "reasons": [
                {
                    "code": "nik_length",
                    "field": "nik",
                    "message_id": "NIK harus 16 digit, yang diisi 15 digit.",
                    "message_en": "NIK must have 16 digits, this one has 15.",
                }
            ],
        }
    ]
    assert "checking" in err  # the progress bar goes to stderr


def test_check_then_commit(spoiled_file, city_officer):
    summary, _ = run(str(spoiled_file), "--json", "--user", city_officer.username)
    assert summary["status"] == "ready" and Worker.objects.count() == 0
    summary, _ = run(str(spoiled_file), "--json", "--commit", "--user", city_officer.username)
    assert summary["status"] == "committed"
    assert Worker.objects.count() == 24
    again, _ = run(str(spoiled_file), "--json", "--commit", "--user", city_officer.username)
    assert (again["new"], again["unchanged"], again["same_file_as"]) == (0, 24, summary["batch"])
    assert Worker.objects.count() == 24


def test_bad_file_is_refused_with_a_message(tmp_path, city_officer):
    (tmp_path / "empty.csv").write_bytes(b"")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import",
            str(tmp_path / "empty.csv"),
            "--json",
            "--user",
            city_officer.username,
            stdout=out,
            stderr=io.StringIO(),
        )
    assert json.loads(out.getvalue())["errors"][0]["code"] == "file_empty"


def test_region_outside_the_user_is_refused(spoiled_file, city_officer):
    with pytest.raises(CommandError):
        call_command(
            "import",
            str(spoiled_file),
            "--region",
            "61.71",
            "--user",
            city_officer.username,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert ImportBatch.objects.count() == 0


def mistyped(nik: str) -> str:
    """The NIK with its last digit mistyped."""
    return nik[:15] + ("1" if nik[15] != "1" else "2")


@pytest.mark.usefixtures("registry")
def test_dry_run_reports_a_probable_duplicate_and_writes_nothing(city_officer, tmp_path):
    original = next(
        w for w in Worker.objects.order_by("pk") if not Worker.objects.filter(nik=mistyped(w.nik))
    )
    cells = people_cells(4, seed=406)
    copy = {c: cells[c][0] for c in cells.columns} | {
        "NIK": mistyped(original.nik),
        "Nama Lengkap": original.full_name,
        "Tanggal Lahir": original.birth_date.strftime("%d/%m/%Y"),
        "Jenis Kelamin": "L" if original.sex == "M" else "P",
        "Kelurahan/Desa": original.village_id,
        "Kecamatan": Region.objects.get(code=original.village_id[:8]).name,
    }
    path = write_csv(pl.concat([cells, pl.DataFrame([copy])]), tmp_path / "rt09.csv")
    assert DedupeModel.objects.count() == 0  # the dry run trains one, and keeps none
    before = counts()
    summary, _ = run(str(path), "--dry-run", "--json", "--no-progress", "--region", "61.72")
    assert (summary["rows"], summary["new"]) == (5, 5)
    assert summary["probable_duplicates"] >= 1
    assert counts() == before
    assert not (tmp_path / "media").exists()
    # The check proper finds the same, and the pair is the mistyped row and the worker.
    checked, _ = run(str(path), "--json", "--no-progress", "--user", city_officer.username)
    assert checked["probable_duplicates"] == summary["probable_duplicates"]
    assert ProbableDuplicate.objects.filter(worker=original, import_row__row_number=6).exists()


def test_without_a_model_to_train_the_default_model_counts_as_in_a_real_check(
    city_officer, tmp_path
):
    """1,000 workers, no two sharing a birth date or a phone: no training block has a pair, so
    the shipped default model scores the file, and the dry run counts what the check stores."""
    people = people_frame(generate_people(1300, seed=8, today=TODAY))
    people = people.unique("birth_date", keep="none", maintain_order=True).head(1000)
    insert_workers(people.with_columns(phone=pl.lit("")), source="test")
    path = write_csv(people_cells(10, seed=409), tmp_path / "rt10.csv")
    before = counts()
    dry, _ = run(str(path), "--dry-run", "--json", "--no-progress", "--region", "61.72")
    assert counts() == before
    checked, _ = run(str(path), "--json", "--no-progress", "--user", city_officer.username)
    assert (dry["new"], checked["new"]) == (10, 10)
    stored = ProbableDuplicate.objects.filter(batch_id=ImportBatch.objects.get().pk).count()
    assert dry["probable_duplicates"] == checked["probable_duplicates"] == stored
    assert ImportBatch.objects.get().counts["probable_duplicates"] == stored


# --- the column mapping ------------------------------------------------------------------------


@pytest.fixture
def own_headers(tmp_path):
    """A list whose NIK and village columns carry headers the import does not know."""
    cells = people_cells(12, seed=33).rename(
        {"NIK": "Nomor Identitas", "Kelurahan/Desa": "Wilayah Tinggal"}
    )
    return write_csv(cells, tmp_path / "sendiri.csv")


MAPPED = ("--map", "nik=Nomor Identitas", "--map", "village=Wilayah Tinggal")


def refusal(*args) -> tuple[str, str]:
    """The CommandError's message and what went to stdout."""
    out = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import", *args, "--no-progress", stdout=out, stderr=io.StringIO())
    return str(refused.value), out.getvalue()


@pytest.mark.parametrize("mode", ["--dry-run", "--commit"])
def test_unknown_headers_name_the_missing_fields_and_the_map_option(
    own_headers, city_officer, mode
):
    message, out = refusal(str(own_headers), mode, "--json", "--user", city_officer.username)
    assert "nik: " in message and "village: " in message
    assert "--map FIELD=HEADER" in message
    assert "Nomor Identitas" in message.splitlines()[-2 if mode == "--commit" else -1]
    unmapped = json.loads(out)
    assert unmapped["status"] == "needs_mapping"
    assert {e["field"] for e in unmapped["errors"]} == {"nik", "village"}
    assert {e["code"] for e in unmapped["errors"]} == {"columns_missing"}
    assert "Wilayah Tinggal" in unmapped["headers"]
    assert Worker.objects.count() == 0
    if mode == "--commit":  # kept, waiting for its columns, as after an upload on the web
        assert ImportBatch.objects.get(pk=unmapped["batch"]).status == Status.NEEDS_MAPPING
    else:
        assert unmapped["batch"] is None and ImportBatch.objects.count() == 0


def test_map_in_a_dry_run(own_headers):
    before = counts()
    summary, _ = run(str(own_headers), "--dry-run", "--json", "--no-progress", *MAPPED)
    assert counts() == before
    assert (summary["rows"], summary["new"]) == (12, 12)
    assert summary["mapping"]["nik"] == "Nomor Identitas"
    assert summary["mapping"]["village"] == "Wilayah Tinggal"


def test_map_then_commit(own_headers, city_officer):
    summary, _ = run(
        str(own_headers),
        "--commit",
        "--json",
        "--no-progress",
        "--user",
        city_officer.username,
        *MAPPED,
    )
    assert summary["status"] == "committed" and summary["new"] == 12
    batch = ImportBatch.objects.get(pk=summary["batch"])
    assert (batch.mapping["nik"], batch.mapping["village"]) == (
        "Nomor Identitas",
        "Wilayah Tinggal",
    )
    assert Worker.objects.count() == 12


def test_map_corrects_a_guessed_column_and_can_leave_one_out(spoiled_file, city_officer):
    dry, _ = run(str(spoiled_file), "--dry-run", "--json", "--no-progress", "--map", "phone=")
    assert "phone" not in dry["mapping"] and dry["mapping"]["nik"] == "NIK"
    # A header given to another field leaves the field it was guessed for: that one is missing.
    message, _ = refusal(str(spoiled_file), "--dry-run", "--map", "address=Kelurahan/Desa")
    assert message.splitlines()[0].startswith("village: ")
    checked, _ = run(
        str(spoiled_file),
        "--commit",
        "--json",
        "--no-progress",
        "--user",
        city_officer.username,
        "--map",
        "phone=",
    )
    assert checked["status"] == "committed" and "phone" not in checked["mapping"]
    assert not Worker.objects.exclude(phone="").exists()


@pytest.mark.parametrize("mode", ["--dry-run", "--commit"])
@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (["kota=Wilayah Tinggal"], "--map kota=Wilayah Tinggal: Isian 'kota' tidak dikenal"),
        (["village=Kampung"], "--map village=Kampung: Kolom 'Kampung' tidak ada di berkas"),
        (
            ["village=Wilayah Tinggal", "phone=Wilayah Tinggal"],
            "--map phone=Wilayah Tinggal: Kolom 'Wilayah Tinggal' dipilih untuk lebih dari satu "
            "isian: village, phone",
        ),
    ],
)
def test_a_bad_map_is_refused_naming_the_option(own_headers, city_officer, mode, given, expected):
    maps = [a for g in ["nik=Nomor Identitas", *given] for a in ("--map", g)]
    message, _ = refusal(str(own_headers), mode, "--user", city_officer.username, *maps)
    assert expected in message
    assert Worker.objects.count() == 0


@pytest.mark.parametrize(
    ("maps", "expected"),
    [
        (["village"], "argument --map: 'village' is not FIELD=HEADER"),
        (["village=Desa", "village=Kelurahan"], "--map village: given twice"),
    ],
)
def test_a_map_that_is_not_field_equals_header_once_is_refused(spoiled_file, maps, expected):
    message, _ = refusal(str(spoiled_file), "--dry-run", *[a for m in maps for a in ("--map", m)])
    assert expected in message
