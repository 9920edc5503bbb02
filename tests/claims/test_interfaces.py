"""The pages, the API and the CLI call the same claim services and report: each route once,
with a refusal, and the region scope on every way to a claim or a document."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from openpyxl import load_workbook

from jaring.accounts.models import Role
from jaring.claims.models import Claim
from tests.claims.setup import PDF, member_at, register, upload
from tests.contributions.setup import programme
from tests.factories import PASIRAN, make_user
from tests.querycount import assert_flat
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db

MILLION = 1_000_000


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def fisher(admin):
    return member_at(admin, programme(admin), dt.date(2026, 2, 1), PASIRAN, full_name="Budi")


@pytest.fixture
def officer(db):
    return make_user(Role.PROGRAMME_OFFICER, "61.72", username="rina")


@pytest.fixture
def outsider(db):
    return make_user(Role.PROGRAMME_OFFICER, "61.71", username="pontianak")


def cli(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


# --- web ---------------------------------------------------------------------------------------


def test_pages_register_compute_and_move_a_claim(officer, fisher):
    web = client_for(officer)
    page = web.get("/claims/new/")
    assert page.status_code == 200
    # The parts a kind does not need are marked, for the stylesheet to hide them (a death claim
    # its heirs and no work-accident fields; an accident no heirs).
    text = page.content.decode()
    assert 'class="not-for-death" id="jkk-part"' in text
    assert 'class="death-only" id="heirs-part"' in text
    form = {
        "member": fisher.worker.nik,
        "kind": "work_death",
        "event_date": "2026-03-10",
        "claimed_on": "2026-03-20",
        "description": "Tertimpa pohon sawit",
        "claimant_name": "Siti",
        "claimant_relation": "istri",
        "prior_months": "0",
        "child-TOTAL_FORMS": "3",
        "child-INITIAL_FORMS": "0",
        "child-0-name": "Ani",
        "child-0-birth_date": "2022-01-01",
        "child-0-level": "tk",
        "child-0-grade": "1",
        "transport-TOTAL_FORMS": "2",
        "transport-INITIAL_FORMS": "0",
        "documents": [upload("akta.pdf")],
    }
    response = web.post("/claims/new/", form)
    claim = Claim.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/claims/{claim.pk}/"
    # 48 × Rp1,000,000 + Rp12,000,000 + Rp10,000,000 + Ani's Rp87,000,000.
    assert claim.total == 157 * MILLION
    page = web.get(f"/claims/{claim.pk}/").content.decode()
    assert "Rp157.000.000" in page and "PP 82/2019" in page and "akta.pdf" in page
    doc = claim.documents.get()
    download = web.get(f"/claims/documents/{doc.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"

    web.post(f"/claims/{claim.pk}/transition/", {"action": "verify"})
    claim.refresh_from_db()
    assert claim.status == "verified"
    # A programme officer may not approve: the page says so and nothing moves.
    web.post(f"/claims/{claim.pk}/transition/", {"action": "approve"})
    claim.refresh_from_db()
    assert claim.status == "verified"
    assert web.get("/claims/?status=verified").content.decode().count(f"/claims/{claim.pk}/") >= 1


def test_page_refusal_keeps_the_form_with_the_reason(officer, fisher):
    web = client_for(officer)
    response = web.post(
        "/claims/new/",
        {
            "member": fisher.kpj,
            "kind": "death",
            "event_date": "2026-08-01",
            "description": "Sakit",
            "child-TOTAL_FORMS": "0",
            "child-INITIAL_FORMS": "0",
            "transport-TOTAL_FORMS": "0",
            "transport-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "di luar masa perlindungan" in response.content.decode()
    assert not Claim.objects.exists()


def test_pages_and_downloads_are_scoped(admin, fisher, outsider):
    claim = register(admin, fisher, "death", docs=[upload()])
    web = client_for(outsider)
    assert web.get(f"/claims/{claim.pk}/").status_code == 404
    assert web.get(f"/claims/documents/{claim.documents.get().pk}/").status_code == 404
    assert f"/claims/{claim.pk}/" not in web.get("/claims/").content.decode()
    viewer = client_for(make_user(Role.VIEWER, "61.72"))
    assert viewer.get("/claims/").status_code == 404  # person data: not for viewers
    assert viewer.get("/claims/reports/money/?year=2026").status_code == 200


def test_report_page_and_exports(admin, fisher):
    register(admin, fisher, "death")
    web = client_for(admin)
    page = web.get("/claims/reports/money/", {"year": 2026, "region": "61.72"})
    assert page.status_code == 200 and "Rp42.000.000" in page.content.decode()
    xlsx = web.get("/claims/reports/money/", {"year": 2026, "region": "61.72", "export": "xlsx"})
    assert "laporan-keuangan-61.72-2026.xlsx" in xlsx["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[-1][0] == "Jumlah / Total" and rows[-1][4] == 1  # one member
    pdf = web.get("/claims/reports/money/", {"year": 2026, "export": "pdf"})
    assert pdf.content.startswith(b"%PDF")


# --- API ---------------------------------------------------------------------------------------


def test_api_register_by_nik_transition_documents_and_report(api, admin, fisher):
    caller = api(admin)
    body = {
        "member": fisher.worker.nik,
        "kind": "work_accident",
        "event_date": "2026-03-10",
        "claimed_on": "2026-03-20",
        "description": "Jatuh dari perahu",
        "months_incapacity": 2,
        "transport": [{"mode": "sea", "cost": 3_000_000}],
    }
    created = caller.post("/api/claims/", body)
    assert created.status_code == 201, created.content
    claim = created.json()
    assert claim["membership_id"] == fisher.pk
    # STMB 2 × Rp1,000,000 + sea transport capped at Rp2,000,000.
    assert claim["total"] == 4 * MILLION
    assert {i["code"]: i["amount"] for i in claim["items"]} == {
        "stmb_first": 2 * MILLION,
        "transport_sea": 2 * MILLION,
    }
    assert all(i["basis"] and i["regulation"] for i in claim["items"])

    outside = caller.post("/api/claims/", body | {"event_date": "2026-07-01"})
    assert outside.status_code == 422
    assert outside.json()["errors"][0]["code"] == "outside_cover"

    headers = caller.headers
    client = Client()
    added = client.post(
        f"/api/claims/{claim['id']}/documents",
        {"documents": [upload("surat.pdf"), upload("foto.png", b"GIF89a")]},
        headers=headers,
    )
    assert added.status_code == 422
    assert added.json()["errors"][0]["field"] == "documents.1"
    added = client.post(
        f"/api/claims/{claim['id']}/documents", {"documents": [upload()]}, headers=headers
    )
    assert added.status_code == 201 and len(added.json()["documents"]) == 1
    url = added.json()["documents"][0]["url"]
    assert client.get(url, headers=headers).status_code == 200

    illegal = caller.post(f"/api/claims/{claim['id']}/transition", {"action": "pay"})
    assert illegal.status_code == 409
    moved = caller.post(f"/api/claims/{claim['id']}/transition", {"action": "verify"})
    assert moved.json()["status"] == "verified"
    listed = caller.get("/api/claims/", status="verified").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == claim["id"]

    report = caller.get("/api/claims/reports/money", year=2026, programme_id=fisher.programme_id)
    assert report.json()["total"]["claims"]["work_accident"] == {"count": 1, "amount": 4 * MILLION}


def test_api_scope(api, admin, fisher, outsider):
    claim = register(admin, fisher, "death", docs=[upload()])
    caller = api(outsider)
    assert caller.get(f"/api/claims/{claim.pk}").status_code == 404
    doc = claim.documents.get()
    assert caller.get(f"/api/claims/documents/{doc.pk}").status_code == 404
    refused = caller.post(
        "/api/claims/",
        {
            "membership_id": fisher.pk,
            "kind": "death",
            "event_date": "2026-03-10",
            "description": "x",
        },
    )
    assert refused.status_code == 404
    assert caller.get("/api/claims/").json()["count"] == 0


# --- CLI ---------------------------------------------------------------------------------------


def test_cli_create_show_list_transition_and_report(admin, fisher, officer, tmp_path):
    akta = tmp_path / "akta.pdf"
    akta.write_bytes(PDF)
    children = json.dumps([{"name": "Ani", "birth_date": "2022-01-01", "level": "tk"}])
    made = json.loads(
        cli(
            "claim", "create", "--user", officer.username, "--member", fisher.kpj,
            "--kind", "death", "--event-date", "2026-03-10", "--claim-date", "2026-03-20",
            "--description", "Sakit jantung", "--children", children, "--prior-months", "34",
            "--document", str(akta), "--json",
        )
    )  # fmt: skip
    # Rp42,000,000 JKM + Ani's Rp87,000,000 (34 + 2 months = 3 years of contributions).
    assert (made["total"], made["months_contributed"]) == (129 * MILLION, 36)
    assert made["documents"][0]["name"] == "akta.pdf"
    shown = cli("claim", "show", str(made["id"]), "--user", officer.username)
    assert "Rp129.000.000" in shown and "PP 82/2019" in shown
    moved = json.loads(
        cli("claim", "transition", str(made["id"]), "--user", officer.username,
            "--action", "verify", "--json")
    )  # fmt: skip
    assert moved["status"] == "verified"
    [listed] = json.loads(cli("claim", "list", "--user", officer.username, "--json"))
    assert listed["id"] == made["id"]
    with pytest.raises(CommandError) as err:
        cli("claim", "transition", str(made["id"]), "--user", officer.username,
            "--action", "approve", "--json")  # fmt: skip
    assert err.value.returncode == 2

    report = json.loads(
        cli("report", "money", "--programme", str(fisher.programme_id), "--year", "2026", "--json")
    )
    assert report["total"]["claims"]["death"] == {"count": 1, "amount": 129 * MILLION}
    assert report["total"]["members"] == 1 and report["total"]["member_months"] == 5
    table = cli("report", "money", "--region", "61.72", "--year", "2026")
    assert "Rp129.000.000" in table and "Kota Singkawang" in table


def test_cli_refusals_exit_2_with_every_problem(admin, fisher):
    with pytest.raises(CommandError) as err:
        cli(
            "claim", "create", "--user", admin.username, "--membership", str(fisher.pk),
            "--kind", "work_accident", "--event-date", "2026-03-10", "--description", "x",
            "--json",
        )  # fmt: skip
    assert err.value.returncode == 2
    assert not Claim.objects.exists()


def test_lists_make_a_fixed_number_of_queries(api, admin, fisher):
    def claim():
        register(admin, fisher, "work_accident", months_incapacity=1)

    web, caller = client_for(admin), api(admin)
    assert_flat(lambda: web.get("/claims/"), claim, at_most=20)
    assert_flat(
        lambda: caller.get("/api/claims/"), claim, shown=lambda r: r.json()["count"], at_most=12
    )


# --- corrections and medical care --------------------------------------------------------------


def test_page_corrects_a_claim_with_the_form_filled_in(officer, fisher):
    claim = register(officer, fisher, "work_accident", medical_care=True, docs=[upload("x.pdf")])
    web = client_for(officer)
    page = web.get(f"/claims/{claim.pk}/").content.decode()
    assert f"/claims/{claim.pk}/correct/" in page and "fasilitas kesehatan" in page
    form = web.get(f"/claims/{claim.pk}/correct/").content.decode()
    assert 'value="2026-03-10"' in form and "Tenggelam saat melaut" in form
    doc = claim.documents.get()
    response = web.post(
        f"/claims/{claim.pk}/correct/",
        {
            "kind": "work_accident",
            "event_date": "2026-03-09",
            "claimed_on": "2026-03-20",
            "description": "Tenggelam saat melaut",
            "medical_care": "on",
            "medical_cost": "7500000",
            "prior_months": "0",
            "reason": "Tagihan rumah sakit sudah ada",
            "remove_documents": [str(doc.pk)],
            "child-TOTAL_FORMS": "0",
            "child-INITIAL_FORMS": "0",
            "transport-TOTAL_FORMS": "0",
            "transport-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()
    claim.refresh_from_db()
    assert (claim.event_date, claim.total) == (dt.date(2026, 3, 9), 7_500_000)
    assert not claim.documents.exists()
    # Once approved the page sends the officer back with the reason.
    claim.status = "approved"
    claim.save()
    assert web.get(f"/claims/{claim.pk}/correct/").status_code == 302
    assert f"/claims/{claim.pk}/correct/" not in web.get(f"/claims/{claim.pk}/").content.decode()


def test_api_corrects_only_the_fields_given(api, admin, fisher):
    claim = register(admin, fisher, "work_accident", months_incapacity=2)
    caller = api(admin)
    fixed = caller.patch(
        f"/api/claims/{claim.pk}",
        {"reason": "Rawat inap lebih lama", "months_incapacity": 4, "medical_care": True},
    )
    assert fixed.status_code == 200, fixed.content
    body = fixed.json()
    assert (body["total"], body["description"], body["event_date"]) == (
        4 * MILLION,
        "Tenggelam saat melaut",
        "2026-03-10",
    )
    assert {i["code"]: i["payee"] for i in body["items"]} == {
        "medical_care": "provider",
        "stmb_first": "beneficiary",
    }
    assert caller.patch(f"/api/claims/{claim.pk}", {"months_incapacity": 5}).status_code == 422
    assert caller.patch(f"/api/claims/{claim.pk}", {"reason": "x", "wage": 5}).status_code == 422
    for step in ("verify", "approve"):
        caller.post(f"/api/claims/{claim.pk}/transition", {"action": step})
    late = caller.patch(f"/api/claims/{claim.pk}", {"reason": "x", "months_incapacity": 9})
    assert late.status_code == 409 and late.json()["errors"][0]["code"] == "claim_not_editable"


def test_cli_medical_care_and_correct(admin, fisher):
    made = json.loads(
        cli(
            "claim", "create", "--user", admin.username, "--membership", str(fisher.pk),
            "--kind", "work_accident", "--event-date", "2026-03-10", "--claim-date",
            "2026-03-20", "--description", "Tangan terkena mesin", "--medical-care", "--json",
        )
    )  # fmt: skip
    assert [(i["code"], i["amount"], i["payee"]) for i in made["items"]] == [
        ("medical_care", 0, "provider")
    ]
    fixed = json.loads(
        cli(
            "claim", "correct", str(made["id"]), "--user", admin.username,
            "--reason", "Tagihan RS", "--medical-cost", "12500000", "--json",
        )
    )  # fmt: skip
    assert (fixed["total"], fixed["description"]) == (12_500_000, "Tangan terkena mesin")
    with pytest.raises(CommandError) as err:
        cli(
            "claim", "correct", str(made["id"]), "--user", admin.username, "--reason", "x",
            "--event-date", "2026-08-01", "--json",
        )  # fmt: skip
    assert err.value.returncode == 2
