"""Writes to memberships: enrol, verify, submit, activate, reject, end, expire, lapse, renew.

Each function is one use case in one transaction: a bulk action on a filtered list either
changes every membership it selected or none, and every membership changed gets its own audit
event with the actor and the reason.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.utils import timezone

from jaring.accounts.models import User
from jaring.accounts.scope import SYSTEM, in_scope, scope_code, scope_q
from jaring.core import events
from jaring.core.errors import (
    Conflict,
    CoreError,
    DomainError,
    NotFound,
    Problem,
    ValidationFailed,
)
from jaring.core.formats import rupiah
from jaring.enrolment import bulk, eligibility
from jaring.enrolment.errors import EnrolmentError
from jaring.enrolment.lifecycle import ALLOWED, IllegalTransition, sources_of
from jaring.enrolment.models import EndReason, Membership
from jaring.enrolment.models import MembershipStatus as S
from jaring.enrolment.permissions import MEMBERSHIPS
from jaring.enrolment.selectors import programme_budget, regencies_of
from jaring.programs import agreement, budget
from jaring.programs.models import CoverStartRule, Programme, ProgrammeStatus
from jaring.programs.selectors import programmes_for
from jaring.registry.models import Worker
from jaring.rules.months import cover_end

_KPJ = re.compile(r"^\d{8,16}$")


def _nothing_selected() -> ValidationFailed:
    return ValidationFailed(
        Problem(
            EnrolmentError.NOTHING_SELECTED,
            "Tidak ada yang dipilih.",
            "Nothing is selected.",
        )
    )


def _check_programme(actor: User, programme: Programme) -> Programme:
    """The programme, locked: enrolments into it wait for each other (quota, budget)."""
    if not programmes_for(actor).filter(pk=programme.pk).exists():
        # Another region's programme is not found, as on every read (accounts.scope).
        raise NotFound(
            Problem(CoreError.NOT_FOUND, "Program tidak ditemukan.", "Programme not found.")
        )
    programme = Programme.objects.select_for_update().select_related("region").get(pk=programme.pk)
    if programme.status == ProgrammeStatus.CLOSED:
        raise Conflict(
            Problem(
                EnrolmentError.PROGRAMME_CLOSED,
                "Program sudah ditutup; tidak bisa menerima peserta.",
                "The programme is closed; it takes no members.",
            )
        )
    return programme


def _outside(actor: User, qs: QuerySet) -> int:
    """How many of the selected records lie outside the actor's region."""
    if scope_code(actor) is None:  # national: nothing is outside
        return 0
    return qs.exclude(scope_q(actor)).count()


def _not_found(count: int, what_id: str, what_en: str, field: str) -> NotFound:
    """Selected records the actor may not see are not found, as on every read: "outside your
    region" would tell that they exist."""
    return NotFound(
        Problem(
            CoreError.NOT_FOUND,
            f"{count} {what_id} tidak ditemukan.",
            f"{count} {what_en} not found.",
            field=field,
            params={"count": count},
        )
    )


def workers_not_found(count: int) -> NotFound:
    return _not_found(count, "pekerja", "worker(s)", "workers")


def _check_in_scope(actor: User, memberships: QuerySet[Membership]) -> None:
    outside = _outside(actor, memberships)
    if outside:
        raise _not_found(outside, "keanggotaan", "membership(s)", "memberships")


def _ineligible(counts: dict[str, int], programme: Programme) -> Conflict:
    problems = [
        Problem(
            EnrolmentError(f"ineligible_{r.code}"),
            f"{counts[r.code]} pekerja: {r.problem(programme).message_id}",
            f"{counts[r.code]} worker(s): {r.problem(programme).message_en}",
            params={"reason": r.code, "count": counts[r.code]},
        )
        for r in eligibility.REASONS
        if counts[r.code]
    ]
    return Conflict(*problems)


