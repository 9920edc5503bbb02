"""An uploaded list checked for probable duplicates: against the registry and within itself,
shown in the preview and the summary, carried into the queue when the list is committed."""

import polars as pl
import pytest
from django.core.files import File
from django.urls import reverse

from jaring.accounts.models import Role
from jaring.core.errors import Conflict
from jaring.dedupe import services
from jaring.dedupe.models import PairStatus, ProbableDuplicate
from jaring.imports import report
from jaring.imports import services as imports
from jaring.imports.models import ImportRow, Outcome, Status
from jaring.regions.models import Region
from jaring.registry.models import Worker
from tests.factories import make_user
from tests.imports.conftest import people_cells, write_csv


@pytest.fixture(autouse=True)
def _media_and_tasks(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def officer(db):
    return make_user(Role.PROGRAMME_OFFICER, "61.72")


def mistyped(nik: str) -> str:
    """The NIK with its last digit mistyped (the serial stays valid)."""
    return nik[:15] + ("1" if nik[15] != "1" else "2")


def upload(officer, cells: pl.DataFrame, path):
    with write_csv(cells, path).open("rb") as f:
        batch = imports.create_batch(actor=officer, upload=File(f), name=path.name)
    imports.enqueue(batch)
    batch.refresh_from_db()
    assert batch.status == Status.READY, batch.problems
    return batch


@pytest.fixture
def typed_twice(officer, saved_model, registry, tmp_path):
    """A list of six new people, the first of them typed again at the end with one NIK digit
    wrong: both rows are new, and they are one person."""
    cells = people_cells(6, seed=404)
    again = cells.head(1).with_columns(pl.col("NIK").map_elements(mistyped, pl.String))
    return upload(officer, pl.concat([cells, again]), tmp_path / "rt07.csv")


def notes(batch, row_number: int) -> list[dict]:
    row = ImportRow.objects.get(batch=batch, row_number=row_number)
    return [r for r in row.reasons or [] if r["code"] == "probable_duplicate"]


def test_the_same_person_twice_in_one_file_is_a_probable_pair(typed_twice):
    batch = typed_twice
    assert batch.counts["new"] == 7
    pair = ProbableDuplicate.objects.get(batch_id=batch.pk, other_import_row__isnull=False)
    rows = {pair.import_row.row_number, pair.other_import_row.row_number}
    assert rows == {2, 8} and pair.worker_id is None and pair.status == PairStatus.PENDING
    assert pair.match_probability > 0.9
    assert {e["comparison"]: e["agreement"] for e in pair.explanation}["nik"] == "partial"
    # The preview shows the pair on both rows; the summary counts both and lists the pair.
    assert "baris 8" in notes(batch, 2)[0]["message_id"]
    assert "row 2" in notes(batch, 8)[0]["message_en"]
    assert not notes(batch, 3)
    # The count is of the pairs put in the queue.
    assert (
        batch.counts["probable_duplicates"]
        == ProbableDuplicate.objects.filter(batch_id=batch.pk).count()
    )
    summary = report.of_batch(batch)
    assert {"pair": pair.pk, "rows": sorted(rows), "worker": None} == {
        k: (sorted(v) if k == "rows" else v)
        for k, v in summary["probable_pairs"][0].items()
        if k in ("pair", "rows", "worker")
    }


def test_after_the_commit_the_pair_is_two_workers_in_the_queue(typed_twice, officer):
    batch = typed_twice
    pair = ProbableDuplicate.objects.get(batch_id=batch.pk, other_import_row__isnull=False)
    niks = {pair.import_row.nik, pair.other_import_row.nik}
    with pytest.raises(Conflict, match="commit the import first"):
        services.merge(actor=officer, pair_id=pair.pk)
    imports.commit_batch(actor=officer, batch=batch)
    pair.refresh_from_db()
    assert pair.import_row_id is None and pair.other_import_row_id is None
    assert pair.status == PairStatus.PENDING and pair.batch_id == batch.pk
    assert {pair.worker.nik, pair.other_worker.nik} == niks
    assert pair.worker_id < pair.other_worker_id
    kept = services.merge(actor=officer, pair_id=pair.pk)
    assert Worker.objects.get(nik__in=niks - {kept.nik}).merged_into_id == kept.pk


def test_rows_decided_distinct_are_not_asked_again(typed_twice, officer):
    batch = typed_twice
    pair = ProbableDuplicate.objects.get(batch_id=batch.pk, other_import_row__isnull=False)
    services.mark_distinct(actor=officer, pair_id=pair.pk, note="kembar")
    assert not notes(batch, 2) and not notes(batch, 8)
    services.find_probable_duplicates_for_batch(batch_id=batch.pk)
    assert not ProbableDuplicate.objects.filter(
        batch_id=batch.pk, other_import_row__isnull=False, status=PairStatus.PENDING
    ).exists()
    imports.commit_batch(actor=officer, batch=batch)
    pair.refresh_from_db()
    assert pair.status == PairStatus.DISTINCT and pair.import_row_id is not None


def test_a_row_merged_into_a_registered_worker_is_not_added(
    officer, registry, saved_model, tmp_path
):
    workers, _ = registry
    original = workers[0]
    cells = people_cells(3, seed=405)
    copy = {c: cells[c][0] for c in cells.columns} | {
        "NIK": mistyped(original.nik),
        "Nama Lengkap": original.full_name.upper(),
        "Tanggal Lahir": original.birth_date.strftime("%d/%m/%Y"),
        "Jenis Kelamin": "L" if original.sex == "M" else "P",
        "Kelurahan/Desa": original.village_id,
        "Kecamatan": Region.objects.get(code=original.village_id[:8]).name,
        "No HP": original.phone,
    }
    if Worker.objects.filter(nik=copy["NIK"]).exists():
        pytest.skip("the mistyped NIK belongs to another registered worker")
    batch = upload(officer, pl.concat([cells, pl.DataFrame([copy])]), tmp_path / "rt08.csv")
    pair = ProbableDuplicate.objects.get(batch_id=batch.pk, worker=original)
    assert f"#{original.pk}" in notes(batch, pair.import_row.row_number)[0]["message_en"]
    services.merge(actor=officer, pair_id=pair.pk, note="salah ketik NIK")
    row = ImportRow.objects.get(pk=pair.import_row_id)
    batch.refresh_from_db()
    assert (row.outcome, row.worker_id) == (Outcome.UNCHANGED, original.pk)
    assert row.reasons[0]["code"] == "merged_into_worker"
    assert (batch.counts["new"], batch.counts["unchanged"]) == (3, 1)
    imports.commit_batch(actor=officer, batch=batch)
    assert not Worker.objects.filter(nik=copy["NIK"]).exists()
    assert Worker.objects.filter(source__startswith=f"impor #{batch.pk}").count() == 3


def test_the_pair_page_shows_both_rows_and_no_merge_before_the_commit(typed_twice, officer, client):
    pair = ProbableDuplicate.objects.get(batch_id=typed_twice.pk, other_import_row__isnull=False)
    client.force_login(officer)
    page = client.get(reverse("dedupe:pair", args=[pair.pk])).content.decode()
    assert page.count(f"#{typed_twice.pk}, ") == 2  # two import rows side by side
    assert "Commit the import; this pair then waits here" in page or "Simpan impor itu" in page
    assert reverse("dedupe:merge", args=[pair.pk]) not in page
    assert reverse("dedupe:distinct", args=[pair.pk]) in page
