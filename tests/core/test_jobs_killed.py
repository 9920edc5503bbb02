"""Runs killed with SIGKILL at several points recover: marked failed ("interrupted") by the
recovery at a worker's start, or by its sweep while it runs; what they had not committed is
rolled back; checked again, an interrupted import commits.

The killed processes (tests/core/jobs_harness.py) work on a database of their own, a copy of the
migrated test database made once for the module: a SQLite file, or on PostgreSQL the database
`<test database>_kill`.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import polars as pl
import pytest

from jaring.demo.inject_errors import as_cells
from jaring.demo.synthetic import generate_people, people_frame
from tests.imports.conftest import TODAY

ROOT = Path(__file__).resolve().parents[2]
ROWS = 40
# The killed processes use a copy of the test database, which must be made for this module even
# when it runs alone.
pytestmark = pytest.mark.django_db


def _database(tmp: Path) -> str:
    """A copy of the migrated test database, for the killed processes. Migrating a new one in a
    subprocess took longer than the module's tests (about 40 s a database on a quiet machine)."""
    from django.db import connection

    from tests.conftest import restore_migration_data

    restore_migration_data()
    if connection.vendor == "sqlite":
        path = tmp / "kill.sqlite3"
        connection.ensure_connection()
        with closing(sqlite3.connect(path)) as target:
            connection.connection.backup(target)
        return f"sqlite:///{path}"
    import psycopg

    parts = urlsplit(os.environ["DATABASE_URL"])
    template = connection.settings_dict["NAME"]
    name = template + "_kill"
    server = urlunsplit(parts._replace(path="/postgres"))
    # A database is copied only with nobody connected to it.
    connection.close()
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture(scope="module")
def env(tmp_path_factory, django_db_setup, django_db_blocker) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("killed")
    out = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}"}
    with django_db_blocker.unblock():
        database = _database(tmp)
    out |= {
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database,
        "JARING_VAR": str(tmp / "var"),
        "JARING_TASK_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    return out


_files = iter(range(1, 1000))


def _batch(env, tmp_path, *options: str) -> int:
    """A new import of ROWS new people (other people each time)."""
    people = generate_people(ROWS, seed=next(_files), region="61.72", today=TODAY)
    path = tmp_path / "list.csv"
    as_cells(people_frame(people)).write_csv(path)
    return _run(env, "setup", "--file", str(path), *options)["batch"]


@pytest.fixture
def batch(env, tmp_path) -> int:
    return _batch(env, tmp_path)


def _run(env, action: str, *args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "tests.core.jobs_harness", action, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _killed(env, action: str, *args: str, at: str) -> list[dict]:
    """Starts the action, kills it (SIGKILL) where it stops at `at`; what it printed before."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.core.jobs_harness", action, *args, "--block-at", at],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    printed = []
    try:
        for line in child.stdout:
            if line.strip() == f"AT {at}":
                break
            if line.startswith("{"):
                printed.append(json.loads(line))
        else:
            pytest.fail(f"{action} ended without reaching {at}")
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    return printed


def _recover(env) -> None:
    subprocess.run(
        [sys.executable, "-m", "jaring.cli", "jobs", "recover"], env=env, check=True, timeout=120
    )


def _state(env, batch: int | None = None) -> dict:
    return _run(env, "state", *(["--batch", str(batch)] if batch else []))


def _check_again_and_commit(env, batch: int) -> dict:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "jaring.cli",
            "import",
            "--again",
            str(batch),
            "--user",
            "admin",
            "--commit",
            "--json",
            "--no-progress",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:] + done.stdout[-3000:]
    return json.loads(done.stdout)


@pytest.mark.parametrize("point", ["reading", "storing"])
def test_a_check_killed_recovers_and_commits_after_checking_again(env, batch, point):
    _killed(env, "check", "--batch", str(batch), at=point)
    stuck = _state(env, batch)
    assert stuck["status"] == "running"
    # Rows written in the check's transaction went with the process.
    assert stuck["rows"] == 0
    _recover(env)
    failed = _state(env, batch)
    assert (failed["status"], failed["problems"]) == ("failed", ["interrupted"])
    assert failed["lease_holder"] == ""
    workers = failed["workers"]
    assert _check_again_and_commit(env, batch)["status"] == "committed"
    assert _state(env, batch)["workers"] == workers + ROWS


def test_a_commit_killed_adds_no_worker_and_commits_after_checking_again(env, batch):
    assert _run(env, "check", "--batch", str(batch))["status"] == "ready"
    before = _state(env, batch)
    _killed(env, "commit", "--batch", str(batch), at="committing")
    assert _state(env, batch)["status"] == "committing"
    _recover(env)
    failed = _state(env, batch)
    assert (failed["status"], failed["problems"]) == ("failed", ["interrupted"])
    # All or nothing: the workers the commit had added were rolled back with it.
    assert failed["workers"] == before["workers"]
    assert _check_again_and_commit(env, batch)["status"] == "committed"
    assert _state(env, batch)["workers"] == before["workers"] + ROWS


def test_a_worker_killed_mid_check_is_recovered_when_a_worker_starts(env, tmp_path):
    batch = _batch(env, tmp_path, "--enqueue")
    _killed(env, "worker", at="reading")
    assert _state(env, batch)["status"] == "running"
    _run(env, "worker")  # a new worker: it recovers first, then finds nothing to do
    assert _state(env, batch)["problems"] == ["interrupted"]


def test_a_running_worker_notices_within_its_sweep(env, batch):
    worker = subprocess.Popen(
        [sys.executable, "-m", "jaring.cli", "db_worker", "--interval", "0.5", "-v", "2"],
        env=env | {"JARING_JOB_SWEEP_SECONDS": "2"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        # Past its start (and the recovery there): what follows is the sweep's.
        for line in worker.stdout:
            if "Starting worker" in line:
                break
        _killed(env, "check", "--batch", str(batch), at="reading")
        started = time.monotonic()
        while _state(env, batch)["status"] != "failed":
            assert time.monotonic() - started < 60, "not noticed"
            time.sleep(1)
    finally:
        worker.terminate()
        worker.wait(timeout=60)
        worker.stdout.close()
    assert _state(env, batch)["problems"] == ["interrupted"]


def test_a_duplicate_run_killed_is_interrupted(env, batch):
    run = _killed(env, "dedupe", at="dedupe")[0]["run"]
    assert _run_of(_state(env)["dedupe_runs"], run)["status"] == "running"
    _recover(env)
    assert _run_of(_state(env)["dedupe_runs"], run) == {
        "pk": run,
        "status": "failed",
        "error": "interrupted",
    }


def test_a_billing_run_killed_is_interrupted_and_runs_again(env, batch):
    run = _killed(env, "billing", at="billing")[0]["run"]
    assert _run_of(_state(env)["billing_runs"], run)["status"] == "running"
    _recover(env)
    assert _run_of(_state(env)["billing_runs"], run)["problems"] == ["interrupted"]
    assert _run(env, "billing")["status"] == "done"


def test_a_facts_recount_killed_leaves_the_regency_stale_until_recounted(env):
    _run(env, "facts")
    counted = _state(env)["facts"][0]
    assert counted["refreshed_changes"] == counted["changes"]
    _run(env, "facts", "--stale")
    _killed(env, "facts", at="facts")
    # Rolled back: not counted as fresh, so the next read (`facts.ensure`) recounts it.
    stale = _state(env)["facts"][0]
    assert stale["refreshed_changes"] < stale["changes"]
    assert stale["refreshed_at"] == counted["refreshed_at"]
    _run(env, "facts")
    again = _state(env)["facts"][0]
    assert again["refreshed_changes"] == again["changes"]


def _run_of(runs: list[dict], pk: int) -> dict:
    return next(r for r in runs if r["pk"] == pk)


def test_the_lists_are_of_new_people():
    first = as_cells(people_frame(generate_people(ROWS, seed=1, region="61.72", today=TODAY)))
    second = as_cells(people_frame(generate_people(ROWS, seed=2, region="61.72", today=TODAY)))
    assert pl.concat([first, second])["NIK"].n_unique() == 2 * ROWS
