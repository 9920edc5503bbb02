"""The CLI, the pages and the API call the same services: each route once, with a refusal."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from jaring.accounts.models import Role
from jaring.accounts.scope import SYSTEM
from jaring.contributions import services
from jaring.contributions.models import Bill, BillingRun, Payment, RateImport
from tests.contributions.setup import MONTHLY, member, programme
from tests.contributions.test_rates import OFFICIAL
from tests.factories import make_user
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def billed(admin, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    p = programme(admin)
    member(admin, p, dt.date(2026, 2, 1), full_name="Siti Aminah")
    member(admin, p, dt.date(2026, 2, 1), "palm_oil_worker", full_name="Ahmad Yani")
    return p


def cli(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_cli_run_list_show_export_pay_and_arrears(billed, tmp_path):
    month = ("billing", "run", "--month", "2026-02", "--as-of", "2026-02-01", "--json")
    dry = json.loads(cli(*month, "--dry-run"))  # what it would bill; nothing kept
    assert [b["members"] for b in dry["bills"]] == [2] and not Bill.objects.exists()
    run = json.loads(cli(*month))
    [made] = run["bills"]
    assert (made["members"], made["total"], made["due_date"]) == (2, 2 * MONTHLY, "2026-02-18")
    [listed] = json.loads(cli("billing", "list", "--json"))
    assert listed["id"] == made["bill_id"] and listed["open"] == 2 * MONTHLY
    shown = json.loads(cli("billing", "show", str(made["bill_id"]), "--json"))
    assert {r["category"] for r in shown["rates"]} == {"fisher", "palm_oil_worker"}
    assert shown["rates"][0]["formulas"] == {"JKK": "1 % × Rp1.000.000", "JKM": "Rp6.800"}
    pdf = tmp_path / "bill.pdf"
    call_command(
        "billing",
        "export",
        str(made["bill_id"]),
        "--format",
        "pdf",
        "--output",
        pdf,
        stderr=io.StringIO(),
    )
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Siti Aminah" in text and "Rp33.600" in text and "18-02-2026" in text

    arrears = json.loads(cli("billing", "arrears", "--as-of", "2026-03-01", "--json"))
    assert [(a["name"], a["months"]) for a in arrears] == [
        ("Siti Aminah", ["2026-02"]),
        ("Ahmad Yani", ["2026-02"]),
    ]
    paid = json.loads(
        cli(
            "payments",
            "record",
            "--programme",
            str(billed.pk),
            "--amount",
            "Rp33.600",
            "--date",
            "2026-02-16",
            "--reference",
            "SP2D-0042/2026",
            "--json",
        )
    )
    assert paid["bills"] == [{"bill_id": made["bill_id"], "month": "2026-02", "amount": 33_600}]
    assert json.loads(cli("billing", "arrears", "--as-of", "2026-03-01", "--json")) == []
    with pytest.raises(CommandError) as exc:
        cli(
            "payments",
            "record",
            "--programme",
            str(billed.pk),
            "--amount",
            "100",
            "--date",
            "2026-02-16",
            "--reference",
            "SP2D-0043/2026",
            "--json",
        )
    assert exc.value.returncode == 2
    assert len(json.loads(cli("payments", "list", "--json"))) == 1


def test_cli_rates_list_and_import(admin, tmp_path):
    shipped = json.loads(cli("rates", "list", "--table", "bpu_rates", "--json"))
    assert [(r["id"], r["origin"]) for r in shipped] == [("BPU-RATES-PP44-2015", "shipped")]
    path = tmp_path / "official.toml"
    path.write_text(OFFICIAL, "utf-8")
    with pytest.raises(CommandError):
        cli("rates", "import", str(path), "--json")
    assert not RateImport.objects.exists()
    done = json.loads(cli("rates", "import", str(path), "--close-previous", "--json"))
    assert done["versions"] == {"bpu_income_base": ["BPU-BASE-OFFICIAL-2026-09"]}
    listed = json.loads(cli("rates", "list", "--table", "bpu_income_base", "--json"))
    assert [r["origin"] for r in listed] == ["shipped", f"import #{done['import_id']}"]


def test_pages_run_in_the_background_then_show_the_bill_and_its_xlsx(admin, billed):
    web = client_for(admin)
    asked = {"month": "2026-02", "programme": ""}
    # The preview: the run rehearsed (one bill of two members and its amount), nothing kept.
    preview = web.post(reverse("contributions:bills"), asked)
    assert preview.status_code == 200 and 'id="confirm"' in preview.text
    assert str(billed) in preview.text and "Rp" in preview.text
    assert not Bill.objects.exists() and not BillingRun.objects.exists()
    response = web.post(reverse("contributions:bills"), asked | {"step": "confirm"})
    assert response.status_code == 302
    run = BillingRun.objects.get()
    assert run.status == "done" and run.result["bills"][0]["members"] == 2
    bill = Bill.objects.get()
    page = web.get(reverse("contributions:bills"))
    assert page.status_code == 200 and str(billed).encode() in page.content
    detail = web.get(reverse("contributions:bill", args=[bill.pk]))
    assert b"Siti Aminah" in detail.content and b"18-02-2026" in detail.content
    xlsx = web.get(reverse("contributions:document", args=[bill.pk, "xlsx"]))
    book = load_workbook(io.BytesIO(xlsx.content))
    rows = list(book["Peserta"].iter_rows(values_only=True))
    assert [r[3] for r in rows[1:]] == ["Siti Aminah", "Ahmad Yani"]
    assert [r[5] for r in rows[1:]] == [MONTHLY, MONTHLY]


def test_payment_page_records_and_refuses_with_the_reason(admin, billed):
    services.run_month(actor=SYSTEM, month=dt.date(2026, 2, 1), as_of=dt.date(2026, 2, 1))
    bill = Bill.objects.get()
    web = client_for(admin)
    form = web.get(reverse("contributions:payments"), {"bill": bill.pk})
    assert form.status_code == 200 and b'value="33600"' in form.content
    data = {
        "programme": billed.pk,
        "paid_on": "2026-02-16",
        "amount": 40_000,
        "reference": "SP2D-1",
        "bills": [bill.pk],
    }
    refused = web.post(reverse("contributions:payments"), data)
    assert refused.status_code == 200 and b"Rp6.400" in refused.content
    assert not Payment.objects.exists()
    done = web.post(reverse("contributions:payments"), data | {"amount": 33_600})
    assert done.status_code == 302
    bill.refresh_from_db()
    assert bill.status == "paid"
    arrears = web.get(reverse("contributions:arrears"), {"as_of": "2026-03-01"})
    assert arrears.status_code == 200 and b"Siti Aminah" not in arrears.content


def test_rates_page_upload_is_for_admins(admin):
    upload = io.BytesIO(OFFICIAL.encode())
    upload.name = "official.toml"
    officer = client_for(make_user(Role.PROGRAMME_OFFICER, "61.72"))
    assert officer.get(reverse("contributions:rates")).status_code == 200
    assert officer.post(reverse("contributions:rates"), {"file": upload}).status_code == 404
    upload.seek(0)
    response = client_for(admin).post(
        reverse("contributions:rates"), {"file": upload, "close_previous": "on"}
    )
    assert response.status_code == 302 and RateImport.objects.count() == 1


def test_enumerators_see_no_bills(billed):
    enumerator = client_for(make_user(Role.ENUMERATOR, "61.72.02.1001"))
    assert enumerator.get(reverse("contributions:bills")).status_code == 404


def test_api_bills_run_payment_and_refusal(admin, billed, api):
    caller = api(admin)
    asked = {"month": "2026-02", "as_of": "2026-02-01"}
    dry = caller.post("/api/contributions/runs", asked | {"dry_run": True})
    assert dry.status_code == 200 and dry.json()["bills"][0]["total"] == 2 * MONTHLY
    assert not Bill.objects.exists() and not BillingRun.objects.exists()
    started = caller.post("/api/contributions/runs", asked)
    assert started.status_code == 202 and started.json()["status"] == "done"
    [bill] = caller.get("/api/contributions/bills").json()
    assert (bill["members"], bill["total"]) == (2, 2 * MONTHLY)
    over = caller.post(
        "/api/contributions/payments",
        {
            "programme_id": billed.pk,
            "paid_on": "2026-02-16",
            "amount": 40_000,
            "reference": "SP2D-9",
        },
    )
    assert over.status_code == 409
    assert over.json()["errors"][0]["code"] == "payment_exceeds_open"
    paid = caller.post(
        "/api/contributions/payments",
        {
            "programme_id": billed.pk,
            "paid_on": "2026-02-16",
            "amount": 40_000,
            "reference": "SP2D-9",
            "excess_to_credit": True,
        },
    )
    assert paid.status_code == 201 and paid.json()["to_credit"] == 40_000 - 2 * MONTHLY
    viewer = api(make_user(Role.VIEWER, "61.72"))
    assert viewer.get(f"/api/contributions/bills/{bill['id']}").status_code == 200
    refused = viewer.post(
        "/api/contributions/payments",
        {"programme_id": billed.pk, "paid_on": "2026-02-16", "amount": 1, "reference": "X"},
    )
    assert refused.status_code == 403
