"""The outbox: templates without NIKs, queuing once, sending through a local fake gateway with
retries and backoff, failures, opt-outs, quiet hours and the per-number rate limit."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from jaring.accounts.models import Role
from jaring.accounts.scope import SYSTEM
from jaring.continuity import reminders
from jaring.core.errors import DomainError
from jaring.notify import services
from jaring.notify.channels import HttpGateway
from jaring.notify.models import Message, MessageStatus
from tests.continuity.setup import funded_member
from tests.factories import make_user
from tests.notify.gateway import FakeGateway

pytestmark = pytest.mark.django_db

# 10:00 in Jakarta: outside the quiet hours.
NOON = timezone.make_aware(dt.datetime(2026, 6, 10, 10, 0))
PAYLOAD = '{"msisdn": "{to}", "message": "{text}", "type": "{channel}", "ref": "{ref}"}'


def _queue(n=1, phone="0812 3456 7890", **values):
    return services.queue(
        (
            services.Outgoing(
                key=f"test:{i}:{phone}",
                template="overdue",
                phone=phone,
                values={
                    "name": "Siti",
                    "month": "2026-06",
                    "amount": "Rp8.400",
                    "due_date": "15-06-2026",
                }
                | values,
                regency_code="61.72",
            )
            for i in range(n)
        ),
        now=NOON,
    )


def _gateway(url, timeout=2.0):
    return HttpGateway(url, "rahasia-token", PAYLOAD, timeout)


def test_the_hand_over_reminder_is_queued_once_and_holds_no_nik():
    admin = make_user(Role.ADMIN)
    m = funded_member(admin, phone="081234567890")
    due, queued = reminders.remind_ending(actor=SYSTEM, as_of=dt.date(2026, 6, 1))
    assert (due, queued) == (1, 1)
    assert reminders.remind_ending(actor=SYSTEM, as_of=dt.date(2026, 6, 1)) == (1, 0)
    msg = Message.objects.get()
    assert msg.template == "cover_ending" and msg.phone == "+6281234567890"
    assert m.worker.nik not in msg.text and m.worker.full_name in msg.text
    assert "14-06-2026" in msg.text


def test_sent_through_the_gateway_with_the_payload_template_and_token():
    _queue(2)
    with FakeGateway() as gw:
        result = services.send_due(actor=SYSTEM, now=NOON, adapter=_gateway(gw.url))
    assert result.sent == 2
    assert gw.received[0]["msisdn"] == "+6281234567890"
    assert gw.received[0]["message"].startswith("Yth. Siti")
    assert gw.headers[0]["Authorization"] == "Bearer rahasia-token"
    sent = Message.objects.order_by("pk")
    assert [(m.status, m.gateway_id) for m in sent] == [("sent", "gw-1"), ("sent", "gw-2")]


def test_a_500_is_retried_with_backoff_and_a_400_fails_at_once():
    _queue(1)
    with FakeGateway([500, 500]) as gw:
        adapter = _gateway(gw.url)
        r1 = services.send_due(actor=SYSTEM, now=NOON, adapter=adapter)
        m = Message.objects.get()
        assert (r1.retrying, m.attempts, m.status) == (1, 1, "queued")
        assert m.next_attempt_at == NOON + dt.timedelta(seconds=60)
        assert "500" in m.last_error
        # Not yet due: nothing is sent before the backoff has passed.
        assert services.send_due(actor=SYSTEM, now=NOON, adapter=adapter).as_dict() == (
            services.SendResult().as_dict()
        )
        later = NOON + dt.timedelta(seconds=60)
        services.send_due(actor=SYSTEM, now=later, adapter=adapter)
        m.refresh_from_db()
        assert m.next_attempt_at == later + dt.timedelta(seconds=120)  # doubled
        services.send_due(actor=SYSTEM, now=later + dt.timedelta(seconds=120), adapter=adapter)
    m.refresh_from_db()
    assert (m.status, m.attempts, len(gw.received)) == ("sent", 3, 1)
    _queue(1, phone="0813 1111 2222")
    with FakeGateway([400]) as gw:
        r = services.send_due(actor=SYSTEM, now=NOON, adapter=_gateway(gw.url))
    assert r.failed == 1
    failed = Message.objects.get(phone="+6281311112222")
    assert failed.status == "failed" and "400" in failed.last_error


def test_a_gateway_that_times_out_is_retried_and_fails_after_the_last_attempt(settings):
    _queue(1)
    with FakeGateway([("pause", 0.5)] * 5) as gw:
        adapter = _gateway(gw.url, timeout=0.1)
        now = NOON
        for _ in range(5):
            services.send_due(actor=SYSTEM, now=now, adapter=adapter)
            now += dt.timedelta(hours=1)
    m = Message.objects.get()
    assert (m.status, m.attempts) == ("failed", 5)
    assert "unreachable" in m.last_error


def test_an_unreachable_gateway_loses_nothing():
    _queue(3)
    r = services.send_due(actor=SYSTEM, now=NOON, adapter=_gateway("http://127.0.0.1:9/x", 0.2))
    assert r.retrying == 3
    assert set(Message.objects.values_list("status", flat=True)) == {"queued"}


def test_opt_out_quiet_hours_and_the_rate_limit():
    _queue(5)
    _queue(1, phone="0857 0000 1111")
    services.opt_out(actor=SYSTEM, phone="+62 857-0000-1111", reason="balas STOP")
    night = timezone.make_aware(dt.datetime(2026, 6, 10, 22, 30))
    with FakeGateway() as gw:
        held = services.send_due(actor=SYSTEM, now=night, adapter=_gateway(gw.url))
        assert held.held_quiet == 5 and gw.received == []
        morning = timezone.make_aware(dt.datetime(2026, 6, 11, 7, 0))
        assert set(
            Message.objects.filter(status="queued").values_list("next_attempt_at", flat=True)
        ) == {morning}
        r = services.send_due(actor=SYSTEM, now=morning, adapter=_gateway(gw.url))
    # Three a day to one number; the other two wait.
    assert (r.sent, r.held_rate) == (3, 2)
    assert Message.objects.get(phone="+6285700001111").status == MessageStatus.OPTED_OUT


@pytest.mark.parametrize(
    ("phone", "code"),
    [("", "notify_phone_missing"), ("+1 415 555 2671", "notify_phone_not_indonesian")],
)
def test_a_number_that_is_not_indonesian_is_refused_naming_the_field(phone, code):
    with pytest.raises(DomainError) as exc:
        services.indonesian_phone(phone)
    assert (exc.value.problems[0].code.value, exc.value.problems[0].field) == (code, "phone")
    assert _queue(2, phone=phone).skipped == {code: 2}
    assert not Message.objects.exists()


def test_a_message_holding_sixteen_digits_is_refused():
    with pytest.raises(DomainError) as exc:
        _queue(1, name="Siti 6172024101900001")
    assert exc.value.problems[0].code.value == "notify_nik_in_message"


def test_delivery_reports_and_the_outbox_command():
    _queue(2)
    with FakeGateway() as gw:
        services.send_due(actor=SYSTEM, now=NOON, adapter=_gateway(gw.url))
    assert services.mark_delivered(gateway_ids=["gw-1"]) == 1
    out = StringIO()
    call_command("notify", "outbox", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["by_status"] == {"delivered": 1, "sent": 1}
    assert "6281234567890" not in out.getvalue()  # numbers shown cut
    viewer = make_user(Role.VIEWER, "61.72")
    with pytest.raises(DomainError):
        services.send_due(actor=viewer, now=NOON)
