"""The mandate form (masked account, consent date and signed form uploaded, bank, day) and the
mandates page; refusals shown on their fields; another agent's member not found."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from jaring.accounts.models import Role
from jaring.autodebit.models import Mandate
from tests.agents.setup import agent, recruit
from tests.continuity.setup import self_payer
from tests.factories import make_user
from tests.querycount import assert_flat
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% formulir persetujuan\n"


def _form(**changes):
    return {
        "bank": "generic",
        "account_number": "1234 5678 9012",
        "bank_mandate_ref": "M-1",
        "debit_day": "10",
        "consent_date": "2026-06-01",
        "consent_document": SimpleUploadedFile("persetujuan.pdf", PDF),
    } | changes


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_mandate_form_keeps_the_masked_account_and_the_signed_form():
    admin = make_user(Role.ADMIN)
    cover = self_payer(admin, channel="auto_debit")
    web = client_for(make_user(Role.PROGRAMME_OFFICER, "61.72"))
    listed = web.get("/autodebit/")
    assert [c.pk for c in listed.context["awaiting"]] == [cover.pk]
    response = web.post(f"/autodebit/cover/{cover.pk}/", _form())
    assert response.status_code == 302, response.context["form"].errors
    m = Mandate.objects.get()
    assert m.account_masked == "••••9012"
    assert default_storage.open(m.consent_document).read() == PDF
    page = web.get("/autodebit/").content.decode()
    assert "••••9012" in page and "123456789012" not in page
    consent = web.get(f"/autodebit/mandates/{m.pk}/consent/")
    assert b"".join(consent.streaming_content) == PDF
    elsewhere = client_for(make_user(Role.PROGRAMME_OFFICER, "61.71"))
    assert elsewhere.get(f"/autodebit/mandates/{m.pk}/consent/").status_code == 404
    web.post(f"/autodebit/mandates/{m.pk}/end/")
    m.refresh_from_db()
    assert m.status == "cancelled"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"account_number": "12ab"}, "account_number"),
        ({"consent_document": SimpleUploadedFile("x.pdf", b"MZ not a pdf")}, "consent_document"),
        ({"consent_date": "2099-01-01"}, "consent_date"),
        ({"debit_day": "31"}, "debit_day"),
    ],
)
def test_a_refused_mandate_shows_the_reason_on_its_field(changes, field):
    cover = self_payer(make_user(Role.ADMIN), channel="auto_debit")
    web = client_for(make_user(Role.PROGRAMME_OFFICER, "61.72"))
    response = web.post(f"/autodebit/cover/{cover.pk}/", _form(**changes))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Mandate.objects.exists()


def test_an_agent_records_mandates_for_its_own_members_only():
    admin = make_user(Role.ADMIN)
    mine, other = agent(), agent()
    own, theirs = recruit(mine, admin, channel="auto_debit"), recruit(other, admin)
    web = client_for(mine.user)
    assert web.get(f"/autodebit/cover/{theirs.pk}/").status_code == 404
    assert web.post(f"/autodebit/cover/{own.pk}/", _form()).status_code == 302
    assert Mandate.objects.get().cover == own


def test_the_mandates_page_makes_no_query_per_row():
    admin = make_user(Role.ADMIN)
    web = client_for(admin)
    n = iter(range(1, 50))

    def one_more():
        cover = self_payer(admin, channel="auto_debit")
        web.post(f"/autodebit/cover/{cover.pk}/", _form(bank_mandate_ref=f"M-{next(n)}"))
        self_payer(admin, channel="auto_debit")  # and one awaiting its mandate

    assert_flat(lambda: web.get("/autodebit/"), one_more)
