"""The review queue through the API and the web pages."""

import pytest
from django.urls import reverse

from jaring.accounts.audit import history
from jaring.accounts.models import Role
from jaring.dedupe.models import DedupeRun, PairStatus, ProbableDuplicate
from tests.factories import make_user

API = "/api/duplicates/"


@pytest.fixture
def officer(db):
    return make_user(Role.PROGRAMME_OFFICER, "61.72")


def test_the_queue_lists_pairs_with_records_and_evidence(api, officer, queued):
    body = api(officer).get(API, page_size=5).json()
    assert body["count"] == ProbableDuplicate.objects.filter(status="pending").count() > 5
    first = body["results"][0]
    assert len(first["records"]) == 2 and first["records"][0]["kind"] == "worker"
    assert {e["agreement"] for e in first["explanation"]} <= {
        "agree",
        "partial",
        "disagree",
        "unknown",
    }
    probabilities = [p["match_probability"] for p in body["results"]]
    assert probabilities == sorted(probabilities, reverse=True)


def test_viewers_see_masked_niks_and_cannot_decide(api, queued):
    viewer = make_user(Role.VIEWER, "61.72")
    pair = ProbableDuplicate.objects.first()
    body = api(viewer).get(f"{API}{pair.pk}").json()
    assert all("*" in r["nik"] for r in body["records"])
    answer = api(viewer).post(f"{API}{pair.pk}/distinct", {})
    assert answer.status_code == 403
    assert ProbableDuplicate.objects.get(pk=pair.pk).status == PairStatus.PENDING


def test_pairs_outside_the_region_do_not_exist(api, queued):
    elsewhere = make_user(Role.PROGRAMME_OFFICER, "61.71")
    pair = ProbableDuplicate.objects.first()
    assert api(elsewhere).get(API).json()["count"] == 0
    assert api(elsewhere).get(f"{API}{pair.pk}").status_code == 404
    assert api(elsewhere).post(f"{API}{pair.pk}/merge", {}).status_code == 404


def test_merge_and_distinct_over_the_api(api, officer, queued):
    first, second = ProbableDuplicate.objects.all()[:2]
    keep = first.other_worker_id
    # A dry run answers the pair as the merge would leave it, and keeps nothing.
    dry = api(officer).post(f"{API}{first.pk}/merge", {"keep": keep, "dry_run": True})
    assert dry.status_code == 200 and dry.json()["status"] == "merged"
    first.refresh_from_db()
    assert first.status == "pending"
    merged = api(officer).post(f"{API}{first.pk}/merge", {"keep": keep, "note": "satu orang"})
    assert merged.status_code == 200, merged.json()
    assert merged.json()["status"] == "merged" and merged.json()["kept"] == keep
    first.worker.refresh_from_db()
    assert first.worker.merged_into_id == keep
    again = api(officer).post(f"{API}{first.pk}/distinct", {})
    assert again.status_code == 409
    distinct = api(officer).post(f"{API}{second.pk}/distinct", {"note": "kembar"})
    assert distinct.json()["status"] == "distinct"
    assert api(officer).post(f"{API}{second.pk}/merge", {"keep": 1}).status_code == 409


def test_a_merge_must_keep_one_of_the_pair(api, officer, queued):
    pair = ProbableDuplicate.objects.first()
    answer = api(officer).post(f"{API}{pair.pk}/merge", {"keep": 999_999_999})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["code"] == "keep_invalid"


def test_start_a_run_and_follow_it(api, officer, saved_model, registry, settings):
    # The run happens where it is enqueued, so the test sees it finished.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    started = api(officer).post(f"{API}runs", {"threshold": 0.9})
    assert started.status_code == 202, started.json()
    run = DedupeRun.objects.get(pk=started.json()["id"])
    status = api(officer).get(f"{API}runs/{run.pk}").json()
    assert status["status"] == "done" and status["summary"]["new_pairs"] > 0
    assert api(officer).get(f"{API}runs/latest").json()["id"] == run.pk
    bad = api(officer).post(f"{API}runs", {"threshold": 1.5})
    assert bad.status_code == 422
    # The queue page says, in the page's language, which model scored the last check, and
    # offers the city's districts by name.
    from django.test import Client

    web = Client()
    web.force_login(officer)
    for language, said in (("id", "Dinilai oleh: "), ("en", "Scored by: ")):
        web.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        text = web.get(reverse("dedupe:queue")).content.decode()
        assert said + run.model.description in text
        assert "model model" not in text.lower()
    import re

    [name] = re.findall(r'<option value="61\.72\.02">([^<]+)</option>', text)
    assert name.startswith("Singkawang")  # a name, not the code


def test_the_queue_page_and_the_pair_page(client, officer, queued):
    client.force_login(officer)
    page = client.get(reverse("dedupe:queue"))
    assert page.status_code == 200
    pair = ProbableDuplicate.objects.first()
    assert reverse("dedupe:pair", args=[pair.pk]).encode() in page.content
    detail = client.get(reverse("dedupe:pair", args=[pair.pk]))
    assert b'id="side-by-side"' in detail.content and b'id="evidence"' in detail.content
    assert pair.worker.full_name.encode() in detail.content
    assert (
        b"dedupe" not in detail.content
        or reverse("dedupe:merge", args=[pair.pk]).encode() in detail.content
    )


def test_deciding_on_the_pair_page(client, officer, queued):
    client.force_login(officer)
    pair = ProbableDuplicate.objects.first()
    client.post(reverse("dedupe:distinct", args=[pair.pk]), {"note": "beda orang"})
    pair.refresh_from_db()
    assert pair.status == PairStatus.DISTINCT and pair.note == "beda orang"
    assert history(pair.worker)[0].action == "marked_distinct"
    other = ProbableDuplicate.objects.filter(status="pending").first()
    client.post(reverse("dedupe:merge", args=[other.pk]), {"keep": other.worker_id})
    other.refresh_from_db()
    assert other.status == PairStatus.PENDING  # not confirmed: nothing merged
    ticked = {"keep": other.worker_id, "confirm": "1"}
    preview = client.post(reverse("dedupe:merge", args=[other.pk]), ticked)
    assert preview.status_code == 200 and 'id="confirm"' in preview.text
    assert f"#{other.worker_id}" in preview.text and 'name="keep"' in preview.text
    other.refresh_from_db()
    assert other.status == PairStatus.PENDING  # the preview rehearses the merge, keeps nothing
    assert "Merged with a duplicate" in preview.text or "Digabung" in preview.text
    client.post(reverse("dedupe:merge", args=[other.pk]), ticked | {"step": "confirm"})
    other.refresh_from_db()
    assert other.status == PairStatus.MERGED and other.kept_id == other.worker_id


def test_the_pair_page_hides_buttons_from_viewers(client, queued):
    viewer = make_user(Role.VIEWER, "61.72")
    client.force_login(viewer)
    pair = ProbableDuplicate.objects.first()
    detail = client.get(reverse("dedupe:pair", args=[pair.pk]))
    assert detail.status_code == 200
    assert reverse("dedupe:merge", args=[pair.pk]).encode() not in detail.content
    assert client.get(reverse("dedupe:pair", args=[10**9])).status_code == 404
