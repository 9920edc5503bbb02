"""Writes to the registry: one function per use case, each in its own transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict

from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from jaring.accounts import audit
from jaring.accounts.models import User
from jaring.accounts.scope import codes_of, in_scope
from jaring.core import events
from jaring.core.errors import Conflict, CoreError, PermissionDenied, Problem, ValidationFailed
from jaring.regions.models import Level, Region
from jaring.registry import bulk, selectors
from jaring.registry.errors import RegistryError
from jaring.registry.models import AUDITED_FIELDS, OccupationCategory, Worker
from jaring.registry.names import name_key, tidy_name
from jaring.registry.permissions import WORKERS
from jaring.registry.validation import WorkerInput, check_fields, normalised_phone, problem
from jaring.rules.nik import normalise


def snapshot(worker: Worker) -> dict[str, object]:
    out = {}
    for f in AUDITED_FIELDS:
        value = getattr(worker, f)
        out[f] = value.isoformat() if isinstance(value, dt.date) else value
    return out


def _today() -> dt.date:
    return timezone.localdate()


def _check_region(actor: User, region_code: str) -> None:
    if not in_scope(actor, region_code):
        raise PermissionDenied(
            Problem(
                CoreError.OUT_OF_SCOPE,
                "Wilayah ini di luar wilayah kerja Anda.",
                "This region is outside your region.",
            )
        )


def _check_database(actor: User, data: WorkerInput, kept_village: str = "") -> list[Problem]:
    """`kept_village`: the village the worker already has, which may have been retired."""
    out = []
    village = Region.objects.filter(code=data.village_code.strip(), level=Level.VILLAGE).first()
    if village is not None and village.retired and village.code != kept_village:
        out.append(
            problem(
                "village",
                RegistryError.VILLAGE_RETIRED,
                f"Kelurahan/desa {village.name} ({village.code}) sudah tidak ada dalam daftar "
                f"Kemendagri sejak {village.retired_on:%d-%m-%Y}; pilih kelurahan/desa yang "
                "berlaku.",
                f"Village {village.name} ({village.code}) left the Kemendagri list on "
                f"{village.retired_on:%d-%m-%Y}; choose a current village.",
            )
        )
    elif village is None:
        out.append(
            problem(
                "village",
                RegistryError.VILLAGE_UNKNOWN,
                f"Kode kelurahan/desa '{data.village_code}' tidak dikenal.",
                f"Village code '{data.village_code}' does not exist.",
            )
        )
    elif not in_scope(actor, village.code):
        out.append(
            problem(
                "village",
                RegistryError.VILLAGE_OUT_OF_SCOPE,
                "Kelurahan/desa ini di luar wilayah kerja Anda.",
                "This village is outside your region.",
            )
        )
    if not OccupationCategory.objects.filter(code=data.category_code).exists():
        out.append(
            problem(
                "category",
                RegistryError.CATEGORY_UNKNOWN,
                f"Kategori pekerjaan '{data.category_code}' tidak dikenal.",
                f"Occupation category '{data.category_code}' does not exist.",
            )
        )
    return out


def _duplicate_nik(nik: str, exclude_pk: int | None) -> Problem | None:
    existing = Worker.objects.filter(nik=nik).exclude(pk=exclude_pk).first()
    if existing is None:
        return None
    return problem(
        "nik",
        RegistryError.NIK_REGISTERED,
        "NIK ini sudah terdaftar.",
        "This NIK is already registered.",
        worker_id=existing.pk,
        worker_url=reverse("worker-detail", args=[existing.pk]),
    )


def _apply(worker: Worker, data: WorkerInput, nik: str) -> None:
    worker.nik = nik
    worker.full_name = tidy_name(data.full_name)
    worker.name_key = name_key(data.full_name)
    worker.birth_date = data.birth_date
    worker.sex = data.sex
    worker.village_id = data.village_code.strip()
    for field, code in codes_of(worker.village_id).items():
        setattr(worker, field, code)
    # Officers write RT/RW as 001/002: keep that form whatever was typed.
    worker.rt = data.rt.strip().zfill(3) if data.rt.strip() else ""
    worker.rw = data.rw.strip().zfill(3) if data.rw.strip() else ""
    worker.address = data.address.strip()
    worker.phone = normalised_phone(data.phone)
    worker.category_id = data.category_code
    worker.has_disability = data.has_disability
    worker.disability_kind = data.disability_kind if data.has_disability else ""
    worker.declared_income = data.declared_income
    worker.consent_date = data.consent_date
    worker.nik_override_reason = data.nik_override_reason.strip()
    worker.place_of_birth = tidy_name(data.place_of_birth) if data.place_of_birth.strip() else ""
    worker.mother_maiden_name = (
        tidy_name(data.mother_maiden_name) if data.mother_maiden_name.strip() else ""
    )
    worker.marital_status = data.marital_status
    worker.email = data.email.strip().lower()


def _validate(
    actor: User, data: WorkerInput, exclude_pk: int | None, kept_village: str = ""
) -> str:
    """Raises ValidationFailed with every problem; returns the 16-digit NIK."""
    problems = check_fields(data, _today()) + _check_database(actor, data, kept_village)
    nik = normalise(data.nik)
    if not any(p.field == "nik" for p in problems):
        duplicate = _duplicate_nik(nik, exclude_pk)
        if duplicate:
            raise Conflict(duplicate, *problems)
    if problems:
        raise ValidationFailed(*problems)
    return nik


@transaction.atomic
def create_worker(*, actor: User, data: WorkerInput, source: str) -> Worker:
    WORKERS.check(actor, "change")
    nik = _validate(actor, data, exclude_pk=None)
    worker = Worker(source=source, created_by=actor)
    _apply(worker, data, nik)
    worker.save()
    audit.record(
        actor=actor,
        action="create",
        target=worker,
        region_code=worker.village_id,
        before=None,
        after=snapshot(worker),
        reason=data.nik_override_reason,
    )
    return worker


def worker_input(worker: Worker) -> WorkerInput:
    """The current record as input, so an update can change only some fields."""
    return WorkerInput(
        nik=worker.nik,
        full_name=worker.full_name,
        birth_date=worker.birth_date,
        sex=worker.sex,
        village_code=worker.village_id,
        category_code=worker.category_id,
        rt=worker.rt,
        rw=worker.rw,
        address=worker.address,
        phone=worker.phone,
        has_disability=worker.has_disability,
        disability_kind=worker.disability_kind,
        declared_income=worker.declared_income,
        consent_date=worker.consent_date,
        nik_override_reason=worker.nik_override_reason,
        place_of_birth=worker.place_of_birth,
        mother_maiden_name=worker.mother_maiden_name,
        marital_status=worker.marital_status,
        email=worker.email,
    )


@transaction.atomic
def update_worker(
    *, actor: User, worker: Worker, changes: dict[str, object], reason: str = ""
) -> Worker:
    """Applies `changes` (WorkerInput field names) to a worker the actor can see."""
    WORKERS.check(actor, "change")
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    if not in_scope(actor, worker.village_id):
        raise PermissionDenied(
            Problem(
                CoreError.OUT_OF_SCOPE,
                "Pekerja ini di luar wilayah kerja Anda.",
                "This worker is outside your region.",
            )
        )
    data = worker_input(worker)
    unknown = set(changes) - set(asdict(data))
    if unknown:
        raise ValidationFailed(
            *(
                problem(
                    f,
                    CoreError.UNKNOWN_FIELD,
                    f"Kolom '{f}' tidak dikenal.",
                    f"Unknown field '{f}'.",
                )
                for f in sorted(unknown)
            )
        )
    for field, value in changes.items():
        setattr(data, field, value)
    nik = _validate(actor, data, exclude_pk=worker.pk, kept_village=worker.village_id)
    before = snapshot(worker)
    _apply(worker, data, nik)
    after = snapshot(worker)
    if after == before:
        return worker
    worker.save()
    _announce([worker.pk])  # sex and disability are counted
    audit.record(
        actor=actor,
        action="update",
        target=worker,
        region_code=worker.village_id,
        before={k: v for k, v in before.items() if after[k] != v},
        after={k: v for k, v in after.items() if before[k] != v},
        reason=reason or data.nik_override_reason,
    )
    return worker


# --- many workers at once, from an import ---------------------------------------------------------


@transaction.atomic
def register_from_import(
    *,
    actor: User,
    rows: models.QuerySet,
    region_code: str,
    adding: int,
    source: str,
) -> int:
    """Registers a worker for each of `rows`, set-based (`bulk.insert_rows`); returns how many.

    `rows` are an import's new rows, checked and in the registry's stored form (`bulk.STORED`),
    each village in `region_code`, so the actor's scope is checked once, on that region;
    `adding` is about how many rows there are. Refuses,
    writing nothing, a NIK registered since the rows were checked. No `create` event per
    worker: the import records one for the batch, and each worker's registration is its row
    (docs/decisions/0003-import-audit.md). New workers have no memberships, so no counted fact
    changes and nothing is announced.
    """
    WORKERS.check(actor, "change")
    _check_region(actor, region_code)
    return bulk.insert_rows(rows, adding=adding, source=source, actor=actor, now=timezone.now())


@transaction.atomic
def apply_import_updates(
    *, actor: User, changes: Mapping[int, Mapping[str, object]], reason: str
) -> int:
    """Applies the changes a later list brings to registered workers (worker id -> {field: new
    value}), set-based (`bulk.update_workers`), with one `update` audit event per worker;
    returns how many workers. Announces `workers_changed` for the regencies of the memberships
    of those whose disability or village changed."""
    WORKERS.check(actor, "change")
    counted = bulk.update_workers(changes, actor=actor, reason=reason, now=timezone.now())
    _announce(counted)
    return len(changes)


def _announce(worker_ids: list[int]) -> None:
    """Counted facts of these workers changed: in the regencies their memberships count in."""
    regencies = selectors.membership_regencies(worker_ids)
    if regencies:
        events.workers_changed.send(sender="registry", regencies=regencies)
