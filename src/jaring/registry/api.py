"""Workers over the API: the same selectors (scope) and services (validation, audit) as the web."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Status

from jaring.accounts import audit
from jaring.accounts.masking import display_nik, display_phone, display_private
from jaring.accounts.models import User
from jaring.accounts.permissions import PERSONAL_DATA
from jaring.core.api.schemas import errors
from jaring.core.errors import CoreError, NotFound, Problem
from jaring.registry import selectors, services
from jaring.registry.models import OccupationCategory, Worker
from jaring.registry.schemas import (
    CategoryOut,
    HistoryOut,
    NikCheckIn,
    NikOut,
    WorkerCreate,
    WorkerOut,
    WorkerPage,
    WorkerPatch,
    WorkerQuery,
)
from jaring.registry.validation import WorkerInput
from jaring.rules import nik

router = Router(tags=["workers"])
categories_router = Router(tags=["reference"])
nik_router = Router(tags=["reference"])

# API field name → WorkerInput field name, where they differ.
_INPUT_NAMES = {"village": "village_code", "category": "category_code"}


def _input_name(field: str) -> str:
    return _INPUT_NAMES.get(field, field)


def _worker_or_404(user: User, worker_id: int) -> Worker:
    worker = selectors.get_worker(user, worker_id)
    if worker is None:
        # Outside the region and nonexistent look the same, so the API cannot be used to probe.
        raise NotFound(
            Problem(CoreError.NOT_FOUND, "Pekerja tidak ditemukan.", "Worker not found.")
        )
    return worker


def worker_out(user: User, worker: Worker) -> dict[str, object]:
    return {
        "id": worker.pk,
        "nik": display_nik(user, worker.nik),
        "full_name": worker.full_name,
        "birth_date": worker.birth_date,
        "sex": worker.sex,
        "village": worker.village_id,
        "village_name": worker.village.name,
        "district": worker.district_code,
        "regency": worker.regency_code,
        "province": worker.province_code,
        "rt": worker.rt,
        "rw": worker.rw,
        "address": worker.address,
        "phone": display_phone(user, worker.phone),
        "category": worker.category_id,
        "category_name": str(worker.category),
        "has_disability": worker.has_disability,
        "disability_kind": worker.disability_kind,
        "declared_income": worker.declared_income,
        "consent_date": worker.consent_date,
        "died_on": worker.died_on,
        "nik_override_reason": worker.nik_override_reason,
        "place_of_birth": worker.place_of_birth,
        "mother_maiden_name": display_private(user, worker.mother_maiden_name),
        "marital_status": worker.marital_status,
        "email": worker.email,
        "source": worker.source,
        "created_at": worker.created_at,
        "updated_at": worker.updated_at,
        "url": reverse("api:worker", args=[worker.pk]),
        "web_url": reverse("worker-detail", args=[worker.pk]),
    }


def _history_out(user: User, event: audit.Entry) -> dict[str, object]:
    def shown(field: str, value: object) -> object:
        if field == "nik" and value:
            return display_nik(user, value)
        if field == "mother_maiden_name" and value:
            return display_private(user, value)
        return display_phone(user, value) if field == "phone" and value else value

    return {
        "at": event.at,
        "action": event.action,
        "actor": event.actor.username if event.actor else None,
        "reason": event.reason,
        "changes": [
            {"field": field, "before": shown(field, before), "after": shown(field, after)}
            for field, before, after in event.changes()
        ],
    }


@router.get("/", response={200: WorkerPage, **errors(401, 422)}, summary="List workers")
def list_workers(request: HttpRequest, filters: Query[WorkerQuery]):
    """Workers in your region, by name; the same filters as the worker list page. A page of
    more whole NIKs than the server allows without a reason (default 100) answers 422
    `read_reason_required` unless `reason` says why."""
    user = request.auth
    qs = selectors.search_workers(
        user,
        selectors.WorkerFilter(
            q=filters.q,
            district=filters.district,
            village=filters.village,
            category=filters.category,
            disability=filters.disability,
        ),
    )
    page = list(qs[filters.offset : filters.offset + filters.limit])
    if PERSONAL_DATA.may(user, "see"):
        audit.check_read_reason(len(page), filters.reason)
    return {
        "count": qs.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [worker_out(user, w) for w in page],
    }


@router.post("/", response={201: WorkerOut, **errors(401, 403, 409, 422)}, summary="Register")
def create_worker(request: HttpRequest, payload: WorkerCreate):
    """Registers a worker. A NIK already registered gives 409 with `worker_id` and `worker_url`."""
    data = payload.model_dump()
    source = data.pop("source")
    worker = services.create_worker(
        actor=request.auth,
        data=WorkerInput(**{_input_name(k): v for k, v in data.items()}),
        source=source,
    )
    return Status(201, worker_out(request.auth, selectors.get_worker(request.auth, worker.pk)))


@router.get(
    "/{worker_id}", response={200: WorkerOut, **errors(401, 404)}, url_name="worker", summary="Get"
)
def get_worker(request: HttpRequest, worker_id: int):
    return worker_out(request.auth, _worker_or_404(request.auth, worker_id))


@router.patch("/{worker_id}", response={200: WorkerOut, **errors(401, 403, 404, 409, 422)})
def update_worker(request: HttpRequest, worker_id: int, payload: WorkerPatch):
    """Changes only the fields sent; `reason` is kept in the history."""
    worker = _worker_or_404(request.auth, worker_id)
    changes = payload.model_dump(exclude_unset=True)
    reason = changes.pop("reason", "")
    services.update_worker(
        actor=request.auth,
        worker=worker,
        changes={_input_name(k): v for k, v in changes.items()},
        reason=reason,
    )
    return worker_out(request.auth, _worker_or_404(request.auth, worker_id))


@router.get("/{worker_id}/history", response={200: list[HistoryOut], **errors(401, 404)})
def worker_history(request: HttpRequest, worker_id: int):
    """Every change to the worker, newest first: who, when, before and after, why."""
    worker = _worker_or_404(request.auth, worker_id)
    return [_history_out(request.auth, e) for e in selectors.worker_history(worker)]


# The operation ids the reference routes had in jaring.api.reference: clients name calls after them.
@categories_router.get(
    "/",
    response={200: list[CategoryOut], **errors(401)},
    summary="Categories",
    operation_id="jaring_api_reference_list_categories",
)
def list_categories(request: HttpRequest):
    return [
        {
            "code": c.code,
            "name": str(c),
            "name_id": c.name_id,
            "name_en": c.name_en,
            "ecosystem": c.ecosystem,
        }
        for c in OccupationCategory.objects.all()
    ]


@nik_router.post(
    "/check",
    response={200: list[NikOut], **errors(401, 422)},
    summary="Check NIKs",
    operation_id="jaring_api_reference_check_niks",
)
def check_niks(request: HttpRequest, payload: NikCheckIn):
    """What each NIK says (region, birth date, sex) or why it is not valid; the same objects as
    `jaring nik --json`. It does not say whether a NIK is registered."""
    today = timezone.localdate()
    return [nik.parse(raw, today=today).as_dict() for raw in payload.niks]
