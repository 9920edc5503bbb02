"""The review queue over the API: list, one pair, merge, mark distinct, start a run, its status."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from jaring.core.api.schemas import Strict, errors
from jaring.core.rehearsal import rehearse
from jaring.dedupe import selectors, services
from jaring.dedupe.explain import describe, relatives
from jaring.dedupe.models import DedupeRun, ProbableDuplicate

router = Router(tags=["duplicates"])


class RecordOut(Schema):
    kind: str = Field(description="worker or import_row")
    id: int
    batch: int | None = None
    row: int | None = None
    nik: str = Field(description="masked (6172********0001) for viewers")
    full_name: str
    birth_date: dt.date | None
    sex: str
    sex_text: str = Field(description="the sex in words, in the user's language")
    village_code: str
    village_name: str
    phone: str
    address: str
    merged_into: int | None


class EvidenceOut(Schema):
    comparison: str
    comparison_text: str
    label: str
    label_text: str
    agreement: str = Field(description="agree, partial, disagree or unknown")
    weight: float = Field(description="log2 Bayes factor this comparison adds")


class PairOut(Schema):
    id: int
    status: str
    match_probability: float
    match_weight: float
    batch: int | None
    records: list[RecordOut]
    explanation: list[EvidenceOut]
    relatives: bool = Field(description="same phone or address under another name")
    model: str | None = Field(description="the model that scored the pair")
    found_at: dt.datetime
    decided_at: dt.datetime | None
    decided_by: str | None
    kept: int | None
    note: str


class PairPage(Schema):
    count: int
    page: int
    pages: int
    results: list[PairOut]


class QueueQuery(Schema):
    status: str = "pending"
    kind: str = Field("", description="'', workers or import")
    min_probability: float | None = None
    district: str = ""
    batch: int | None = None
    page: int = 1
    page_size: int = 50


class MergeIn(Strict):
    keep: int | None = Field(None, description="worker to keep (default: the older record)")
    note: str = ""
    dry_run: bool = Field(
        False, description="answer the pair as the merge would leave it; change nothing"
    )


class DistinctIn(Strict):
    note: str = ""


class DedupeRunIn(Strict):
    threshold: float | None = None
    retrain: bool = False


class RunModelOut(Schema):
    id: int
    trained_at: dt.datetime
    record_count: int
    backend: str
    kind: str
    description: str
    retrained: bool = Field(description="trained on the registry by this run")


class RunSummaryOut(Schema):
    """What a finished run found; every field is null until it has finished."""

    pairs_found: int | None = None
    new_pairs: int | None = None
    already_queued: int | None = None
    already_decided: int | None = None
    records: int | None = Field(None, description="workers compared")
    threshold: float | None = None
    model: RunModelOut | None = None
    timings: dict[str, float] = Field(default_factory=dict, description="seconds per step")


class DedupeRunOut(Schema):
    id: int
    status: str
    threshold: float
    retrain: bool
    created_at: dt.datetime
    finished_at: dt.datetime | None
    summary: RunSummaryOut
    error: str


def pair_out(user, pair: ProbableDuplicate) -> PairOut:
    return PairOut(
        id=pair.pk,
        status=pair.status,
        match_probability=pair.match_probability,
        match_weight=pair.match_weight,
        batch=pair.batch_id,
        records=selectors.records(user, pair),
        explanation=[describe(e) for e in pair.explanation],
        relatives=relatives(pair.explanation),
        model=str(pair.model.description) if pair.model else None,
        found_at=pair.found_at,
        decided_at=pair.decided_at,
        decided_by=pair.decided_by.username if pair.decided_by else None,
        kept=pair.kept_id,
        note=pair.note,
    )


def run_out(run: DedupeRun) -> DedupeRunOut:
    return DedupeRunOut(
        id=run.pk,
        status=run.status,
        threshold=run.threshold,
        retrain=run.retrain,
        created_at=run.created_at,
        finished_at=run.finished_at,
        summary=run.summary,
        error=run.error,
    )


@router.get("/", response={200: PairPage, **errors(401)}, summary="The review queue")
def queue(request: HttpRequest, query: Query[QueueQuery]):
    found = selectors.queue(
        request.auth,
        selectors.PairFilter(
            status=query.status,
            kind=query.kind,
            min_probability=query.min_probability,
            district=query.district,
            batch=query.batch,
        ),
    )
    size = max(1, min(query.page_size, 500))
    count = found.count()
    page = max(1, query.page)
    chosen = found[(page - 1) * size : page * size]
    return PairPage(
        count=count,
        page=page,
        pages=-(-count // size),
        results=[pair_out(request.auth, p) for p in chosen],
    )


@router.get("/runs/latest", response={200: DedupeRunOut | None, **errors(401)}, summary="Last run")
def latest_run(request: HttpRequest):
    run = selectors.latest_run()
    return run_out(run) if run else None


@router.get(
    "/runs/{run_id}", response={200: DedupeRunOut, **errors(401, 404)}, summary="Run status"
)
def run_status(request: HttpRequest, run_id: int):
    return run_out(selectors.get_run(run_id))


@router.post(
    "/runs",
    response={202: DedupeRunOut, **errors(401, 403, 422)},
    summary="Start detection over the whole registry (in the background)",
)
def start_run(request: HttpRequest, body: DedupeRunIn):
    run = services.start_run(actor=request.auth, threshold=body.threshold, retrain=body.retrain)
    return Status(202, run_out(run))


@router.get("/{pair_id}", response={200: PairOut, **errors(401, 404)}, summary="One pair")
def pair(request: HttpRequest, pair_id: int):
    return pair_out(request.auth, selectors.get_pair(request.auth, pair_id))


@router.post(
    "/{pair_id}/merge",
    response={200: PairOut, **errors(401, 403, 404, 409, 422)},
    summary="Same person: keep one worker, the other is marked merged into it",
)
def merge(request: HttpRequest, pair_id: int, body: MergeIn):
    def merged():
        services.merge(actor=request.auth, pair_id=pair_id, keep=body.keep, note=body.note)
        return pair_out(request.auth, selectors.get_pair(request.auth, pair_id))

    # A dry run: the merge rehearsed (core.rehearsal), its refusals as the real call's.
    return rehearse(merged) if body.dry_run else merged()


@router.post(
    "/{pair_id}/distinct",
    response={200: PairOut, **errors(401, 403, 404, 409)},
    summary="Different people: remembered, never asked again",
)
def distinct(request: HttpRequest, pair_id: int, body: DistinctIn):
    services.mark_distinct(actor=request.auth, pair_id=pair_id, note=body.note)
    return pair_out(request.auth, selectors.get_pair(request.auth, pair_id))
