"""The outbox page: messages with status and retries, numbers masked, counts per status,
opt-outs listed and recorded (a number that is not Indonesian refused on its field)."""

from __future__ import annotations

import pytest

from jaring.accounts.models import Role
from jaring.notify.models import OptOut
from tests.factories import make_user
from tests.notify.test_api import _message
from tests.querycount import assert_flat
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_outbox_page_shows_messages_masked_and_records_an_opt_out():
    _message(), _message(regency="61.71", phone="0813 0000 0001")
    web = client_for(make_user(Role.PROGRAMME_OFFICER, "61.72"))
    html = web.get("/messages/").content.decode()
    assert "+62812…890" in html and "81234567890" not in html and "+62813" not in html
    refused = web.post("/messages/", {"phone": "+1 415 555 2671"})
    assert refused.status_code == 200 and refused.context["form"].errors["phone"]
    assert web.post("/messages/", {"phone": "0812 3456 7890", "reason": "STOP"}).status_code == 302
    assert OptOut.objects.get().reason == "STOP"
    page = web.get("/messages/", {"status": "opted_out"})
    assert len(page.context["page"].object_list) == 1 and "STOP" in page.content.decode()


def test_who_may_open_the_outbox():
    bpjs = client_for(make_user(Role.BPJS_OFFICER, "61.72"))
    assert bpjs.get("/messages/").status_code == 200
    assert bpjs.post("/messages/", {"phone": "0812 3456 7890"}).status_code == 404
    assert client_for(make_user(Role.VIEWER, "61.72")).get("/messages/").status_code == 404


def test_the_outbox_page_makes_no_query_per_message():
    web = client_for(make_user(Role.ADMIN))
    assert_flat(lambda: web.get("/messages/"), _message)
