"""Statuses true today (issue 13 part 4): ended cover shows as expired before any job runs, and
the day's jobs run once a day by themselves."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from jaring.accounts.models import Role
from jaring.core import daily
from jaring.core.models import DailyRun
from jaring.enrolment import selectors
from jaring.enrolment.models import Membership
from tests.contributions.setup import member, programme
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_members(admin):
    """A fisher (five months of cover) whose cover ended long ago, and one covered today."""
    prog = programme(admin)
    today = timezone.localdate()
    ended = member(admin, prog, dt.date(2026, 2, 1), full_name="Cover Ended")
    live = member(admin, prog, today - dt.timedelta(days=10), full_name="Cover Live")
    return prog, ended, live


def test_ended_cover_shows_expired_everywhere_before_the_job(client, admin, two_members, api):
    prog, ended, live = two_members
    assert (ended.status, ended.status_today, live.status_today) == ("active", "expired", "active")
    officer = make_user(Role.PROGRAMME_OFFICER, "61.72")
    client.force_login(officer)
    page = client.get(f"/enrolment/{ended.pk}/").content.decode()
    assert "Habis masa berlaku" in page
    expired = client.get("/enrolment/", {"status": "expired"}).content.decode()
    assert "Cover Ended" in expired and "Cover Live" not in expired
    active = client.get("/enrolment/", {"status": "active"}).content.decode()
    assert "Cover Live" in active and "Cover Ended" not in active
    counts = selectors.status_counts(officer, prog)
    assert (counts["active"], counts["expired"]) == (1, 1)
    body = api(officer).get(f"/api/enrolment/memberships/{ended.pk}").json()
    assert (body["status"], body["recorded_status"]) == ("expired", "active")


def test_the_daily_run_expires_once_a_day(two_members):
    _, ended, live = two_members
    done = daily.run()
    assert done.results["expire"] == {"expired": 1}
    assert set(done.results) >= {"expire", "lapses", "recount"}
    assert not any("error" in r for r in done.results.values()), done.results
    ended.refresh_from_db()
    live.refresh_from_db()
    assert (ended.status, live.status) == ("expired", "active")
    assert daily.run() is None  # once a day
    assert not daily.due()
    out = io.StringIO()
    call_command("daily", "--again", "--json", stdout=out)
    assert json.loads(out.getvalue())["results"]["expire"] == {"expired": 0}
    assert DailyRun.objects.count() == 1


def test_the_worker_enqueues_the_days_run_when_none_started(settings, two_members):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    _, ended, _ = two_members
    assert daily.enqueue_if_due() is True
    assert Membership.objects.get(pk=ended.pk).status == "expired"
    assert daily.enqueue_if_due() is False
