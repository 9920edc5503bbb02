"""Pages, API routes and the command: thin over the services, one query count for any length."""

import datetime as dt
import io
import itertools
import json

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from jaring.accounts.models import Role
from jaring.accounts.services import create_token
from jaring.compliance import matching, services
from jaring.compliance.models import Employer, Lead
from tests.compliance.setup import CITY, VILLAGE, load
from tests.factories import make_user
from tests.querycount import assert_flat
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 6, 1)
_n = itertools.count(1)


@pytest.fixture
def officer():
    return make_user(Role.COMPLIANCE_OFFICER, CITY, first_name="Maria", last_name="Theresia")


@pytest.fixture
def found(officer, tmp_path):
    load(officer, tmp_path)
    matching.find_leads(actor=officer, region_code=CITY, on=ON)
    return {(x.employer.name, x.kind): x for x in Lead.objects.select_related("employer")}


def bearer(user):
    _, key = create_token(user=user, name="t")
    return {"Authorization": f"Bearer {key}"}


def test_a_case_from_lead_to_letter_through_the_pages(officer, found):
    web = client_for(officer)
    lead = found[("SINAR JAYA ABADI PT", "pds_tk")]
    page = web.get("/compliance/leads/").content.decode()
    assert "SINAR JAYA ABADI PT" in page and "belum didaftarkan" in page
    response = web.post(f"/compliance/leads/{lead.pk}/open/", {"opened_on": "2026-06-02"})
    case_url = response["Location"]
    response = web.post(
        case_url + "step/",
        {
            "step": "warning_1",
            "taken_on": "2026-06-02",
            "officer_name": "Maria Theresia",
        },
    )
    page = web.get(case_url).content.decode()
    assert "17-06-2026" in page  # 10 working days, 16 June a holiday
    assert "560/001/DISNAKER/2026" in page  # numbered by Jaring
    employer = web.get(f"/compliance/employers/{lead.employer_id}/").content.decode()
    assert "Daftar izin usaha" in employer or "OSS" in employer
    step_id = lead.employer.cases.get().steps.get().pk
    pdf = web.get(f"/compliance/letters/{step_id}/")
    assert pdf["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "TEGURAN TERTULIS PERTAMA" in text and "Maria Theresia" in text
    assert "86 Tahun 2013" in text and "SINAR JAYA ABADI PT" in text
    assert "560/001/DISNAKER/2026" in text


def test_work_list_and_report(officer, found):
    web = client_for(officer)
    lead = found[("CV Maju Bersama", "pds_upah")]
    case = services.open_case(actor=officer, lead_id=lead.pk, on=ON)
    services.take_step(
        actor=officer,
        case_id=case.pk,
        data=services.StepInput(step="warning_1", taken_on=ON, officer_name="Maria"),
    )
    page = web.get("/compliance/").content.decode()
    assert 'id="overdue">1<' in page and "CV Maju Bersama" in page
    report = web.get("/compliance/report/", {"region": CITY, "year": 2026}).content.decode()
    assert 'id="report"' in report


def test_the_public_form_makes_a_lead_without_login_and_is_rate_limited(found):
    from django.test import Client

    public = Client()
    page = public.get("/cek/").content.decode()
    assert "/cek/lapor-pemberi-kerja/" in page
    data = {
        "employer_name": "Kedai Kopi Asoy",
        "address": "Jl. Nusa Indah",
        "village_code": VILLAGE,
        "workers": "6",
        "note": "Saya bekerja 2 tahun.",
    }
    for _ in range(5):
        assert public.post("/cek/lapor-pemberi-kerja/", data).status_code == 200
    lead = Lead.objects.get(employer__name="Kedai Kopi Asoy")
    assert lead.from_public and lead.kind == "pwbd" and "6 pekerja" in lead.reason_id
    assert public.post("/cek/lapor-pemberi-kerja/", data).status_code == 429


def test_the_api(officer, found):
    from django.test import Client

    api, auth = Client(), bearer(officer)
    leads = api.get("/api/compliance/leads", {"kind": "pds_tk"}, headers=auth).json()
    assert [x["employer"] for x in leads] == ["SINAR JAYA ABADI PT"]
    lead_id = leads[0]["id"]
    case = api.post(
        f"/api/compliance/leads/{lead_id}/case",
        {"on": "2026-06-02"},
        content_type="application/json",
        headers=auth,
    ).json()
    step = api.post(
        f"/api/compliance/cases/{case['id']}/steps",
        {"step": "warning_2", "taken_on": "2026-06-02", "officer_name": "M"},
        content_type="application/json",
        headers=auth,
    )
    assert step.status_code == 409 and step.json()["errors"][0]["code"] == "step_out_of_order"
    employer = api.get(f"/api/compliance/employers/{leads[0]['employer_id']}", headers=auth)
    assert employer.json()["bpjs_workers"] == 10 and len(employer.json()["entries"]) == 2
    report = api.get("/api/compliance/report", {"region": CITY, "year": 2026}, headers=auth)
    assert report.json()["leads_by_kind"]["pds_tk"] == 1


def test_the_command(officer, found, tmp_path):
    out = io.StringIO()
    call_command("compliance", "leads", "--region", CITY, "--json", stdout=out)
    kinds = {x["kind"] for x in json.loads(out.getvalue())}
    assert kinds == {"pwbd", "pds_tk", "pds_upah", "pds_program"}
    lead = found[("CV Maju Bersama", "pds_upah")]
    out = io.StringIO()
    call_command("compliance", "open", str(lead.pk), "--on", "2026-06-01", "--json", stdout=out)
    case_id = json.loads(out.getvalue())["id"]
    call_command(
        "compliance",
        "step",
        str(case_id),
        "--step",
        "warning_1",
        "--officer-name",
        "Maria",
        "--on",
        "2026-06-01",
        stdout=io.StringIO(),
    )
    out = io.StringIO()
    call_command("compliance", "cases", "--due", "--json", stdout=out)
    assert [x["id"] for x in json.loads(out.getvalue())] == [case_id]


def test_lists_make_one_query_count_for_any_length(officer, found):
    web, api, auth = client_for(officer), client_for(officer), bearer(officer)

    def lead():
        n = next(_n)
        e = Employer.objects.create(
            name=f"Usaha {n}", name_key=f"usaha {n}", region_code=CITY, regency_code=CITY
        )
        lead = Lead.objects.create(
            employer=e,
            kind="pwbd",
            figures={},
            reason_id="x",
            reason_en="x",
            region_code=CITY,
            regency_code=CITY,
            found_on=ON,
        )
        case = services.open_case(actor=officer, lead_id=lead.pk, on=ON)
        services.take_step(
            actor=officer,
            case_id=case.pk,
            data=services.StepInput(
                step="coaching", taken_on=ON, officer_name="M", follow_up=ON + dt.timedelta(days=7)
            ),
        )
        Lead.objects.create(
            employer=e,
            kind="pds_tk",
            figures={},
            reason_id="y",
            reason_en="y",
            region_code=CITY,
            regency_code=CITY,
            found_on=ON,
        )

    assert_flat(lambda: web.get("/compliance/leads/"), lead, at_most=15)
    assert_flat(lambda: web.get("/compliance/"), lead, at_most=15)
    assert_flat(lambda: api.get("/api/compliance/leads", headers=auth), lead, at_most=12)
    assert_flat(lambda: api.get("/api/compliance/cases", headers=auth), lead, at_most=12)
