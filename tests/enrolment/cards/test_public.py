"""The public status check: what it answers, what it never reveals, and its limits."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jaring.enrolment.cards import public
from jaring.enrolment.cards.models import MembershipCard, RateCounter
from tests.enrolment.exchange_setup import active_member, programme_with_workers
from tests.factories import make_worker

TODAY = dt.date(2026, 3, 15)
URL = "/cek/"


@pytest.fixture
def covered(officer):
    programme, (worker,) = programme_with_workers(officer, n=1)
    member = active_member(officer, programme, worker, "23012345678", dt.date(2026, 3, 1))
    return worker, member


@pytest.fixture
def frozen_today(monkeypatch):
    monkeypatch.setattr(public.timezone, "localdate", lambda: TODAY)


def check(nik, birth_date, client="10.0.0.1", today=TODAY):
    return public.check_cover(nik=nik, birth_date=birth_date, client=client, today=today)


def test_a_covered_worker_learns_the_programme_and_the_last_day(covered):
    worker, member = covered
    (cover,) = check(worker.nik, worker.birth_date)
    assert cover == public.Cover(member.programme.name, dt.date(2026, 7, 31))


def test_wrong_birth_date_unknown_nik_and_not_covered_all_answer_nothing(covered, officer):
    worker, _ = covered
    uncovered = make_worker(officer, full_name="Belum Terdaftar")
    assert check(worker.nik, worker.birth_date + dt.timedelta(days=1), client="a") == []
    assert check("6172020101990009", worker.birth_date, client="b") == []
    assert check(uncovered.nik, uncovered.birth_date, client="c") == []
    # Before the cover starts and after it ends.
    assert check(worker.nik, worker.birth_date, client="d", today=dt.date(2026, 2, 28)) == []
    assert check(worker.nik, worker.birth_date, client="e", today=dt.date(2026, 8, 1)) == []


def test_every_case_runs_the_same_queries(covered, officer):
    worker, _ = covered
    uncovered = make_worker(officer, full_name="Belum Terdaftar")
    mistaken = make_worker(officer, full_name="Salah Tanggal")
    counts = []
    # Distinct NIKs and clients: each attempt starts its own counters, like a first visit.
    cases = [
        (worker.nik, worker.birth_date),
        (mistaken.nik, dt.date(1990, 1, 1)),
        ("6172020101990009", worker.birth_date),
        (uncovered.nik, uncovered.birth_date),
    ]
    for i, (nik, born) in enumerate(cases):
        with CaptureQueriesContext(connection) as ctx:
            check(nik, born, client=f"client-{i}")
        counts.append(len(ctx.captured_queries))
    assert len(set(counts)) == 1, counts


def _csrf_post(client: Client, data: dict, **extra):
    page = client.get(URL)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return client.post(URL, {**data, "csrfmiddlewaretoken": token}, **extra)


def _answer(html: str) -> str:
    """The page without what differs per request (the CSRF token, the values typed in)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "", html)
    return re.sub(r'name="(nik|birth_date)"([^>]*)value="[^"]*"', r"\1", html)


@pytest.mark.usefixtures("frozen_today")
def test_the_page_reveals_nothing_beyond_covered_programme_and_date(covered, officer):
    worker, member = covered
    client = Client(enforce_csrf_checks=True)
    yes = _csrf_post(client, {"nik": worker.nik, "birth_date": worker.birth_date.isoformat()})
    assert yes.status_code == 200 and 'data-answer="covered"' in yes.text
    assert member.programme.name in yes.text and "2026" in yes.text
    for secret in (worker.full_name, member.kpj, worker.village.name, worker.phone):
        assert secret not in yes.text

    uncovered = make_worker(officer, full_name="Belum Terdaftar")
    answers = [
        _csrf_post(client, {"nik": nik, "birth_date": born}, REMOTE_ADDR=f"10.0.1.{i}")
        for i, (nik, born) in enumerate(
            [
                (worker.nik, "1990-01-01"),
                ("6172020101990009", "1990-01-01"),
                (uncovered.nik, uncovered.birth_date.isoformat()),
            ]
        )
    ]
    assert all('data-answer="not-found"' in a.text for a in answers)
    assert len({_answer(a.text) for a in answers}) == 1
    assert "Belum Terdaftar" not in answers[2].text