def check_capacity(programme: Programme, new: dict[str, int], *, on: dt.date) -> None:
    """Refuses, with the numbers, an enrolment that would pass a quota or the ceiling."""
    problems = []
    used = eligibility.used_places(programme)
    quotas = {c.category_id: c for c in programme.categories.select_related("category")}
    for code, n in sorted(new.items()):
        taken, quota = used.get(code, 0), quotas[code].quota
        if taken + n > quota:
            problems.append(
                Problem(
                    EnrolmentError.QUOTA_EXCEEDED,
                    f"Kuota {quotas[code].category} {quota}: sudah terisi {taken}, tambah {n} "
                    f"menjadi {taken + n} (lebih {taken + n - quota}).",
                    f"Quota of {code} is {quota}: {taken} taken, adding {n} makes "
                    f"{taken + n} ({taken + n - quota} too many).",
                    field="quota",
                    params={"category": code, "quota": quota, "taken": taken, "adding": n},
                )
            )
    enrolled = programme_budget(programme, on=on).enrolled
    adding = budget.cost_of_new(programme, new, start=agreement.cover_from(programme, on))
    if enrolled + adding > programme.budget_ceiling:
        over = enrolled + adding - programme.budget_ceiling
        problems.append(
            Problem(
                EnrolmentError.BUDGET_EXCEEDED,
                f"Pagu {rupiah(programme.budget_ceiling, 'id')}: terpakai "
                f"{rupiah(enrolled, 'id')}, tambahan {rupiah(adding, 'id')} melebihi pagu "
                f"{rupiah(over, 'id')}.",
                f"Ceiling {rupiah(programme.budget_ceiling, 'en')}: {rupiah(enrolled, 'en')} "
                f"committed, adding {rupiah(adding, 'en')} passes it by {rupiah(over, 'en')}.",
                field="budget_ceiling",
                params={
                    "ceiling": programme.budget_ceiling,
                    "committed": enrolled,
                    "adding": adding,
                },
            )
        )
    if problems:
        raise Conflict(*problems)


def _by_category(workers: QuerySet) -> dict[str, int]:
    rows = workers.order_by().values("category_id").annotate(n=Count("pk"))
    return {r["category_id"]: r["n"] for r in rows}


@dataclass(frozen=True)
class EnrolPreview:
    """What an enrolment would do, asked before it is done (the page's preview, the API's and
    the command's dry run): the same checks as `enrol`, nothing written."""

    selected: int  # workers in the selection
    enrolling: int  # of them, those who would become candidates
    held_back: dict[str, int]  # ineligible workers per reason code (not enrolled)
    cost: int  # what they add to the programme's committed budget, in rupiah
    committed: int  # what is committed already
    ceiling: int
    problems: list[Problem]  # why `enrol` would refuse (empty: it would enrol `enrolling`)

    @property
    def remaining(self) -> int:
        return self.ceiling - self.committed

    @property
    def remaining_after(self) -> int:
        return self.remaining - self.cost


def _plan(
    actor: User,
    programme: Programme,
    workers: QuerySet[Worker],
    *,
    only_eligible: bool,
    on: dt.date,
) -> tuple[QuerySet[Worker], dict[str, int], dict[str, int]]:
    """The workers `enrol` would make candidates, per category, and the eligibility counts;
    refuses what `enrol` refuses except quota and budget (check_capacity)."""
    outside = _outside(actor, workers)
    if outside:
        raise workers_not_found(outside)
    rules = eligibility.judge(programme, on=on)
    counts = rules.counts(workers)
    if counts["total"] == 0:
        raise _nothing_selected()
    if counts["eligible"] < counts["total"] and not only_eligible:
        raise _ineligible(counts, programme)
    chosen = rules.eligible(workers)
    new = _by_category(chosen)
    if not new:
        raise _ineligible(counts, programme)
    return chosen, new, counts


