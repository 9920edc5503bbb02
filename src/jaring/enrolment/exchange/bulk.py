"""Set-based writes of batch lines: a batch's lines in one INSERT, a response's answers in one
UPDATE.

A batch holds up to a city's 100,000 members; one ORM save per line would take minutes. The rows
travel as one JSON parameter the database unpacks (`enrolment.bulk.rows_table`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import connection

from jaring.enrolment.bulk import rows_table
from jaring.enrolment.exchange.models import BatchLine, LineOutcome

# A line's answer as saved: id, outcome, kpj, reason, cover start.
Answer = tuple[int, str, str, str, dt.date | None]


def insert_lines(*, batch_id: int, lines: Iterable[tuple[int, str, str]]) -> None:
    """The batch's lines, pending: (membership id, NIK, the row as sent in JSON text)."""
    column = BatchLine._meta.get_field
    values, params = rows_table([column("membership"), column("nik"), column("row")], lines)
    stored_row = connection.ops.quote_name("row")
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {BatchLine._meta.db_table} (batch_id, membership_id, nik, {stored_row}, "
            f"outcome, kpj, reason, start_date, response_id) "
            f"SELECT %s, membership_id, nik, {stored_row}, %s, '', '', NULL, NULL FROM {values}",
            [batch_id, LineOutcome.PENDING, *params],
        )


def save_answers(*, response_id: int, answers: Iterable[Answer]) -> None:
    """Each line's answer from the response `response_id`, in one statement."""
    ops, table, column = connection.ops, BatchLine._meta.db_table, BatchLine._meta.get_field
    values, params = rows_table(
        [column(f) for f in ("id", "outcome", "kpj", "reason", "start_date")],
        [(pk, o, kpj, r, ops.adapt_datefield_value(s)) for pk, o, kpj, r, s in answers],
    )
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {table} SET outcome = v.outcome, kpj = v.kpj, reason = v.reason, "
            f"start_date = v.start_date, response_id = %s FROM {values} WHERE {table}.id = v.id",
            [response_id, *params],
        )
