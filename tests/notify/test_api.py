"""The outbox API: messages with status and retries (phones masked), counts per status, filters;
opt-outs listed and recorded (a number that is not Indonesian refused, naming the field).
Another region's messages are not shown."""

from __future__ import annotations

import itertools

import pytest

from jaring.accounts.models import Role
from jaring.notify import services
from tests.factories import make_user
from tests.notify.test_services import NOON
from tests.querycount import assert_flat

pytestmark = pytest.mark.django_db
_n = itertools.count(1)


def _message(regency="61.72", phone="0812 3456 7890"):
    services.queue(
        [
            services.Outgoing(
                key=f"api:{next(_n)}",
                template="cover_lapsed",
                phone=phone,
                values={"name": "Siti"},
                regency_code=regency,
            )
        ],
        now=NOON,
    )


def test_the_outbox_and_opt_outs_through_the_api(api):
    _message(), _message(regency="61.71", phone="0813 0000 0001")
    officer = api(make_user(Role.PROGRAMME_OFFICER, "61.72"))
    box = officer.get("/api/notify/outbox").json()
    assert box["by_status"] == {"queued": 1}
    (m,) = box["messages"]
    assert m["phone"] == "+62812…890" and "Siti" in m["text"] and m["attempts"] == 0
    assert officer.get("/api/notify/outbox", status="sent").json()["messages"] == []
    made = officer.post("/api/notify/opt-outs", {"phone": "0812-3456-7890", "reason": "STOP"})
    assert made.status_code == 201 and made.json()["phone"] == "+62812…890"
    assert officer.get("/api/notify/outbox").json()["by_status"] == {"opted_out": 1}
    assert [o["reason"] for o in officer.get("/api/notify/opt-outs").json()] == ["STOP"]
    # Pontianak's number opted out too: not Singkawang's to see.
    services.opt_out(actor=make_user(Role.ADMIN), phone="0813 0000 0001")
    assert len(officer.get("/api/notify/opt-outs").json()) == 1
    assert len(api(make_user(Role.ADMIN)).get("/api/notify/opt-outs").json()) == 2


def test_a_bad_opt_out_or_filter_is_refused_naming_the_field(api):
    officer = api(make_user(Role.PROGRAMME_OFFICER, "61.72"))
    for phone, code in (
        ("+1 415 555 2671", "notify_phone_not_indonesian"),
        ("", "notify_phone_missing"),
    ):
        problem = officer.post("/api/notify/opt-outs", {"phone": phone}).json()["errors"][0]
        assert (problem["code"], problem["field"]) == (code, "phone")
    bad = officer.get("/api/notify/outbox", status="lost")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "status"


def test_who_may_see_the_outbox(api):
    _message()
    assert api(make_user(Role.PROGRAMME_OFFICER, "61.71")).get("/api/notify/outbox").json() == {
        "by_status": {},
        "messages": [],
    }
    assert api(make_user(Role.VIEWER, "61.72")).get("/api/notify/outbox").status_code == 403
    bpjs = api(make_user(Role.BPJS_OFFICER, "61.72"))
    assert bpjs.post("/api/notify/opt-outs", {"phone": "0812 3456 7890"}).status_code == 403


def test_the_outbox_makes_no_query_per_message(api):
    caller = api(make_user(Role.ADMIN))
    assert_flat(
        lambda: caller.get("/api/notify/outbox"),
        _message,
        shown=lambda r: len(r.json()["messages"]),
    )
