"""An import whose check or commit was interrupted: its page stops waiting and offers to check it
again (web, API and CLI), after which it commits. (Processes really killed:
tests/core/test_jobs_killed.py.)"""

from __future__ import annotations

import json
import socket

import pytest
from django.core.management import call_command

from jaring.core import jobs
from jaring.imports.models import ImportBatch, Status
from jaring.registry.models import Worker

from .conftest import people_cells, write_csv
from .test_services import upload
from .test_web_api import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def interrupted(city_officer, tmp_path) -> ImportBatch:
    """A checked batch whose commit's process died (the commit rolled back with it)."""
    batch = upload(city_officer, write_csv(people_cells(8, seed=77), tmp_path / "list.csv"))
    assert batch.status == Status.READY
    dead = f"{socket.gethostname()}:999999999:1"
    ImportBatch.objects.filter(pk=batch.pk).update(status=Status.COMMITTING, lease_holder=dead)
    assert jobs.recover() == 1
    batch.refresh_from_db()
    return batch


def test_the_page_stops_polling_and_offers_to_check_again(client, city_officer, interrupted):
    client.force_login(city_officer)
    url = f"/imports/{interrupted.pk}/"
    # The progress poll's next request reloads the page instead of polling again.
    assert client.get(url, headers={"HX-Request": "true"})["HX-Refresh"] == "true"
    page = client.get(url).content.decode()
    assert "every 1s" not in page
    assert f'action="/imports/{interrupted.pk}/check/"' in page
    assert "terhenti sebelum selesai" in page
    response = client.post(f"/imports/{interrupted.pk}/check/")
    assert response.status_code == 302
    interrupted.refresh_from_db()
    assert (interrupted.status, interrupted.problems) == (Status.READY, [])
    client.post(f"/imports/{interrupted.pk}/commit/", {"step": "confirm"})
    interrupted.refresh_from_db()
    assert interrupted.status == Status.COMMITTED
    assert Worker.objects.count() == 8


def test_the_api_checks_again(client, city_officer, interrupted):
    auth = bearer(city_officer)
    status = client.get(f"/api/imports/{interrupted.pk}", headers=auth).json()
    assert status["status"] == "failed"
    assert status["errors"][0]["code"] == "interrupted"
    response = client.post(f"/api/imports/{interrupted.pk}/check", headers=auth)
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "ready"
    committed = client.post(f"/api/imports/{interrupted.pk}/commit", headers=auth)
    assert committed.json()["status"] == "committed"


def test_a_batch_being_checked_or_committed_is_not_checked_again(client, city_officer, interrupted):
    auth = bearer(city_officer)
    for status in (Status.RUNNING, Status.COMMITTING, Status.COMMITTED, Status.QUEUED):
        ImportBatch.objects.filter(pk=interrupted.pk).update(status=status)
        response = client.post(f"/api/imports/{interrupted.pk}/check", headers=auth)
        assert response.status_code == 409, status


def test_the_cli_checks_again_and_commits(city_officer, interrupted, capsys):
    call_command(
        "import",
        "--again",
        str(interrupted.pk),
        "--user",
        city_officer.username,
        "--commit",
        "--json",
        "--no-progress",
    )
    summary = json.loads(capsys.readouterr().out)
    assert summary["status"] == "committed"
    assert Worker.objects.count() == 8