def enrol_preview(
    *,
    actor: User,
    programme: Programme,
    workers: QuerySet[Worker],
    only_eligible: bool = False,
    on: dt.date | None = None,
) -> EnrolPreview:
    """What `enrol` with the same arguments would do, with its cost against the ceiling. A
    refusal of the selection itself (nobody, outside the region, ineligible without
    `only_eligible`) is raised as `enrol` raises it; quota and budget come back as problems."""
    MEMBERSHIPS.check(actor, "enrol")
    on = on or timezone.localdate()
    with transaction.atomic():
        programme = _check_programme(actor, programme)
        _chosen, new, counts = _plan(actor, programme, workers, only_eligible=only_eligible, on=on)
        cost = budget.cost_of_new(programme, new, start=agreement.cover_from(programme, on))
        committed = programme_budget(programme, on=on).enrolled
        try:
            check_capacity(programme, new, on=on)
            problems: list[Problem] = []
        except DomainError as refusal:
            problems = list(refusal.problems)
    return EnrolPreview(
        selected=counts["total"],
        enrolling=sum(new.values()),
        held_back={r.code: counts[r.code] for r in eligibility.REASONS if counts[r.code]},
        cost=cost,
        committed=committed,
        ceiling=programme.budget_ceiling,
        problems=problems,
    )


@transaction.atomic
def enrol(
    *,
    actor: User,
    programme: Programme,
    workers: QuerySet[Worker],
    reason: str = "",
    only_eligible: bool = False,
    on: dt.date | None = None,
) -> int:
    """Makes every selected worker a candidate of `programme`; returns how many.

    A selection with ineligible workers is refused whole (with the count per reason) unless
    `only_eligible`, which enrols the eligible part. Quota and budget are checked first.
    `enrol_preview` tells beforehand what this would do.
    """
    MEMBERSHIPS.check(actor, "enrol")
    on = on or timezone.localdate()
    programme = _check_programme(actor, programme)
    chosen, new, _counts = _plan(actor, programme, workers, only_eligible=only_eligible, on=on)
    check_capacity(programme, new, on=on)
    now = timezone.now()
    # The eligibility subquery must be evaluated before the new rows exist: materialise the
    # selection's ids inside the INSERT … SELECT, then find the new rows by their stamp.
    inserted = bulk.insert_memberships(
        programme_id=programme.pk, workers=chosen, status=S.CANDIDATE, now=now
    )
    bulk.audit_memberships(
        actor=actor,
        memberships=Membership.objects.filter(programme=programme, created_at=now),
        action="membership.enrol",
        after={"status": S.CANDIDATE, "programme": programme.pk},
        reason=reason,
        now=now,
        before_status=False,
    )
    return inserted


def enrol_worker(
    *, actor: User, programme: Programme, worker: Worker, reason: str = ""
) -> Membership:
    enrol(
        actor=actor, programme=programme, workers=Worker.objects.filter(pk=worker.pk), reason=reason
    )
    return Membership.objects.exclude(status=S.ENDED).get(programme=programme, worker=worker)


