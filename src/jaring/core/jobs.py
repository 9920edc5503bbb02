"""Runs that recover: a lease with a heartbeat on the row of every run a process carries out.

An import's check and commit, a duplicate run and a billing run each have a row whose status the
page follows. A process takes the row's lease in the same UPDATE that moves it to a working
status (`claim`), and keeps it fresh while it works (`heartbeat`, a thread touching
`heartbeat_at` every JARING_JOB_LEASE_SECONDS / 6). When the process dies (killed, out of memory,
the machine restarted) the row would stay "running" for ever and the page would poll for ever:
`recover` finds such rows and marks them failed with the reason "interrupted". The database has
already rolled back what the dead process had not committed, so "run again" starts clean.

A run is dead when its holder, on this machine, is no longer the process that took the lease
(its pid gone, or reused by another process started at another time), or, on another machine,
when its heartbeat is older than JARING_JOB_LEASE_SECONDS. A live process on this machine is
never taken for dead, even while its heartbeat waits behind a long SQLite write.

`jaring db_worker` recovers at its start and every JARING_JOB_SWEEP_SECONDS after (`watch`);
`jaring jobs recover` does it once.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection, models
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks import TaskResultStatus

from jaring.core import daily
from jaring.core.errors import CoreError, Problem

log = logging.getLogger(__name__)

INTERRUPTED = Problem(
    CoreError.INTERRUPTED,
    "Proses ini terhenti sebelum selesai (prosesnya dimatikan atau server dimulai ulang); "
    "tidak ada hasilnya yang tersimpan. Jalankan lagi.",
    "This run was interrupted before it finished (its process was stopped or the server "
    "restarted); nothing of it was kept. Run it again.",
)


class Leased(models.Model):
    """The lease of a run's row; a run model declares the statuses a live process holds it in
    and what an interrupted run becomes."""

    lease_holder = models.CharField(max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    # Statuses only a live process may leave a run in.
    working_statuses: ClassVar[tuple[str, ...]] = ()
    # The status of a run waiting for the background worker, whose task id is `task_id`.
    queued_status: ClassVar[str | None] = None

    class Meta:
        abstract = True

    @classmethod
    def interrupted_fields(cls) -> dict[str, Any]:
        """The fields a run whose process died is given (a failed status, the reason)."""
        raise NotImplementedError


def lease_seconds() -> int:
    return int(settings.JARING_JOB_LEASE_SECONDS)


def holder() -> str:
    """This process: host, pid and the pid's start time (a pid is reused, the pair is not)."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_started(pid)}"


def _started(pid: int) -> str:
    """The process's start time in clock ticks since boot, "" if it is gone (or a zombie)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            # The command name (field 2) may hold spaces: the fields after it are split.
            fields = stat.read().rsplit(b")", 1)[1].split()
    except OSError:
        return ""
    return "" if fields[0] == b"Z" else fields[19].decode()


def is_alive(lease_holder: str, heartbeat_at: dt.datetime | None, now: dt.datetime) -> bool:
    host, _, rest = lease_holder.partition(":")
    pid, _, started = rest.partition(":")
    if not lease_holder or not pid.isdigit():
        return False
    if host == socket.gethostname():
        return _started(int(pid)) == started != ""
    return heartbeat_at is not None and now - heartbeat_at < dt.timedelta(seconds=lease_seconds())


def claim(queryset: QuerySet, **fields: Any) -> bool:
    """Sets `fields` on the run (one UPDATE, with the lease): whether a row was claimed."""
    return bool(queryset.update(**fields, lease_holder=holder(), heartbeat_at=timezone.now()))


@contextmanager
def heartbeat(model: type[Leased], pk: int) -> Iterator[None]:
    """Keeps this process's lease on the run fresh while inside; gives it up on leaving."""
    me = holder()
    mine = model.objects.filter(pk=pk, lease_holder=me)
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(lease_seconds() / 6):
                try:
                    mine.update(heartbeat_at=timezone.now())
                except DatabaseError:  # e.g. SQLite locked by this run's own long write
                    log.debug("heartbeat of %s %s skipped", model.__name__, pk, exc_info=True)
        finally:
            connection.close()  # the thread's own connection

    thread = threading.Thread(target=beat, name=f"heartbeat {model.__name__} {pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        mine.update(lease_holder="")


def leased_models() -> list[type[Leased]]:
    return [m for m in apps.get_models() if issubclass(m, Leased)]


def recover() -> int:
    """Marks every run whose process died as failed ("interrupted"); returns how many."""
    now = timezone.now()
    found = 0
    for model in leased_models():
        working = model.objects.filter(status__in=model.working_statuses)
        for pk, lease_holder, beat in working.values_list("pk", "lease_holder", "heartbeat_at"):
            if not is_alive(lease_holder, beat, now):
                # Only if the same lease is still there: the run may have moved on meanwhile.
                found += working.filter(pk=pk, lease_holder=lease_holder).update(
                    **model.interrupted_fields(), lease_holder=""
                )
        found += _lost_in_queue(model, now)
    if found:
        log.warning("%d interrupted runs marked failed", found)
    return found


def _lost_in_queue(model: type[Leased], now: dt.datetime) -> int:
    """Runs still queued whose task a worker took and never started: it died in between (the
    task takes the lease within moments of being taken), or the task ended without them."""
    from django_tasks_db.models import DBTaskResult  # a model: not while models load

    if model.queued_status is None:
        return 0
    queued = model.objects.filter(status=model.queued_status).exclude(task_id="")
    tasks = dict(queued.values_list("task_id", "pk"))
    if not tasks:
        return 0
    taken_before = now - dt.timedelta(seconds=lease_seconds())
    lost = DBTaskResult.objects.filter(pk__in=list(tasks)).filter(
        models.Q(status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED])
        | models.Q(status=TaskResultStatus.RUNNING, started_at__lt=taken_before)
    )
    pks = [tasks[str(t)] for t in lost.values_list("pk", flat=True)]
    return queued.filter(pk__in=pks).update(**model.interrupted_fields(), lease_holder="")


def watch() -> threading.Thread:
    """Recovers now, then every JARING_JOB_SWEEP_SECONDS in a thread (the worker's); each
    time, enqueues the day's scheduled work if it has not run today (core.daily)."""
    recover()
    daily.enqueue_if_due()
    connection.close()

    def sweep() -> None:
        while True:
            time.sleep(int(settings.JARING_JOB_SWEEP_SECONDS))
            try:
                recover()
                # The day's expiry, lapse check and recount, once a day (core.daily).
                daily.enqueue_if_due()
            except DatabaseError:  # a locked SQLite file: the next sweep will do
                log.warning("recovering interrupted runs failed", exc_info=True)
            finally:
                connection.close()

    thread = threading.Thread(target=sweep, name="recover interrupted runs", daemon=True)
    thread.start()
    return thread
