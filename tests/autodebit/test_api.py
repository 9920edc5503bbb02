"""The auto-debit API: a mandate created (masked), listed and ended; the month's file made and
downloaded; the result file read (twice: nothing changes). Another region's member or file is
not found; bad input is refused naming the field."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jaring.accounts.models import Role
from jaring.accounts.scope import SYSTEM
from jaring.autodebit.models import DebitBatch
from jaring.continuity import services as continuity
from jaring.continuity.models import SelfPayment
from tests.agents.setup import agent, recruit
from tests.autodebit.test_services import JUNE, _results
from tests.continuity.setup import DISCOUNTED, self_payer
from tests.factories import make_user
from tests.querycount import assert_flat

pytestmark = pytest.mark.django_db


def _body(cover, **changes):
    return {
        "cover_id": cover.pk,
        "bank": "generic",
        "account_number": "1234 5678 9012",
        "bank_mandate_ref": f"M-{cover.pk}",
        "debit_day": 10,
        "consent_date": "2026-06-01",
        "consent_document": "Formulir AD-01",
    } | changes


def test_a_mandate_the_file_and_its_results_through_the_api(api, client):
    admin = make_user(Role.ADMIN)
    cover = self_payer(admin, channel="auto_debit")
    officer = api(make_user(Role.BPJS_OFFICER, "61.72"))
    created = officer.post("/api/autodebit/mandates", _body(cover))
    assert created.status_code == 201, created.content
    mandate = created.json()
    assert mandate["account_masked"] == "••••9012" and "123456789012" not in str(mandate)
    assert [m["id"] for m in officer.get("/api/autodebit/mandates").json()] == [mandate["id"]]
    continuity.run_month(actor=SYSTEM, month=JUNE, as_of=JUNE)
    made = officer.post("/api/autodebit/files", {"bank": "generic", "month": "2026-06"})
    assert made.status_code == 201 and made.json()["total"] == DISCOUNTED
    batch_id = made.json()["id"]
    file = officer.get(f"/api/autodebit/files/{batch_id}")
    assert file.status_code == 200 and file.content.startswith(b"REFERENSI,NO_MANDAT")
    data = _results(DebitBatch.objects.get(pk=batch_id), {})
    for already in (False, True):
        read = client.post(
            "/api/autodebit/results",
            {"bank": "generic", "file": SimpleUploadedFile("hasil.csv", data)},
            headers=officer.headers,
        )
        assert read.status_code == 200, read.content
        assert (read.json()["paid"], read.json()["already_imported"]) == (1, already)
    assert SelfPayment.objects.filter(cover=cover).count() == 1
    ended = officer.post(f"/api/autodebit/mandates/{mandate['id']}/end", {"reason": "pindah"})
    assert ended.json()["status"] == "cancelled"
    assert officer.get("/api/autodebit/mandates", status="active").json() == []


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"bank": "bank-x"}, "autodebit_bank_unknown", "bank"),
        ({"account_number": "12ab"}, "autodebit_account_invalid", "account_number"),
        ({"debit_day": 31}, "autodebit_day_invalid", "debit_day"),
        ({"consent_date": "2099-01-01"}, "autodebit_consent_required", "consent_date"),
        ({"consent_date": "kemarin"}, "invalid_date_from_datetime_parsing", "consent_date"),
        ({"consent_document": ""}, "autodebit_consent_required", "consent_document"),
    ],
)
def test_a_bad_mandate_is_refused_naming_the_field(api, changes, code, field):
    cover = self_payer(make_user(Role.ADMIN), channel="auto_debit")
    response = api(make_user(Role.BPJS_OFFICER, "61.72")).post(
        "/api/autodebit/mandates", _body(cover, **changes)
    )
    assert response.status_code == 422
    problem = response.json()["errors"][0]
    assert (problem["field"], problem["code"]) == (field, code), problem
    assert problem["message_en"]


def test_another_regions_or_another_agents_member_is_not_found(api):
    admin = make_user(Role.ADMIN)
    mine, other = agent(), agent()
    theirs = recruit(other, admin, channel="auto_debit")
    elsewhere = api(make_user(Role.BPJS_OFFICER, "61.71"))
    assert elsewhere.post("/api/autodebit/mandates", _body(theirs)).status_code == 404
    own = api(mine.user)
    assert own.post("/api/autodebit/mandates", _body(theirs)).status_code == 404
    created = api(other.user).post("/api/autodebit/mandates", _body(theirs)).json()
    assert own.get("/api/autodebit/mandates").json() == []
    assert own.post(f"/api/autodebit/mandates/{created['id']}/end", {}).status_code == 404
    assert elsewhere.post(f"/api/autodebit/mandates/{created['id']}/end", {}).status_code == 404
    continuity.run_month(actor=SYSTEM, month=JUNE, as_of=JUNE)
    batch = api(admin).post("/api/autodebit/files", {"bank": "generic", "month": "2026-06"})
    assert elsewhere.get(f"/api/autodebit/files/{batch.json()['id']}").status_code == 404
    # An agent may record mandates, not exchange files with banks.
    assert (
        own.post("/api/autodebit/files", {"bank": "generic", "month": "2026-06"}).status_code == 403
    )


def test_the_mandate_list_makes_no_query_per_row(api):
    admin = make_user(Role.ADMIN)
    caller = api(admin)
    made = iter(range(1, 20))

    def one_more():
        cover = self_payer(admin, channel="auto_debit", today=dt.date(2026, 6, next(made)))
        caller.post("/api/autodebit/mandates", _body(cover))

    assert_flat(
        lambda: caller.get("/api/autodebit/mandates"), one_more, shown=lambda r: len(r.json())
    )
