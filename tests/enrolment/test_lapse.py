"""enrolment.services.lapse: how contributions ends memberships whose contributions went unpaid."""

from __future__ import annotations

import datetime as dt

from jaring.accounts.models import AuditEvent
from jaring.core import events
from jaring.enrolment import services as enrolment
from jaring.enrolment.models import Membership
from tests.enrolment.exchange_setup import active_member
from tests.factories import make_worker


def test_lapse_ends_only_active_memberships_audits_each_and_announces_their_regencies(
    officer, programme, members
):
    active = active_member(
        officer, programme, make_worker(officer, full_name="Eka"), "12345678", dt.date(2026, 4, 1)
    )
    heard = []

    def listen(sender, *, regencies, **_kwargs):
        heard.append((sender, set(regencies)))

    events.memberships_changed.connect(listen)
    try:
        enrolment.lapse(
            actor=None,
            lapses=[
                enrolment.Lapse(
                    membership_ids=[active.pk, members[0].pk],
                    end_date=dt.date(2026, 6, 30),
                    note="more than 3 consecutive months unpaid",
                )
            ],
        )
    finally:
        events.memberships_changed.disconnect(listen)

    active.refresh_from_db()
    assert (active.status, active.end_reason, active.end_date) == (
        "ended",
        "lapsed",
        dt.date(2026, 6, 30),
    )
    assert active.end_note == "more than 3 consecutive months unpaid"
    # A membership that is not active is not ended (its audit event records the attempt, as
    # apply_lapses always did; it only ever passes active ones).
    assert Membership.objects.get(pk=members[0].pk).status == "verified"
    event = AuditEvent.objects.get(action="membership.ended", target_id=str(active.pk))
    assert event.actor is None and event.before == {"status": "active"}
    assert event.after == {"status": "ended", "end_reason": "lapsed", "end_date": "2026-06-30"}
    assert heard == [("enrolment", {"61.72"})]


def test_nothing_to_lapse_announces_nothing(db):
    heard = []

    def listen(sender, **kwargs):
        heard.append(sender)

    events.memberships_changed.connect(listen)
    try:
        enrolment.lapse(actor=None, lapses=[])
    finally:
        events.memberships_changed.disconnect(listen)
    assert heard == []
