"""core.jobs: which runs recovery takes for dead, and what it makes of them.

The processes actually killed are in test_jobs_killed.py; here the holders are written by hand.
"""

from __future__ import annotations

import datetime as dt
import socket

import pytest
from django.utils import timezone

from jaring.contributions.models import BillingRun
from jaring.contributions.models import RunStatus as BillingStatus
from jaring.contributions.services import run_billing
from jaring.core import jobs
from jaring.dedupe.models import DedupeRun
from jaring.imports.models import ImportBatch, Status
from tests.factories import make_user

pytestmark = pytest.mark.django_db

HERE = socket.gethostname()


@pytest.fixture
def new_batch(admin):
    def make(status: str, lease_holder: str = "", heartbeat_at=None) -> ImportBatch:
        return ImportBatch.objects.create(
            created_by=admin,
            original_name="list.csv",
            file="imports/list.csv",
            size=1,
            sha256="0" * 64,
            file_format="csv",
            status=status,
            lease_holder=lease_holder,
            heartbeat_at=heartbeat_at,
        )

    return make


def test_a_run_whose_process_is_gone_is_interrupted(new_batch):
    now = timezone.now()
    stale = now - dt.timedelta(minutes=5)
    cases = {
        "this process": (jobs.holder(), None, Status.RUNNING),
        "a dead pid here": (f"{HERE}:999999999:1", now, Status.FAILED),
        "this pid, another start": (f"{jobs.holder().rsplit(':', 1)[0]}:1", now, Status.FAILED),
        "no holder": ("", None, Status.FAILED),
        "another host, fresh": ("elsewhere:12:34", now, Status.COMMITTING),
        "another host, stale": ("elsewhere:12:34", stale, Status.FAILED),
    }
    batches = {
        name: new_batch(
            Status.COMMITTING if name.startswith("another") else Status.RUNNING, holder, beat
        )
        for name, (holder, beat, _) in cases.items()
    }
    assert jobs.recover() == 4
    for name, batch in batches.items():
        batch.refresh_from_db()
        assert batch.status == cases[name][2], name
        if batch.status == Status.FAILED:
            assert [p["code"] for p in batch.problems] == ["interrupted"]
            assert "Run it again" in batch.problems[0]["message_en"]
            assert batch.lease_holder == ""


def test_finished_and_waiting_runs_are_left_alone(new_batch):
    for status in (Status.READY, Status.COMMITTED, Status.FAILED, Status.NEEDS_MAPPING):
        new_batch(status, f"{HERE}:999999999:1")
    new_batch(Status.QUEUED)  # not enqueued yet: no task to have lost
    assert jobs.recover() == 0


def test_a_queued_run_whose_task_was_taken_and_never_started_is_interrupted(admin):
    from django_tasks_db.models import DBTaskResult

    runs = []
    for _ in range(3):
        run = BillingRun.objects.create(month=dt.date(2026, 5, 1), as_of=dt.date(2026, 5, 1))
        run.task_id = str(run_billing.using(backend="default").enqueue(run.pk).id)
        run.save()
        runs.append(run)
    waiting, ended, taken = runs
    DBTaskResult.objects.filter(pk=ended.task_id).update(status="FAILED")
    long_ago = timezone.now() - dt.timedelta(minutes=5)
    DBTaskResult.objects.filter(pk=taken.task_id).update(status="RUNNING", started_at=long_ago)
    assert jobs.recover() == 2
    statuses = {r.pk: r.status for r in BillingRun.objects.all()}
    assert statuses == {
        waiting.pk: BillingStatus.QUEUED,
        ended.pk: BillingStatus.FAILED,
        taken.pk: BillingStatus.FAILED,
    }
    assert BillingRun.objects.get(pk=ended.pk).problems[0]["code"] == "interrupted"


def test_every_run_model_is_leased():
    assert {m.__name__ for m in jobs.leased_models()} == {"ImportBatch", "DedupeRun", "BillingRun"}


def test_a_claim_holds_the_lease_and_the_heartbeat_gives_it_up(new_batch):
    batch = new_batch(Status.QUEUED)
    assert jobs.claim(ImportBatch.objects.filter(pk=batch.pk), status=Status.RUNNING)
    with jobs.heartbeat(ImportBatch, batch.pk):
        batch.refresh_from_db()
        assert (batch.status, batch.lease_holder) == (Status.RUNNING, jobs.holder())
        assert jobs.recover() == 0
    batch.refresh_from_db()
    assert batch.lease_holder == ""


def test_the_dedupe_page_says_the_run_was_interrupted(client, admin):
    DedupeRun.objects.create(threshold=0.8, **DedupeRun.interrupted_fields())
    client.force_login(admin)
    page = client.get("/duplicates/").content.decode()
    assert "It was interrupted before it finished" in page or "terhenti" in page


def test_the_billing_page_offers_to_run_again_and_stops_polling(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    officer = make_user("admin")
    BillingRun.objects.create(
        month=dt.date(2026, 5, 1),
        as_of=dt.date(2026, 5, 1),
        created_by=officer,
        **BillingRun.interrupted_fields(),
    )
    client.force_login(officer)
    page = client.get("/contributions/", headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in page
    assert 'name="month" value="2026-05"' in page
    client.post("/contributions/", {"month": "2026-05", "programme": "", "step": "confirm"})
    latest = BillingRun.objects.filter(created_by=officer).order_by("-pk").first()
    assert latest.status == BillingStatus.DONE
