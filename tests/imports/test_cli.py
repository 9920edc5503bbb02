"""`jaring import`: the same pipeline from the command line."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from jaring.accounts.models import AuditEvent
from jaring.imports.models import ImportBatch, ImportRow
from jaring.registry.models import Worker

from .conftest import people_cells, write_csv

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
    )


def test_dry_run_writes_nothing(spoiled_file, settings, tmp_path):
    before = counts()
    summary, err = run(str(spoiled_file), "--dry-run", "--json", "--region", "61.72")
    assert counts() == before
    assert not (tmp_path / "media").exists()
    assert set(summary) >= SUMMARY_KEYS
    assert (summary["rows"], summary["new"], summary["rejected"]) == (25, 24, 1)
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
