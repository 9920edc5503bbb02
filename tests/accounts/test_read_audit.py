"""The read audit (UU 27/2022): one event per request that shows whole NIKs; who, when, what
and how many; a reason before a large export; a person's page lists who saw their NIK."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from jaring.accounts.models import ReadEvent, Role
from jaring.accounts.services import create_token
from jaring.registry.selectors import WorkerFilter, search_workers
from tests.api.helpers import problems
from tests.factories import PASIRAN, PONTIANAK_VILLAGE, ROBAN, make_user, make_worker
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(db):
    return make_user(Role.PROGRAMME_OFFICER, "61.72")


@pytest.fixture
def api(client):
    """`api(user).get(path, **params)` with a token of `user`."""

    class Caller:
        def __init__(self, user):
            self.headers = {"Authorization": f"Bearer {create_token(user=user, name='t')[1]}"}

        def get(self, path, **params):
            return client.get(path, params, headers=self.headers)

    return Caller


@pytest.fixture
def workers(admin):
    return [
        make_worker(admin, PASIRAN, full_name="Siti Aminah", sex="F"),
        make_worker(admin, PASIRAN, full_name="Budi Santoso"),
        make_worker(admin, ROBAN, full_name="Ahmad Yani"),
    ]


def the_read() -> ReadEvent:
    [event] = ReadEvent.objects.all()
    return event


def exported(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_an_export_is_one_read_with_its_count_and_filters(officer, workers):
    response = client_for(officer).get("/workers/export.csv?district=61.72.02")
    assert len(exported(response)) == 2
    event = the_read()
    assert (event.actor, event.records, event.named) == (officer, 2, True)
    assert event.what == "GET /workers/export.csv?district=61.72.02"
    assert event.region_code == "61.72.02"
    assert sorted(event.subjects.values_list("nik", flat=True)) == sorted(
        w.nik for w in workers[:2]
    )


def test_a_large_export_asks_for_a_reason_first(officer, workers, settings):
    settings.JARING_EXPORT_REASON_OVER = 2
    settings.JARING_READ_AUDIT_NAMED = 2
    client = client_for(officer)
    asked = client.get("/workers/export.csv?category=")
    assert not asked.streaming
    assert b'name="reason"' in asked.content
    assert b'action="/workers/export.csv?category="' in asked.content
    refused = client.post("/workers/export.csv?category=", {"reason": "  "})
    assert not refused.streaming and refused.context["form"].errors
    assert not ReadEvent.objects.exists()

    response = client.post("/workers/export.csv?category=", {"reason": "Verifikasi lapangan"})
    assert len(exported(response)) == 3
    event = the_read()
    assert (event.records, event.reason, event.named) == (3, "Verifikasi lapangan", False)
    assert event.region_code == "61.72"  # the officer's city: no narrower filter
    assert not event.subjects.exists()


def test_a_viewer_sees_masked_niks_and_leaves_no_read(viewer, workers, settings):
    settings.JARING_EXPORT_REASON_OVER = 1
    response = client_for(viewer).get("/workers/export.csv")
    assert len(exported(response)) == 3
    client_for(viewer).get(f"/workers/{workers[0].pk}/")
    assert not ReadEvent.objects.exists()


def test_the_worker_page_is_a_read_and_lists_who_saw_the_nik(officer, admin, workers):
    siti = workers[0]
    client_for(admin).get(f"/workers/{siti.pk}/")
    event = the_read()
    assert (event.actor, event.records, event.what) == (admin, 1, f"GET /workers/{siti.pk}/")
    assert list(event.subjects.values_list("nik", flat=True)) == [siti.nik]

    page = client_for(officer).get(f"/workers/{siti.pk}/")
    assert [r.actor for r in page.context["reads"]] == [admin]
    # Another worker's page does not list a read of Siti.
    other = client_for(officer).get(f"/workers/{workers[1].pk}/")
    assert list(other.context["reads"]) == []
    assert ReadEvent.objects.count() == 3


def test_a_large_read_of_the_region_shows_on_its_peoples_pages(officer, admin, workers, settings):
    settings.JARING_EXPORT_REASON_OVER = 10
    settings.JARING_READ_AUDIT_NAMED = 1
    exported(client_for(officer).get("/workers/export.csv?district=61.72.02"))
    roban = client_for(admin).get(f"/workers/{workers[2].pk}/").context["reads"]
    pasiran = client_for(admin).get(f"/workers/{workers[0].pk}/").context["reads"]
    assert [(r.actor, r.named) for r in pasiran] == [(officer, False)]
    assert list(roban) == []


def test_the_list_page_and_a_search_by_whole_nik_are_reads(officer, workers):
    client = client_for(officer)
    client.get("/workers/?district=61.72.02")
    client.get(f"/workers/?q={workers[2].nik}")
    lists, search = ReadEvent.objects.order_by("id")
    assert lists.records == 2
    assert (search.records, search.what) == (1, f"GET /workers/?q={workers[2].nik}")


def test_reads_outside_a_request_are_not_recorded(officer, workers):
    from jaring.accounts.masking import display_nik

    assert [display_nik(officer, w.nik) for w in search_workers(officer, WorkerFilter())]
    assert not ReadEvent.objects.exists()


def test_api_list_and_detail_are_reads(api, officer, workers):
    caller = api(officer)
    assert caller.get("/api/workers/").status_code == 200
    assert caller.get(f"/api/workers/{workers[0].pk}").status_code == 200
    listed, detail = ReadEvent.objects.order_by("id")
    assert (listed.actor, listed.records, listed.what) == (officer, 3, "GET /api/workers/")
    assert (detail.records, list(detail.subjects.values_list("nik", flat=True))) == (
        1,
        [workers[0].nik],
    )


def test_a_large_api_page_needs_a_reason(api, officer, workers, settings):
    settings.JARING_EXPORT_REASON_OVER = 2
    caller = api(officer)
    refused = caller.get("/api/workers/")
    assert refused.status_code == 422
    assert problems(refused) == {"reason": "read_reason_required"}
    assert not ReadEvent.objects.exists()
    assert caller.get("/api/workers/", limit=2).status_code == 200
    assert caller.get("/api/workers/", reason="BPJS sync").status_code == 200
    small, large = ReadEvent.objects.order_by("id")
    assert (small.records, small.reason) == (2, "")
    assert (large.records, large.reason) == (3, "BPJS sync")


def test_admin_pages_of_workers_are_reads_and_the_reads_have_a_page(admin, workers):
    client = client_for(admin)
    assert client.get("/admin/registry/worker/").status_code == 200
    assert client.get(f"/admin/registry/worker/{workers[0].pk}/change/").status_code == 200
    listed, changed = ReadEvent.objects.order_by("id")
    assert (listed.records, changed.records) == (3, 1)
    page = client.get("/admin/accounts/readevent/")
    assert page.status_code == 200
    assert b"/admin/registry/worker/" in page.content


def test_a_city_administrator_sees_only_the_reads_of_the_city(admin, workers):
    pontianak = make_user(Role.ADMIN, "61.71")
    make_worker(admin, PONTIANAK_VILLAGE, full_name="Lim Ah Kiong")
    client_for(admin).get(f"/workers/{workers[0].pk}/")  # a national read
    client_for(pontianak).get("/workers/")
    page = client_for(pontianak).get("/admin/accounts/readevent/")
    assert [e.actor for e in page.context["cl"].result_list] == [pontianak]


def cli_reads(*args: str) -> list[dict]:
    out = io.StringIO()
    call_command("audit", "reads", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_cli_lists_reads_as_json(officer, admin, workers):
    client_for(officer).get(f"/workers/{workers[0].pk}/")
    client_for(admin).get("/workers/export.csv")
    rows = cli_reads()
    assert [(r["user"], r["records"]) for r in rows] == [
        (admin.username, 3),
        (officer.username, 1),
    ]
    assert set(rows[0]) >= {"user", "at", "what", "records"}
    assert rows[1]["what"] == f"GET /workers/{workers[0].pk}/"
    assert [r["user"] for r in cli_reads("--user", officer.username)] == [officer.username]
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    assert cli_reads("--since", tomorrow) == []
    assert len(cli_reads("--since", "2020-01-01")) == 2
