"""Many self-payments at once: a bank's auto-debit results (hundreds of thousands a month).

`pay_many` checks every row against the cover and its unpaid months (one query per chunk of
covers), then writes with a handful of statements whatever the count: the rows staged in a
temporary table (COPY / executemany, core.table_load), the payments one INSERT … SELECT, their
ids read back by the unique (channel, reference), the months and covers one UPDATE … FROM each,
one audit event per cover (`audit.record_many`). A row whose months were already paid (by cash,
by another file) or whose amount is not what they cost is not applied and comes back with why.
Same rules as `services.record_payment`: months paid in order, arrears first; cover without a
gap when the first month was paid by its due date.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl
from django.db import connection
from django.utils import timezone

from jaring.accounts import audit
from jaring.accounts.scope import Actor, as_user
from jaring.continuity.models import (
    CoverStatus,
    MonthStatus,
    SelfPayCover,
    SelfPayment,
    SelfPayMonth,
)
from jaring.continuity.permissions import CONTINUITY
from jaring.core import events
from jaring.core.table_load import load_frame
from jaring.rules.contributions import contribution_month_start

CHUNK = 20_000
_STAGE = "jaring_selfpay_stage"


@dataclass(frozen=True, slots=True)
class BulkPayment:
    cover_id: int
    first_period: int
    last_period: int
    amount: int
    reference: str
    paid_on: dt.date


# Why a row was not applied.
ALREADY_PAID = "already_paid"
NOT_ACTIVE = "cover_not_active"
AMOUNT = "amount_mismatch"


def _check(rows: Sequence[BulkPayment]) -> tuple[list[dict], dict[int, str]]:
    """The rows to apply (with the cover's new dates) and why the others are not."""
    ok: list[dict] = []
    refused: dict[int, str] = {}
    seen: set[int] = set()  # a cover paid once per call: a second row would pay its months twice
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        ids = [r.cover_id for r in chunk]
        covers = {
            c[0]: c
            for c in SelfPayCover.objects.filter(pk__in=ids).values_list(
                "id",
                "start_date",
                "covered_from",
                "paid_through",
                "status",
                "regency_code",
                "village_id",
            )
        }
        due: dict[int, dict[int, tuple[dt.date, int]]] = defaultdict(dict)
        for cover, period, due_date, amount in SelfPayMonth.objects.filter(
            cover_id__in=ids, status=MonthStatus.DUE
        ).values_list("cover_id", "period", "due_date", "amount"):
            due[cover][period] = (due_date, amount)
        for i, r in enumerate(chunk, start):
            c = covers.get(r.cover_id)
            if r.cover_id in seen:
                refused[i] = ALREADY_PAID
                continue
            if c is None or c[4] != CoverStatus.ACTIVE:
                refused[i] = NOT_ACTIVE
                continue
            _, begins, covered_from, paid_through, _, regency, village = c
            if paid_through >= r.first_period:
                refused[i] = ALREADY_PAID
                continue
            months = due[r.cover_id]
            periods = range(r.first_period, r.last_period + 1)
            if r.first_period != paid_through + 1 or any(p not in months for p in periods):
                refused[i] = ALREADY_PAID if r.first_period <= paid_through else AMOUNT
                continue
            if sum(months[p][1] for p in periods) != r.amount:
                refused[i] = AMOUNT
                continue
            first_due = months[r.first_period][0]
            seen.add(r.cover_id)
            ok.append(
                {
                    "cover_id": r.cover_id,
                    "reference": r.reference,
                    "amount": r.amount,
                    "paid_on": r.paid_on,
                    "first_period": r.first_period,
                    "last_period": r.last_period,
                    "regency_code": regency,
                    "village_id": village,
                    "covered_from": covered_from
                    or (begins if r.paid_on <= first_due else r.paid_on),
                    "covered_through": contribution_month_start(begins, r.last_period + 1)
                    - dt.timedelta(days=1),
                    "before": paid_through,
                }
            )
    return ok, refused


def pay_many(
    *, actor: Actor, channel: str, rows: Sequence[BulkPayment], note: str = ""
) -> dict[int, str]:
    """Applies the rows it can, inside the caller's transaction; returns {row index: why not}
    for the others."""
    CONTINUITY.check(actor, "pay")
    ok, refused = _check(rows)
    if not ok:
        return refused
    p, m, c = SelfPayment._meta.db_table, SelfPayMonth._meta.db_table, SelfPayCover._meta.db_table
    frame = pl.DataFrame(
        {
            "cover_id": [r["cover_id"] for r in ok],
            "reference": [r["reference"] for r in ok],
            "amount": [r["amount"] for r in ok],
            "paid_on": [r["paid_on"] for r in ok],
            "first_period": [r["first_period"] for r in ok],
            "last_period": [r["last_period"] for r in ok],
            "regency_code": [r["regency_code"] for r in ok],
            "covered_from": [r["covered_from"] for r in ok],
            "covered_through": [r["covered_through"] for r in ok],
        },
        schema_overrides={"cover_id": pl.Int64, "amount": pl.Int64},
    )
    now = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    user = as_user(actor)
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {_STAGE}")
        cur.execute(
            f"CREATE TEMPORARY TABLE {_STAGE} (cover_id bigint, reference varchar(100), "
            "amount bigint, paid_on date, first_period integer, last_period integer, "
            "regency_code varchar(5), covered_from date, covered_through date, "
            "payment_id bigint)"
        )
        load_frame(cur, _STAGE, frame)
        # Without it an UPDATE … FROM may walk the stage once per cover (SQLite's planner).
        cur.execute(f"CREATE INDEX {_STAGE}_cover ON {_STAGE} (cover_id)")
        cur.execute(
            f"INSERT INTO {p} (cover_id, channel, reference, paid_on, amount, first_period, "
            "last_period, note, regency_code, recorded_by_id, recorded_at) "
            f"SELECT cover_id, %s, reference, paid_on, amount, first_period, last_period, %s, "
            f"regency_code, %s, %s FROM {_STAGE}",
            [channel, note, user.pk if user else None, stamp],
        )
        cur.execute(
            f"UPDATE {_STAGE} SET payment_id = (SELECT x.id FROM {p} x WHERE x.channel = %s "
            f"AND x.reference = {_STAGE}.reference)",
            [channel],
        )
        cur.execute(
            f"UPDATE {m} SET status = %s, payment_id = s.payment_id FROM {_STAGE} s "
            f"WHERE {m}.cover_id = s.cover_id AND {m}.status = %s "
            f"AND {m}.period BETWEEN s.first_period AND s.last_period",
            [MonthStatus.PAID, MonthStatus.DUE],
        )
        cur.execute(
            f"UPDATE {c} SET paid_through = s.last_period, covered_from = s.covered_from, "
            f"covered_through = s.covered_through, updated_at = %s FROM {_STAGE} s "
            f"WHERE {c}.id = s.cover_id",
            [stamp],
        )
        cur.execute(f"DROP TABLE {_STAGE}")
    audit.record_many(
        actor=actor,
        action="selfpay.paid",
        model=SelfPayCover,
        changes=(
            audit.Change(
                target_id=r["cover_id"],
                region_code=r["village_id"],
                before={"paid_through_period": r["before"]},
                after={
                    "paid_through_period": r["last_period"],
                    "covered_through": r["covered_through"].isoformat(),
                    "amount": r["amount"],
                    "reference": r["reference"],
                    "channel": channel,
                },
                reason=note,
            )
            for r in ok
        ),
        at=now,
    )
    events.memberships_changed.send(sender="continuity", regencies={r["regency_code"] for r in ok})
    return refused
