"""A claim's new status is queued to the worker's phone (claims sends core.events'
claim_status_changed; notify, above it, queues): one message per step, in Indonesian, no NIK;
a refused step or a part payment that leaves the status as it was queues nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from jaring.claims import services as claims
from jaring.core.errors import DomainError
from jaring.notify.models import Message
from tests.claims.setup import register, upload
from tests.contributions.setup import member, programme

pytestmark = pytest.mark.django_db


def test_each_step_of_a_claim_is_sent_to_the_workers_phone(admin):
    m = member(admin, programme(admin), dt.date(2026, 2, 1), full_name="Budi Santoso")
    claim = register(admin, m, "work_accident", medical_care=True, docs=[upload()])
    assert not Message.objects.exists()  # registered, not moved
    with pytest.raises(DomainError):
        claims.transition(actor=admin, claim=claim, action="reject")  # no reason: refused
    assert not Message.objects.exists()
    claims.transition(actor=admin, claim=claim, action="verify")
    claims.transition(actor=admin, claim=claim, action="reject", reason="Bukan kecelakaan kerja")
    sent = list(Message.objects.order_by("id"))
    assert [msg.template for msg in sent] == ["claim_status", "claim_status"]
    assert sent[0].text.endswith("sekarang berstatus: diverifikasi.")
    assert sent[1].text.endswith("sekarang berstatus: ditolak.")
    assert "Budi Santoso" in sent[0].text and m.worker.nik not in sent[0].text
    assert (sent[0].phone, sent[0].regency_code, sent[0].worker_id) == (
        "+6281234567890",
        "61.72",
        m.worker_id,
    )
