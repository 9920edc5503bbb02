"""Runs, the review queue and decisions, on a registry in the database."""

import json

import pytest
from django.core.management import call_command

from jaring.accounts.audit import history
from jaring.accounts.models import Role
from jaring.core.errors import Conflict, NotFound, PermissionDenied
from jaring.dedupe import selectors, services
from jaring.dedupe.models import DedupeModel, PairStatus, ProbableDuplicate
from jaring.registry.models import Worker
from tests.factories import make_user


def _queued() -> set[tuple[int, int]]:
    return set(
        ProbableDuplicate.objects.filter(other_worker__isnull=False).values_list(
            "worker_id", "other_worker_id"
        )
    )


def test_a_run_queues_the_duplicates_with_their_explanation(saved_model, registry):
    _, truth = registry
    run = services.run_dedupe()
    queued = _queued()
    assert run.summary["new_pairs"] == len(queued) > 0
    assert len(queued & truth) / len(queued) >= 0.95
    assert len(queued & truth) / len(truth) >= 0.85
    pair = ProbableDuplicate.objects.first()
    assert {e["comparison"] for e in pair.explanation} == {
        "name",
        "birth_date",
        "place",
        "nik",
        "household",
        "sex",
    }
    assert all(
        e["agreement"] in {"agree", "partial", "disagree", "unknown"} for e in pair.explanation
    )
    assert pair.regency_code == "61.72"  # both in Singkawang
    # The weights are the evidence; with the (negative) log-odds of the prior they make the
    # pair's match weight.
    assert sum(e["weight"] for e in pair.explanation) > pair.match_weight > 0


def test_a_second_run_asks_nothing_twice(saved_model, registry):
    first = services.run_dedupe()
    again = services.run_dedupe()
    assert again.summary["new_pairs"] == 0
    assert again.summary["already_queued"] == first.summary["pairs_found"]


def test_a_pair_decided_distinct_is_not_queued_again(saved_model, registry):
    admin = make_user(Role.ADMIN)
    services.run_dedupe()
    pair = ProbableDuplicate.objects.first()
    services.mark_distinct(actor=admin, pair_id=pair.pk, note="kakak beradik")
    ProbableDuplicate.objects.exclude(pk=pair.pk).delete()
    again = services.run_dedupe()
    assert again.summary["already_decided"] == 1
    assert ProbableDuplicate.objects.count() == again.summary["new_pairs"] + 1
    assert history(pair.worker)[0].action == "marked_distinct"
    with pytest.raises(Conflict):
        services.mark_distinct(actor=admin, pair_id=pair.pk)


def test_merge_keeps_one_worker_and_the_history_of_both(saved_model, registry):
    admin = make_user(Role.ADMIN)
    services.run_dedupe()
    pair = ProbableDuplicate.objects.first()
    keep, gone = pair.worker, pair.other_worker
    Worker.objects.filter(pk=keep.pk).update(phone="")
    kept = services.merge(actor=admin, pair_id=pair.pk, keep=keep.pk, note="sama orangnya")
    gone.refresh_from_db()
    pair.refresh_from_db()
    assert gone.merged_into_id == kept.pk and kept.merged_into_id is None
    assert kept.phone == gone.phone  # a blank filled from the merged record
    assert pair.status == PairStatus.MERGED and pair.kept_id == kept.pk
    assert history(kept)[0].action == "merge"
    assert history(kept)[0].after["merged_from"]["worker"] == gone.pk
    assert [e.action for e in history(gone)][:2] == ["merged_into", "create"]
    # The merged record is out of later runs, and its other open pairs are closed.
    assert not ProbableDuplicate.objects.filter(
        status=PairStatus.PENDING, other_worker=gone
    ).exists()
    services.run_dedupe()
    assert (
        not ProbableDuplicate.objects.filter(worker=gone, run__isnull=False)
        .exclude(pk=pair.pk)
        .filter(status=PairStatus.PENDING)
        .exists()
    )