def _transition(
    *,
    actor: User,
    memberships: QuerySet[Membership],
    target: str,
    reason: str,
    now: dt.datetime,
    after: dict[str, object] | None = None,
    **updates: object,
) -> int:
    """Moves every selected membership to `target`, or none (IllegalTransition, out of scope)."""
    by_status = dict(
        memberships.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    if not by_status:
        raise _nothing_selected()
    illegal = {s: n for s, n in by_status.items() if target not in ALLOWED[s]}
    if illegal:
        raise IllegalTransition(target, illegal)
    _check_in_scope(actor, memberships)
    selected = Membership.objects.filter(pk__in=memberships.order_by().values("pk"))
    bulk.audit_memberships(
        actor=actor,
        memberships=selected,
        action=f"membership.{target}",
        after={"status": target, **(after or {})},
        reason=reason,
        now=now,
    )
    changed = selected.filter(status__in=sources_of(target)).update(
        status=target, status_changed_at=now, updated_at=now, **updates
    )
    events.memberships_changed.send(sender="enrolment", regencies=regencies_of(selected))
    if changed != sum(by_status.values()):
        raise _changed_meanwhile()
    return changed


def _changed_meanwhile() -> Conflict:
    # Another officer moved some of the selected memberships after they were read.
    return Conflict(
        Problem(
            EnrolmentError.CHANGED_MEANWHILE,
            "Sebagian data berubah saat diproses; tidak ada yang diubah. Coba lagi.",
            "Some memberships changed meanwhile; nothing was changed. Try again.",
        )
    )


@transaction.atomic
def verify(*, actor: User, memberships: QuerySet[Membership], reason: str = "") -> int:
    MEMBERSHIPS.check(actor, "verify")
    return _transition(
        actor=actor, memberships=memberships, target=S.VERIFIED, reason=reason, now=timezone.now()
    )


@transaction.atomic
def mark_submitted(*, actor: User, memberships: QuerySet[Membership], reason: str = "") -> int:
    """Called by the BPJS exchange when a batch file is made; the batch lines link each
    membership to its batch, and `reason` names the batch in the audit."""
    MEMBERSHIPS.check(actor, "submit")
    agreement.check_cover_can_start(
        Programme.objects.filter(pk__in=memberships.values("programme_id")), "submit"
    )
    return _transition(
        actor=actor,
        memberships=memberships,
        target=S.SUBMITTED,
        reason=reason,
        now=timezone.now(),
    )


@transaction.atomic
def end(*, actor: User, memberships: QuerySet[Membership], end_reason: str, note: str = "") -> int:
    MEMBERSHIPS.check(actor, "end")
    if end_reason not in EndReason.values:
        raise ValidationFailed(
            Problem(
                EnrolmentError.END_REASON_UNKNOWN,
                f"Alasan berakhir '{end_reason}' tidak dikenal; yang sah: "
                f"{', '.join(EndReason.values)}.",
                f"Unknown end reason '{end_reason}'; choose from: {', '.join(EndReason.values)}.",
                field="end_reason",
            )
        )
    return _transition(
        actor=actor,
        memberships=memberships,
        target=S.ENDED,
        reason=note or end_reason,
        now=timezone.now(),
        after={"end_reason": end_reason},
        end_reason=end_reason,
        end_note=note.strip(),
    )


@transaction.atomic
def expire_lapsed(
    *, actor: User, on: dt.date | None = None, programme: Programme | None = None
) -> int:
    """Active memberships whose cover ended before `on` become expired; returns how many."""
    MEMBERSHIPS.check(actor, "expire")
    on = on or timezone.localdate()
    lapsed = Membership.objects.filter(scope_q(actor), status=S.ACTIVE, end_date__lt=on)
    if programme is not None:
        lapsed = lapsed.filter(programme=programme)
    if not lapsed.exists():
        return 0
    return _transition(
        actor=actor,
        memberships=lapsed,
        target=S.EXPIRED,
        reason=f"cover ended before {on.isoformat()}",
        now=timezone.now(),
    )


def expire_daily(on: dt.date) -> dict[str, int]:
    """The daily job (core.daily): every active membership whose cover ended before `on`."""
    return {"expired": expire_lapsed(actor=SYSTEM, on=on)}


@dataclass(frozen=True, slots=True)
class Lapse:
    """Active memberships whose contributions went unpaid too long: cover ends on `end_date`."""

    membership_ids: Sequence[int]
    end_date: dt.date
    note: str


# Memberships per statement: the id list stays far below SQLite's parameter limit.
_LAPSE_CHUNK = 5000


@transaction.atomic
def lapse(*, actor: User | None, lapses: Sequence[Lapse]) -> None:
    """Ends each lapse's active memberships ("berakhir", reason lapsed) on its end date.

    Set-based: one audit statement and one update per chunk of memberships, one audit event
    per membership, one announcement for all. Contributions decides who lapses under the
    arrears rule and has checked the actor (None: the scheduled monthly run).
    """
    now = timezone.now()
    ended: list[int] = []
    for group in lapses:
        ids = list(group.membership_ids)
        for i in range(0, len(ids), _LAPSE_CHUNK):
            chunk = Membership.objects.filter(pk__in=ids[i : i + _LAPSE_CHUNK])
            bulk.audit_memberships(
                actor=actor,
                memberships=chunk,
                action=f"membership.{S.ENDED}",
                after={
                    "status": S.ENDED,
                    "end_reason": EndReason.LAPSED,
                    "end_date": group.end_date.isoformat(),
                },
                reason=group.note,
                now=now,
            )
            chunk.filter(status=S.ACTIVE).update(
                status=S.ENDED,
                end_reason=EndReason.LAPSED,
                end_note=group.note,
                end_date=group.end_date,
                status_changed_at=now,
                updated_at=now,
            )
        ended += ids
    if ended:
        regencies = regencies_of(bulk.among(Membership.objects.all(), "pk", ended))
        events.memberships_changed.send(sender="enrolment", regencies=regencies)


# --- BPJS answers: activation and rejection -------------------------------------------------


@dataclass(frozen=True, slots=True)
class Acceptance:
    """BPJS accepted a membership: the KPJ it gave and the date it accepted the worker."""

    membership_id: int
    kpj: str
    accepted_on: dt.date | None


@dataclass(frozen=True, slots=True)
class Refusal:
    """BPJS refused a membership, and why."""

    membership_id: int
    reason: str


class RowsRefused(DomainError):
    """Some answers of a bulk call are refused; nothing was changed.

    `errors` maps the position of each refused answer to the error that answer alone would
    have raised from `activate` or `reject_submission`.
    """

    def __init__(self, errors: dict[int, DomainError]):
        statuses = {e.status for e in errors.values()}
        if len(statuses) == 1:  # one kind of refusal: its status (404 for rows not found)
            self.status = statuses.pop()
        super().__init__(*(p for e in errors.values() for p in e.problems))
        self.errors = errors
        if statuses:  # refusals of different kinds
            self.status = ValidationFailed.status


_MEMBER_FIELDS = (
    "pk",
    "status",
    "kpj",
    "start_date",
    "end_date",
    "rejection_reason",
    "worker_id",
    "programme_id",
    "village_id",
    "months",
)


class _Books:
    """What the database holds for a set of answers, kept up to date answer by answer.

    Answer n is judged against the database plus answers 1…n-1, exactly as a sequence of
    single activations would be, but with a handful of queries for the whole set.
    """

    def __init__(self, ids: list[int], kpjs: set[str] | None = None):
        """The members `ids`, locked; for an activation (`kpjs` given) also who holds those
        KPJ numbers, the members' workers' active cover and the cover a renewal continues."""
        # Locked like the programme rows below: concurrent answers for the same members or
        # the same programme's KPJ numbers wait for each other.
        members = Membership.objects.select_for_update().order_by().values(*_MEMBER_FIELDS)
        self.members = {m["pk"]: m for m in bulk.among(members, "pk", ids)}
        own = {m["programme_id"] for m in self.members.values()}
        self.programmes = {
            p.pk: p for p in Programme.objects.select_for_update().filter(pk__in=own)
        }
        self.by_kpj: dict[str, dict[int, tuple[int, int]]] = defaultdict(dict)
        self.covers: dict[int, list[tuple[int, int, dt.date, dt.date]]] = defaultdict(list)
        self.previous_end: dict[int, dt.date | None] = {}
        if kpjs is None:
            return
        plain = Membership.objects.order_by()
        for pk, kpj, worker_id, programme_id in bulk.among(
            plain.values_list("pk", "kpj", "worker_id", "programme_id"), "kpj", kpjs
        ):
            self.by_kpj[kpj][pk] = (worker_id, programme_id)
        for pk, worker_id, programme_id, start, end in bulk.among(
            plain.filter(status=S.ACTIVE).values_list(
                "pk", "worker_id", "programme_id", "start_date", "end_date"
            ),
            "worker_id",
            {m["worker_id"] for m in self.members.values()},
        ):
            self.covers[worker_id].append((pk, programme_id, start, end))
        renewed = Membership.objects.order_by(*Membership._meta.ordering)
        for renewed_to, end in bulk.among(
            renewed.values_list("renewed_to_id", "end_date"), "renewed_to_id", self.members
        ):
            self.previous_end.setdefault(renewed_to, end)
        others = {p for held in self.by_kpj.values() for _, p in held.values()}
        others |= {p for covers in self.covers.values() for _, p, _, _ in covers}
        self.programmes.update((p.pk, p) for p in Programme.objects.filter(pk__in=others - own))

    def order(self, programme_id: int, pk: int) -> tuple:
        """Membership's default order (programme's own ordering, then id), for `.first()`."""
        p = self.programmes[programme_id]
        return (-p.fiscal_year, p.name, p.pk, pk)

    def member(self, actor: User, membership_id: int) -> dict:
        """The membership, if there is one the actor may see: another region's is not found,
        as on every read."""
        m = self.members.get(membership_id)
        if m is None or not in_scope(actor, m["village_id"]):
            raise NotFound(
                Problem(
                    CoreError.NOT_FOUND, "Keanggotaan tidak ditemukan.", "Membership not found."
                )
            )
        return m

    def take(self, m: dict, change: bulk.Change) -> None:
        """The answer is accepted: later answers see it as if it were saved."""
        if m["kpj"]:
            self.by_kpj[m["kpj"]].pop(m["pk"], None)
        if change.kpj:
            self.by_kpj[change.kpj][m["pk"]] = (m["worker_id"], m["programme_id"])
        if change.status == S.ACTIVE:
            self.covers[m["worker_id"]].append(
                (m["pk"], m["programme_id"], change.start_date, change.end_date)
            )
        m.update(
            status=change.status,
            kpj=change.kpj,
            start_date=change.start_date,
            end_date=change.end_date,
            rejection_reason=change.rejection_reason,
        )


def _kpj_problems(books: _Books, m: dict, kpj: str) -> list[Problem]:
    if not _KPJ.match(kpj):
        return [
            Problem(
                EnrolmentError.KPJ_INVALID,
                "Nomor KPJ harus 8–16 digit angka.",
                "A KPJ number has 8 to 16 digits.",
                field="kpj",
            )
        ]
    held = books.by_kpj.get(kpj, {})
    others = [(pk, w, p) for pk, (w, p) in held.items() if w != m["worker_id"]]
    if others:
        _, worker_id, _ = min(others, key=lambda h: books.order(h[2], h[0]))
        return [
            Problem(
                EnrolmentError.KPJ_TAKEN,
                f"Nomor KPJ {kpj} sudah dipakai pekerja lain.",
                f"KPJ {kpj} already belongs to another worker.",
                field="kpj",
                params={"worker_id": worker_id},
            )
        ]
    if any(p == m["programme_id"] and pk != m["pk"] for pk, (_, p) in held.items()):
        return [
            Problem(
                EnrolmentError.KPJ_TAKEN,
                f"Nomor KPJ {kpj} sudah dipakai di program ini.",
                f"KPJ {kpj} is already used in this programme.",
                field="kpj",
            )
        ]
    return []


def _start_of_cover(
    programme: Programme, accepted_on: dt.date | None, previous_end: dt.date | None
) -> dt.date:
    if programme.cover_start_rule == CoverStartRule.PKS_DATE and programme.pks_date:
        start = programme.pks_date
    elif accepted_on is None:
        raise ValidationFailed(
            Problem(
                EnrolmentError.START_DATE_REQUIRED,
                "Tanggal diterima BPJS wajib diisi: perlindungan program ini mulai saat diterima.",
                "The acceptance date is required: this programme's cover starts on acceptance.",
                field="start_date",
            )
        )
    else:
        start = accepted_on
    if previous_end and previous_end >= start:
        # A renewal continues the old cover without a gap and without paying a day twice.
        start = previous_end + dt.timedelta(days=1)
    return start


def _overlap_problem(books: _Books, m: dict, start: dt.date, end: dt.date) -> Problem | None:
    overlaps = [
        (pk, p, e)
        for pk, p, s, e in books.covers.get(m["worker_id"], ())
        if pk != m["pk"] and s <= end and e >= start
    ]
    if not overlaps:
        return None
    pk, programme_id, until = min(overlaps, key=lambda o: books.order(o[1], o[0]))
    programme = books.programmes[programme_id]
    return Problem(
        EnrolmentError.COVER_OVERLAP,
        f"Pekerja ini sudah dilindungi {programme} sampai {until:%d-%m-%Y}; masa perlindungan "
        "tidak boleh tumpang tindih.",
        f"This worker is already covered by {programme} until {until:%Y-%m-%d}; cover periods "
        "cannot overlap.",
        params={"membership_id": pk},
    )


def _change(m: dict, before: dict[str, object], reason: str, **new: object) -> bulk.Change:
    """The membership `m` with `new` applied, and its audit: only the fields that changed."""
    state = {k: m[k] for k in ("status", "kpj", "start_date", "end_date", "rejection_reason")}
    state.update(new)
    after = {
        "status": state["status"],
        "kpj": state["kpj"],
        "start_date": state["start_date"].isoformat() if state["start_date"] else None,
        "end_date": state["end_date"].isoformat() if state["end_date"] else None,
        "rejection_reason": state["rejection_reason"],
    }
    return bulk.Change(
        membership_id=m["pk"],
        region_code=m["village_id"],
        before={k: v for k, v in before.items() if after.get(k) != v},
        after={k: v for k, v in after.items() if before.get(k) != v},
        reason=reason,
        **state,
    )


def _activation(actor: User, books: _Books, answer: Acceptance) -> tuple[dict, bulk.Change]:
    m = books.member(actor, answer.membership_id)
    if S.ACTIVE not in ALLOWED[m["status"]]:
        raise IllegalTransition(S.ACTIVE, {m["status"]: 1})
    kpj = (answer.kpj or "").strip()
    problems = _kpj_problems(books, m, kpj)
    if problems:
        raise (
            Conflict(*problems)
            if problems[0].code == EnrolmentError.KPJ_TAKEN
            else ValidationFailed(*problems)
        )
    programme = books.programmes[m["programme_id"]]
    start = _start_of_cover(programme, answer.accepted_on, books.previous_end.get(m["pk"]))
    end_date = cover_end(start, m["months"])
    overlap = _overlap_problem(books, m, start, end_date)
    if overlap:
        raise Conflict(overlap)
    before = {"status": m["status"], "kpj": m["kpj"], "start_date": None, "end_date": None}
    return m, _change(
        m,
        before,
        f"Diterima BPJS, KPJ {kpj}",
        status=S.ACTIVE,
        kpj=kpj,
        start_date=start,
        end_date=end_date,
        rejection_reason="",
    )


def _rejection(actor: User, books: _Books, answer: Refusal) -> tuple[dict, bulk.Change]:
    reason = answer.reason.strip()
    if not reason:
        raise ValidationFailed(
            Problem(
                EnrolmentError.REASON_REQUIRED,
                "Alasan penolakan wajib diisi.",
                "The reason for the rejection is required.",
                field="reason",
            )
        )
    m = books.member(actor, answer.membership_id)
    if m["status"] != S.SUBMITTED:
        raise IllegalTransition(S.CANDIDATE, {m["status"]: 1})
    before = {"status": m["status"], "rejection_reason": m["rejection_reason"]}
    return m, _change(m, before, reason, status=S.CANDIDATE, rejection_reason=reason)


def _answer_all(
    actor: User, books: _Books, answers: Sequence, judge, action: str
) -> list[bulk.Change]:
    """Judges every answer in order, then writes all of them or raises RowsRefused."""
    errors: dict[int, DomainError] = {}
    changes: list[bulk.Change] = []
    for i, answer in enumerate(answers):
        try:
            m, change = judge(actor, books, answer)
        except DomainError as exc:
            errors[i] = exc
            continue
        books.take(m, change)
        changes.append(change)
    if errors:
        raise RowsRefused(errors)
    changed = bulk.apply_changes(
        actor=actor, changes=changes, action=action, source=S.SUBMITTED, now=timezone.now()
    )
    events.memberships_changed.send(
        sender="enrolment", regencies={c.region_code[:5] for c in changes}
    )
    if changed != len(changes):
        raise _changed_meanwhile()
    return changes


@transaction.atomic
def activate_many(*, actor: User, rows: Sequence[Acceptance]) -> list[bulk.Change]:
    """BPJS accepted these memberships: each gets its KPJ and cover period, all or none.

    The rules of `activate`, applied in order as if one call followed another (a KPJ the
    third row takes is taken for the fourth); one audit event per membership. Returns each
    row's new state (`start_date`, `end_date`) in row order.
    """
    MEMBERSHIPS.check(actor, "activate")
    kpjs = {(r.kpj or "").strip() for r in rows} - {""}
    books = _Books([r.membership_id for r in rows], kpjs)
    return _answer_all(actor, books, rows, _activation, "membership.active")


@transaction.atomic
def reject_many(*, actor: User, rows: Sequence[Refusal]) -> int:
    """BPJS refused these memberships: back to candidate with the reason, all or none."""
    MEMBERSHIPS.check(actor, "reject")
    books = _Books([r.membership_id for r in rows])
    return len(_answer_all(actor, books, rows, _rejection, "membership.rejected"))


def _only(bulk_call, *, actor: User, row: Acceptance | Refusal) -> None:
    try:
        bulk_call(actor=actor, rows=[row])
    except RowsRefused as exc:
        raise exc.errors[0] from None


def activate(
    *, actor: User, membership: Membership, kpj: str, start_date: dt.date | None
) -> Membership:
    """BPJS accepted the worker: record the KPJ and the cover period.

    `start_date` is the acceptance date; a programme whose cover follows the PKS starts there.
    """
    _only(activate_many, actor=actor, row=Acceptance(membership.pk, kpj, start_date))
    return _reloaded(membership)


def reject_submission(*, actor: User, membership: Membership, reason: str) -> Membership:
    """BPJS refused the worker: back to candidate with the reason, to fix and verify again."""
    _only(reject_many, actor=actor, row=Refusal(membership.pk, reason))
    return _reloaded(membership)


def _reloaded(membership: Membership) -> Membership:
    return Membership.objects.select_related("programme", "worker").get(pk=membership.pk)


@transaction.atomic
def renew(
    *,
    actor: User,
    memberships: QuerySet[Membership],
    into: Programme,
    reason: str = "",
    on: dt.date | None = None,
) -> int:
    """Each active or expired membership continues in `into` (next year's programme).

    The new memberships start verified (the worker was checked last year and is judged again
    now); the old ones become renewed and point to them. All or nothing, like enrolment.
    """
    MEMBERSHIPS.check(actor, "renew")
    on = on or timezone.localdate()
    into = _check_programme(actor, into)
    agreement.check_cover_can_start([into], "renew")
    by_status = dict(
        memberships.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    if not by_status:
        raise _nothing_selected()
    illegal = {s: n for s, n in by_status.items() if S.RENEWED not in ALLOWED[s]}
    if illegal:
        raise IllegalTransition(S.RENEWED, illegal)
    if memberships.filter(programme=into).exists():
        raise Conflict(
            Problem(
                EnrolmentError.RENEW_INTO_SAME,
                "Keanggotaan tidak bisa diperpanjang ke program yang sama.",
                "A membership cannot be renewed into its own programme.",
            )
        )
    _check_in_scope(actor, memberships)
    sources = Membership.objects.filter(pk__in=memberships.order_by().values("pk"))
    workers = Worker.objects.filter(pk__in=sources.values("worker_id"))
    if workers.count() != sum(by_status.values()):
        raise Conflict(
            Problem(
                EnrolmentError.RENEW_WORKER_TWICE,
                "Satu pekerja terpilih lebih dari sekali.",
                "A worker is selected more than once.",
            )
        )
    counts = eligibility.judge(into, on=on, ignore_memberships=sources).counts(workers)
    if counts["eligible"] < counts["total"]:
        raise _ineligible(counts, into)
    check_capacity(into, _by_category(workers), on=on)
    now = timezone.now()
    bulk.insert_memberships(programme_id=into.pk, workers=workers, status=S.VERIFIED, now=now)
    bulk.audit_memberships(
        actor=actor,
        memberships=Membership.objects.filter(programme=into, created_at=now),
        action="membership.enrol",
        after={"status": S.VERIFIED, "programme": into.pk, "renewal": True},
        reason=reason or "renewal",
        now=now,
        before_status=False,
    )
    successor = Membership.objects.filter(
        programme=into, worker_id=OuterRef("worker_id"), created_at=now
    ).values("pk")[:1]
    return _transition(
        actor=actor,
        memberships=sources,
        target=S.RENEWED,
        reason=reason or f"renewed into {into}",
        now=now,
        after={"renewed_into": into.pk},
        renewed_to=Subquery(successor),
    )
