"""The bulk writers store exactly what `record` stores, event for event."""

import datetime as dt

import pytest
from django.db.models import F, JSONField, Value
from django.db.models.functions import JSONObject
from django.utils import timezone

from jaring.accounts import audit
from jaring.accounts.models import AuditEvent, Role, User
from tests.factories import PASIRAN, make_user

_COLUMNS = ("actor_id", "action", "target_type", "target_id", "region_code", "before", "after")


def _written(since: int) -> list[dict]:
    return list(AuditEvent.objects.filter(pk__gt=since).order_by("pk").values(*_COLUMNS, "reason"))


def _last() -> int:
    return AuditEvent.objects.order_by("pk").values_list("pk", flat=True).last() or 0


@pytest.fixture
def targets(db):
    return [make_user(Role.VIEWER, "61.72", first_name=name) for name in ("Ani", "Budi", "Çitra")]


def _changes(targets: list[User]) -> list[audit.Change]:
    # The awkward values: no before, nested and non-ASCII values, numbers, booleans, no reason.
    return [
        audit.Change(targets[0].pk, PASIRAN, None, {"status": "candidate", "programme": 7}),
        audit.Change(
            targets[1].pk,
            PASIRAN,
            {"has_disability": False, "income": 1500000},
            {"has_disability": True, "income": None, "kind": ["physical"]},
            "perubahan data",
        ),
        audit.Change(targets[2].pk, "", {"name": "Çitra"}, {"name": "Citra «C»"}, "ejaan"),
    ]


@pytest.mark.parametrize("actor_role", [Role.ADMIN, None])
def test_record_many_writes_what_record_writes(targets, actor_role):
    actor = make_user(actor_role) if actor_role else None
    changes = _changes(targets)
    by_id = {t.pk: t for t in targets}

    start = _last()
    for c in changes:
        audit.record(
            actor=actor,
            action="user.change",
            target=by_id[c.target_id],
            region_code=c.region_code,
            before=c.before,
            after=c.after,
            reason=c.reason,
        )
    one_by_one = _written(start)

    start, at = _last(), timezone.now() - dt.timedelta(days=1)
    written = audit.record_many(
        actor=actor, action="user.change", model=User, changes=changes, at=at
    )
    assert written == 3
    assert _written(start) == one_by_one
    assert set(AuditEvent.objects.filter(pk__gt=start).values_list("at", flat=True)) == {at}


def test_record_many_of_nothing_writes_nothing(db):
    assert audit.record_many(actor=None, action="x", model=User, changes=[]) == 0
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("actor_role", [Role.ADMIN, None])
def test_record_query_writes_what_record_writes(targets, actor_role):
    actor = make_user(actor_role) if actor_role else None
    start = _last()
    for t in targets:
        audit.record(
            actor=actor,
            action="user.check",
            target=t,
            region_code=PASIRAN,
            before=None,
            after={"username": t.username, "first_name": t.first_name},
            reason="pemeriksaan",
        )
    one_by_one = _written(start)

    start = _last()
    rows = (
        User.objects.filter(pk__in=[t.pk for t in targets])
        .order_by("pk")
        .values(
            target_id=F("pk"),
            region_code=Value(PASIRAN),
            before=Value(None, output_field=JSONField()),
            after=JSONObject(username=F("username"), first_name=F("first_name")),
            reason=Value("pemeriksaan"),
        )
    )
    assert audit.record_query(actor=actor, action="user.check", model=User, rows=rows) == 3
    assert _written(start) == one_by_one

    # The same from SQL text with its parameters.
    start = _last()
    sql, params = rows.query.sql_with_params()
    assert audit.record_query(actor=actor, action="user.check", model=User, rows=(sql, params))
    assert _written(start) == one_by_one