def test_officers_see_and_decide_only_pairs_within_their_region(saved_model, registry):
    services.run_dedupe()
    pair = ProbableDuplicate.objects.filter(village_id__gt="").first()
    assert pair is not None
    same_village = make_user(Role.PROGRAMME_OFFICER, pair.village_id)
    other_city = make_user(Role.PROGRAMME_OFFICER, "61.71")
    viewer = make_user(Role.VIEWER, "61.72")
    assert selectors.get_pair(same_village, pair.pk) == pair
    with pytest.raises(NotFound):
        selectors.get_pair(other_city, pair.pk)
    # A pair spanning two villages is not the business of one village's officer.
    wide = ProbableDuplicate.objects.filter(village_id="").first()
    assert wide is not None
    with pytest.raises(NotFound):
        selectors.get_pair(same_village, wide.pk)
    with pytest.raises(PermissionDenied):
        services.merge(actor=viewer, pair_id=pair.pk)
    with pytest.raises(NotFound):
        services.mark_distinct(actor=other_city, pair_id=pair.pk)


def test_the_command_prints_a_json_summary(saved_model, registry, capsys):
    call_command("dedupe", "--json", "--threshold", "0.95")
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "done" and out["threshold"] == 0.95
    assert out["pairs_found"] == out["new_pairs"] > 0
    assert out["model"]["id"] == saved_model.pk and out["records"] > 1500
    assert set(out["timings"]) >= {"read", "predict", "queue", "total"}


def test_without_a_model_the_run_trains_one_on_the_registry(registry):
    run = services.run_dedupe(retrain=True)
    assert run.summary["model"]["retrained"] and DedupeModel.objects.count() == 1
    assert run.summary["new_pairs"] > 0


def test_a_registry_too_small_to_train_on_is_checked_with_the_default_model(db):
    run = services.run_dedupe()
    assert run.summary["model"]["kind"] == "default" and run.summary["pairs_found"] == 0
    with pytest.raises(Conflict, match="at least 1000"):
        services.train_model()


def test_an_import_batch_is_checked_against_the_registry(saved_model, registry):
    from jaring.imports.models import ImportBatch, ImportRow, Outcome, Status

    workers, _ = registry
    admin = make_user(Role.ADMIN)
    original = workers[0]
    batch = ImportBatch.objects.create(
        created_by=admin,
        original_name="rt05.csv",
        size=1,
        sha256="x",
        file_format="csv",
        status=Status.READY,
        counts={"new": 2},
    )
    common = {"batch": batch, "outcome": Outcome.NEW, "sex": original.sex}
    typo = original.nik[:15] + ("1" if original.nik[15] != "1" else "2")
    same = ImportRow.objects.create(
        row_number=2,
        nik=typo if not Worker.objects.filter(nik=typo).exists() else "",
        full_name=original.full_name.upper(),
        birth_date=original.birth_date,
        village_code=original.village_id,
        **common,
    )
    ImportRow.objects.create(
        row_number=3,
        nik="6172020101990001",
        full_name="Orang Baru Sekali",
        birth_date=original.birth_date.replace(year=1999, day=1),
        village_code="61.72.04.1001",
        **common,
    )
    assert services.find_probable_duplicates_for_batch(batch_id=batch.pk) == 1
    pair = ProbableDuplicate.objects.get(batch_id=batch.pk)
    assert (pair.import_row_id, pair.worker_id) == (same.pk, original.pk)
    services.merge(actor=admin, pair_id=pair.pk)
    same.refresh_from_db()
    # The row is that worker now: already registered, not added when the import is committed.
    assert (same.outcome, same.worker_id) == (Outcome.UNCHANGED, original.pk)
    # Checking again does not ask about what was decided.
    assert services.find_probable_duplicates_for_batch(batch_id=batch.pk) == 0
