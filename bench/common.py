"""What every benchmark script needs: the machine and its load, CPU time and peak memory, a
dedicated database on SQLite or PostgreSQL, Django set up on it, one child process per database.

The scripts import it as `common` (the script's folder is on sys.path when Python runs it).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A benchmark is a development run: the settings refuse the development key without it, and the
# `jaring` commands a benchmark starts inherit it.
os.environ.setdefault("JARING_DEV", "1")


# --- the machine -------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    """CPU model, cores (and how many this process may use), memory, Python."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": f"{memory:.0f} GiB",
        "python": platform.python_version(),
    }


def describe(m: dict[str, str]) -> str:
    return f"{m['cpu']}, {m['cores']} cores, {m['memory']}, Python {m['python']}"


def loadavg() -> list[float]:
    """1, 5 and 15 minute load averages (/proc/loadavg): the machine is shared."""
    return [round(x, 2) for x in os.getloadavg()]


def peak_mb() -> float:
    """This process's peak resident memory (ru_maxrss), in MiB."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def server_cpu():
    """A clock of the CPU seconds spent by the database server for Django's connection: the
    PostgreSQL backend's user + system time (/proc/<pid>/stat); 0 on SQLite, which runs in
    this process and so is in `time.process_time()` already."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return lambda: 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    stat = Path(f"/proc/{pid}/stat")
    tick = os.sysconf("SC_CLK_TCK")

    def read() -> float:
        # utime and stime, after the parenthesised command name.
        fields = stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick

    return read


class Clock:
    """Wall time, this process's CPU time and the database server's CPU time since started."""

    def __init__(self) -> None:
        self._server = server_cpu()
        self.restart()

    def restart(self) -> None:
        self._start = (time.perf_counter(), time.process_time(), self._server())

    def read(self) -> dict[str, float]:
        wall, cpu, server = self._start
        return {
            "wall": round(time.perf_counter() - wall, 2),
            "cpu": round(time.process_time() - cpu, 2),
            "server_cpu": round(self._server() - server, 2),
        }


def percentiles(times_ms: list[float]) -> dict[str, float]:
    times = sorted(times_ms)
    return {
        "p50": round(statistics.median(times), 1),
        "p95": round(times[max(int(len(times) * 0.95) - 1, 0)], 1),
        "max": round(times[-1], 1),
    }


# --- the database ------------------------------------------------------------------------------


def bench_database(db: str, *, pg_url: str, sqlite_path: Path, fresh: bool = True) -> str:
    """The URL of a dedicated database, created if missing; `fresh` drops it first.

    `BENCH_SQLITE` (a file) and `BENCH_PG_URL` (a database URL), when set, name another
    database than `sqlite_path` and `pg_url`: a small trial run then leaves the loaded
    benchmark databases alone."""
    if db == "sqlite":
        sqlite_path = Path(os.environ.get("BENCH_SQLITE", sqlite_path))
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        if fresh:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{sqlite_path}"
    import psycopg

    url = os.environ.get("BENCH_PG_URL", pg_url)
    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        if not exists or fresh:
            conn.execute(f'CREATE DATABASE "{name}"')
    return url


def setup_django(database_url: str, **environ: str) -> None:
    """Django on `database_url` (plus any JARING_* settings in `environ`), migrated."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jaring.settings")
    os.environ.setdefault("JARING_HOME", str(ROOT))
    os.environ.update(environ)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def database_version() -> str:
    """ "SQLite 3.x" or "PostgreSQL 15.x", of Django's connection."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]}"
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def analyze(*, vacuum: bool = False) -> None:
    """Planner statistics after a load; `vacuum` on PostgreSQL also sets the visibility map that
    lets a scan read its keys from an index alone (autovacuum does so some time after a load)."""
    from django.db import connection

    with connection.cursor() as cursor:
        vacuum_too = vacuum and connection.vendor == "postgresql"
        cursor.execute("VACUUM ANALYZE" if vacuum_too else "ANALYZE")


# --- processes ---------------------------------------------------------------------------------


def argv(args, **override) -> list[str]:
    """Parsed options back as command-line words (flags for True, nothing for False/None)."""
    out = []
    for key, value in {**vars(args), **override}.items():
        flag = "--" + key.replace("_", "-")
        if value is True:
            out.append(flag)
        elif value is not False and value is not None:
            out += [flag, str(value)]
    return out


def each_database(script: str, args) -> None:
    """Run `script` once per database, each in its own process: Django settles on one
    database per process."""
    for db in ("sqlite", "postgres"):
        subprocess.run([sys.executable, script, *argv(args, db=db)], check=True)


def parser(doc: str) -> argparse.ArgumentParser:
    """The options every database benchmark takes: --db and --json."""
    out = argparse.ArgumentParser(description=doc.split("\n")[0])
    out.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    out.add_argument("--json", action="store_true", help="print results as JSON")
    return out


def report(script: str, args, run, markdown) -> None:
    """`run(args)` on `--db` and print its result; with `--db both`, once per database."""
    if args.db == "both":
        each_database(script, args)
        return
    result = run(args)
    print(json.dumps(result, indent=2, default=str) if args.json else markdown(result))


# --- requests ----------------------------------------------------------------------------------


def logged_in_client(user):
    """Django's test Client logged in as `user`, the second factor passed as the login code page
    would (roles that see whole NIKs need it); its authenticator is made here."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from jaring.accounts import selectors

    client = Client()
    client.force_login(user)
    if selectors.needs_second_factor(user):
        device = selectors.totp_device(user) or TOTPDevice.objects.create(user=user, name="bench")
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