def test_post_without_csrf_token_is_refused(covered):
    worker, _ = covered
    client = Client(enforce_csrf_checks=True)
    response = client.post(URL, {"nik": worker.nik, "birth_date": "1985-08-17"})
    assert response.status_code == 403


def test_a_malformed_nik_is_a_form_error_and_costs_no_attempt(db):
    response = Client().post(URL, {"nik": "6172 0201", "birth_date": "1985-08-17"})
    assert response.status_code == 200 and "data-answer" not in response.text
    assert RateCounter.objects.count() == 0


def test_one_nik_is_limited_per_address_and_others_still_get_their_answer(covered):
    worker, _ = covered
    limit = public.NIK_LIMIT[0]
    for _ in range(limit):
        assert check(worker.nik, worker.birth_date, client="10.9.0.1")
    with pytest.raises(public.TooManyAttempts) as exc:
        check(worker.nik, worker.birth_date, client="10.9.0.1")
    assert exc.value.status == 429
    # Strangers asking about the NIK cannot lock the worker out of their own check.
    for i in range(2 * limit):
        check(worker.nik, dt.date(1999, 1, 1), client=f"10.9.1.{i}")
    assert check(worker.nik, worker.birth_date, client="10.9.2.1")


def test_one_address_is_limited_whatever_niks_it_tries(db):
    limit = public.CLIENT_LIMIT[0]
    for serial in range(1, limit + 1):
        check(f"617202010199{serial:04d}", dt.date(1999, 1, 1), client="10.8.0.1")
    with pytest.raises(public.TooManyAttempts):
        check("6172020101990999", dt.date(1999, 1, 1), client="10.8.0.1")
    assert check("6172020101990999", dt.date(1999, 1, 1), client="10.8.0.2") == []


def test_the_limit_is_shown_as_429_on_the_page(db):
    client = Client()
    for serial in range(1, public.CLIENT_LIMIT[0] + 2):
        response = client.post(
            URL, {"nik": f"617202010199{serial:04d}", "birth_date": "1999-01-01"}
        )
    assert response.status_code == 429 and 'data-answer="limited"' in response.text


def test_counters_keep_no_nik_or_address_in_clear(covered):
    worker, _ = covered
    check(worker.nik, worker.birth_date, client="192.168.7.7")
    keys = " ".join(RateCounter.objects.values_list("key", flat=True))
    assert keys and worker.nik not in keys and "192.168.7.7" not in keys


def test_a_new_window_starts_counting_again(covered, monkeypatch):
    worker, _ = covered
    for _ in range(public.NIK_LIMIT[0]):
        check(worker.nik, worker.birth_date, client="10.7.0.1")
    with pytest.raises(public.TooManyAttempts):
        check(worker.nik, worker.birth_date, client="10.7.0.1")
    later = public.timezone.now() + dt.timedelta(seconds=public.NIK_LIMIT[1])
    monkeypatch.setattr(public.timezone, "now", lambda: later)
    assert check(worker.nik, worker.birth_date, client="10.7.0.1")
    assert RateCounter.objects.filter(expires_at__lt=later).count() == 0  # old windows pruned


@pytest.mark.usefixtures("frozen_today")
def test_the_card_link_answers_for_its_membership_only(covered):
    worker, member = covered
    card = MembershipCard.objects.create(membership=member, token="k" * 22)
    page = Client().get(reverse("public:card", args=[card.token]))
    assert page.status_code == 200 and 'data-answer="covered"' in page.text
    assert member.programme.name in page.text and worker.full_name not in page.text
    unknown = Client().get(reverse("public:card", args=["x" * 22]))
    assert 'data-answer="not-found"' in unknown.text
