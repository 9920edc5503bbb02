"""The work that must happen every day by itself: expiry of ended cover, the lapse check and
the coverage recount (issue 13, "statuses true today").

The apps that own the work register a job in their AppConfig.ready() (`register`); core knows
none of them. `jaring db_worker` enqueues the day's run when its sweep finds none for today
(`due`), and `jaring daily` runs it by hand. A `DailyRun` row per day, inserted before the
jobs start, makes the run happen once a day across workers; each job runs in its own
transaction and a failing job is recorded without stopping the others. Pages do not wait for
it: they show the status that holds today in any case (enrolment.selectors).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from jaring.core.models import DailyRun

log = logging.getLogger(__name__)

# Name -> job(on) returning what it did (JSON-able).
_JOBS: dict[str, Callable[[dt.date], object]] = {}


def register(name: str, job: Callable[[dt.date], object]) -> None:
    _JOBS[name] = job


def jobs() -> list[str]:
    return list(_JOBS)


def due(on: dt.date | None = None) -> bool:
    """Whether today's run has not started yet."""
    on = on or timezone.localdate()
    return not DailyRun.objects.filter(day=on).exists()


def run(*, on: dt.date | None = None, again: bool = False) -> DailyRun | None:
    """Runs the day's jobs, once: None when that day's run has already started (unless
    `again`, which runs them once more and records the new results)."""
    on = on or timezone.localdate()
    try:
        with transaction.atomic():
            record = DailyRun.objects.create(day=on)
    except IntegrityError:
        if not again:
            return None
        record = DailyRun.objects.get(day=on)
    results: dict[str, object] = {}
    for name, job in _JOBS.items():
        try:
            with transaction.atomic():
                results[name] = job(on)
        except Exception as exc:  # one failing job must not keep the others from running
            log.exception("daily job %s failed", name)
            results[name] = {"error": f"{type(exc).__name__}: {exc}"}
    DailyRun.objects.filter(pk=record.pk).update(finished_at=timezone.now(), results=results)
    record.refresh_from_db()
    return record


@task()
def run_daily() -> str:
    """The day's run in the background (`jaring db_worker` enqueues it)."""
    done = run()
    return "ran" if done else "already ran"


def enqueue_if_due() -> bool:
    """Called by the worker's sweep: enqueues today's run when it has not started."""
    if not due():
        return False
    run_daily.enqueue()
    return True
