"""The processes tests/core/test_jobs_killed.py kills: `python -m tests.core.jobs_harness ACTION`.

Each action runs against the database of DATABASE_URL. `--block-at POINT` makes the run stop
at that point (printing "AT POINT") until it is killed; the other actions set up and report.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def _block(module, name: str, point: str, *, after: bool) -> None:
    """Replaces module.name by a function that stops for ever before (or after) the real one."""
    real = getattr(module, name)

    def stop() -> None:
        print(f"AT {point}", flush=True)
        time.sleep(3600)

    def blocked(*args, **kwargs):
        if not after:
            stop()
        out = real(*args, **kwargs)
        stop()
        return out

    setattr(module, name, blocked)


def _block_at(point: str | None) -> None:
    from jaring.contributions import services as contributions
    from jaring.coverage import facts
    from jaring.dedupe import frames
    from jaring.imports import pipeline, services, staging

    if point == "reading":  # the check, before anything is stored
        _block(pipeline, "analyse", point, after=False)
    elif point == "storing":  # the check, its rows written in a transaction not committed
        _block(staging, "save_rows", point, after=True)
    elif point == "committing":  # the commit, the workers added in its transaction
        _block(services, "_apply_updates", point, after=True)
    elif point == "dedupe":
        _block(frames, "registry_frame", point, after=False)
    elif point == "billing":  # the run, its lapses done
        _block(contributions, "apply_lapses", point, after=True)
    elif point == "facts":  # a regency's recount, its old facts deleted in its transaction
        _block(facts, "_quota", point, after=False)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("action")
    parser.add_argument("--batch", type=int)
    parser.add_argument("--file")
    parser.add_argument("--block-at")
    parser.add_argument("--enqueue", action="store_true")
    parser.add_argument("--stale", action="store_true")
    args = parser.parse_args()
    import django

    django.setup()
    _block_at(args.block_at)
    print(json.dumps(ACTIONS[args.action](args), default=str), flush=True)


def setup(args) -> dict:
    """The administrator and a queued import of the file (with --enqueue, for the worker)."""
    from django.core.files import File

    from jaring.accounts.models import Role, User
    from jaring.imports import services

    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = User.objects.create_user(
            username="admin", password="x", role=Role.ADMIN, is_staff=True, is_superuser=True
        )
    with open(args.file, "rb") as f:
        batch = services.create_batch(actor=admin, upload=File(f), name=Path(args.file).name)
    if args.enqueue:
        services.enqueue(batch)
    return {"batch": batch.pk}


def check(args) -> dict:
    from jaring.imports import services

    return {"status": services.check_batch(batch_id=args.batch).status}


def commit(args) -> dict:
    from jaring.accounts.models import User
    from jaring.imports import services
    from jaring.imports.models import ImportBatch

    batch = ImportBatch.objects.get(pk=args.batch)
    admin = User.objects.get(username="admin")
    return {"status": services.commit_batch(actor=admin, batch=batch).status}


def dedupe(args) -> dict:
    from jaring.accounts.models import User
    from jaring.dedupe import services

    run = services.start_run(actor=User.objects.get(username="admin"))
    print(json.dumps({"run": run.pk}), flush=True)
    return {"status": services.run_dedupe(run=run).status}


def billing(args) -> dict:
    import datetime as dt

    from jaring.accounts.models import User
    from jaring.contributions import services

    run = services.request_run(actor=User.objects.get(username="admin"), month=dt.date(2026, 5, 1))
    print(json.dumps({"run": run.pk}), flush=True)
    return {"status": services.perform_run(run_id=run.pk).status}


def facts(args) -> dict:
    """Recounts Singkawang's coverage facts; with --stale, only marks them stale."""
    from django.db import transaction

    from jaring.coverage import facts

    if args.stale:
        with transaction.atomic():
            facts.changed(regencies=["61.72"])
    else:
        facts.refresh(["61.72"])
    return {}


def worker(args) -> dict:
    from django.core.management import call_command

    call_command("db_worker", "--batch", "--interval", "0.1")
    return {}


def state(args) -> dict:
    """The batch, and the registry and staging rows it left."""
    from jaring.contributions.models import BillingRun
    from jaring.coverage.models import FactsState
    from jaring.dedupe.models import DedupeRun
    from jaring.imports.models import ImportBatch, ImportRow
    from jaring.registry.models import Worker

    out: dict = {"workers": Worker.objects.count()}
    if args.batch:
        batch = ImportBatch.objects.get(pk=args.batch)
        out |= {
            "status": batch.status,
            "problems": [p["code"] for p in batch.problems],
            "rows": ImportRow.objects.filter(batch=batch).count(),
            "lease_holder": batch.lease_holder,
            "counts": batch.counts,
        }
    out["dedupe_runs"] = list(DedupeRun.objects.order_by("pk").values("pk", "status", "error"))
    out["facts"] = list(
        FactsState.objects.filter(pk="61.72").values("changes", "refreshed_changes", "refreshed_at")
    )
    out["billing_runs"] = [
        {"pk": r.pk, "status": r.status, "problems": [p["code"] for p in r.problems]}
        for r in BillingRun.objects.order_by("pk")
    ]
    return out


ACTIONS = {
    "setup": setup,
    "check": check,
    "commit": commit,
    "dedupe": dedupe,
    "billing": billing,
    "facts": facts,
    "worker": worker,
    "state": state,
}

if __name__ == "__main__":
    sys.exit(main())
