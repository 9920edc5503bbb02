"""BPJS's monthly statement against the programme's bill: one member missing on each side, one
amount off; another month or city refused; the same file twice changes nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jaring.accounts.models import AuditEvent, Role
from jaring.accounts.scope import SYSTEM
from jaring.contributions import services, statement_services
from jaring.contributions.models import StatementImport
from jaring.contributions.statements import parse_month
from jaring.core.errors import Conflict, PermissionDenied, ValidationFailed
from tests.contributions.setup import MONTHLY, member, programme
from tests.factories import make_user

pytestmark = pytest.mark.django_db
MARCH = dt.date(2026, 3, 1)
HEADER = ("NO KPJ", "NIK", "BULAN", "IURAN", "STATUS")


@pytest.fixture
def scenario(admin):
    """Three members billed for March: A, B, C; the branch counts A (right amount), B (wrong
    amount) and X (unknown to Jaring), and not C."""
    p = programme(admin)
    people = {k: member(admin, p, dt.date(2026, 2, 1)) for k in "ABC"}
    services.run_month(actor=SYSTEM, month=MARCH, as_of=MARCH)
    return p, people


def statement(*rows, header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def branch_march(people) -> bytes:
    a, b = people["A"], people["B"]
    return statement(
        (a.kpj, "", "03-2026", "16.800", "AKTIF"),
        (b.kpj, "", "2026-03", "8400", "aktif"),
        ("26999999999", "6172021708850099", "03/2026", "16800", "aktif"),
        (people["C"].kpj, "", "2026-03", "16800", "nonaktif"),
    )


def reconcile(actor, p, data: bytes, month=MARCH, name="laporan-maret.csv"):
    return statement_services.import_statement(
        actor=actor, programme_id=p.pk, month=month, data=data, file_name=name
    )


def test_one_missing_on_each_side_and_one_amount_off(admin, scenario):
    p, people = scenario
    report = reconcile(admin, p, branch_march(people))
    assert (report.rows, report.matched) == (4, 2)
    assert [r["kpj"] for r in report.bpjs_only] == ["26999999999"]
    assert [(r["membership_id"], r["bpjs_status"]) for r in report.jaring_only] == [
        (people["C"].pk, "inactive")
    ]
    (off,) = report.amount_differs
    assert (off["membership_id"], off["jaring"], off["bpjs"], off["difference"]) == (
        people["B"].pk,
        MONTHLY,
        8_400,
        -8_400,
    )
    assert report.jaring_total == 3 * MONTHLY and report.bpjs_total == 2 * MONTHLY + 8_400
    (event,) = AuditEvent.objects.filter(action="bpjs_statement_import")
    assert event.after["bpjs_only"] == 1 and event.after["amount_differs"] == 1
    # The same file again: recognised, nothing new.
    again = reconcile(admin, p, branch_march(people))
    assert again.already_imported and again.statement_id == report.statement_id
    assert StatementImport.objects.count() == 1
    assert AuditEvent.objects.filter(action="bpjs_statement_import").count() == 1


def test_members_matched_by_nik_when_the_statement_has_no_kpj(admin, scenario):
    p, people = scenario
    rows = [(m.worker.nik, "2026-03", "16800", "aktif") for m in people.values()]
    report = reconcile(admin, p, statement(*rows, header=("NIK", "BULAN", "IURAN", "STATUS")))
    assert report.matched == 3 and not (report.bpjs_only or report.jaring_only)


def refused(error, actor, p, data, **kw):
    with pytest.raises(error) as exc:
        reconcile(actor, p, data, **kw)
    assert not StatementImport.objects.exists()
    assert not AuditEvent.objects.filter(action="bpjs_statement_import").exists()
    return exc.value.problems


def test_a_statement_of_another_month_is_refused(admin, scenario):
    p, people = scenario
    data = statement((people["A"].kpj, "", "2026-04", "16800", "aktif"))
    (problem,) = refused(ValidationFailed, admin, p, data)
    assert problem.code == "statement_other_month" and problem.params["months"] == ["2026-04"]


def test_a_statement_of_another_city_is_refused(admin, scenario):
    p, people = scenario
    named = statement(
        (people["A"].kpj, "", "2026-03", "16800", "aktif", "Kota Singkawang"),
        (people["B"].kpj, "", "2026-03", "16800", "aktif", "Kota Pontianak"),
        header=(*HEADER, "KOTA/KAB"),
    )
    (problem,) = refused(Conflict, admin, p, named)
    assert problem.code == "statement_other_city" and "row 3" in problem.message_en
    strangers = statement(("27000000001", "6171015708850001", "2026-03", "16800", "aktif"))
    assert refused(Conflict, admin, p, strangers)[0].code == "statement_other_city"


def test_every_bad_row_at_once_and_a_missing_column_once(admin, scenario):
    p, people = scenario
    data = statement(
        ("", "", "2026-03", "16800", "aktif"),
        (people["A"].kpj, "", "maret", "16800", "aktif"),
        (people["B"].kpj, "", "2026-03", "16,8", "aktif"),
        (people["C"].kpj, "", "2026-03", "16800", "mungkin"),
    )
    problems = refused(ValidationFailed, admin, p, data)
    assert [(x.params["row"], x.code) for x in problems] == [
        (2, "statement_member_missing"),
        (3, "month_invalid"),
        (4, "statement_amount_invalid"),
        (5, "statement_status_unknown"),
    ]
    wide = statement(*[("1", "", "2026-03", "1")] * 30, header=("NO KPJ", "NIK", "BULAN", "IURAN"))
    (missing,) = refused(ValidationFailed, admin, p, wide)
    assert missing.code == "columns_missing" and missing.params["columns"] == ["status"]


def test_no_bill_for_the_month_and_roles_without_the_right(admin, scenario):
    p, people = scenario
    april = statement((people["A"].kpj, "", "2026-04", "16800", "aktif"))
    assert refused(Conflict, admin, p, april, month=dt.date(2026, 4, 1))[0].code == (
        "statement_no_bill"
    )
    with pytest.raises(PermissionDenied):
        reconcile(make_user(Role.VIEWER, "61.72"), p, branch_march(people))


@pytest.mark.parametrize(
    ("text", "month"),
    [("2026-03", MARCH), ("03-2026", MARCH), ("3/2026", MARCH), ("01-03-2026", MARCH),
     ("2026-13", None), ("Maret", None)],
)  # fmt: skip
def test_months_as_branches_write_them(text, month):
    assert parse_month(text) == month


def test_cli_and_api_reconcile_the_same_way(admin, scenario, client, tmp_path):
    p, people = scenario
    path = tmp_path / "laporan.csv"
    path.write_bytes(branch_march(people))
    out = io.StringIO()
    call_command(
        "bpjs", "statement", str(path), "--programme", str(p.pk), "--month", "2026-03",
        "--user", admin.username, "--json", stdout=out,
    )  # fmt: skip
    report = json.loads(out.getvalue())
    assert len(report["bpjs_only"]) == len(report["jaring_only"]) == 1
    with pytest.raises(CommandError):
        call_command(
            "bpjs", "statement", str(path), "--programme", str(p.pk), "--month", "2026-04",
            "--user", admin.username, stdout=io.StringIO(), stderr=io.StringIO(),
        )  # fmt: skip
    from jaring.accounts.services import create_token

    _, key = create_token(user=admin, name="t")
    auth = {"Authorization": f"Bearer {key}"}
    url = f"/api/contributions/programmes/{p.pk}/statements?month=2026-03"
    answer = client.post(url, {"file": io.BytesIO(branch_march(people))}, headers=auth)
    assert answer.status_code == 200, answer.content
    assert answer.json()["already_imported"] and answer.json()["matched"] == 2
    listed = client.get(f"/api/contributions/programmes/{p.pk}/statements", headers=auth)
    assert [s["month"] for s in listed.json()] == ["2026-03"]


def test_the_page_reconciles_shows_the_differences_and_refuses_whole(admin, scenario):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    p, people = scenario
    officer = make_user(Role.PROGRAMME_OFFICER, "61.72")
    client = Client()
    client.force_login(officer)
    url = reverse("contributions:statements", args=[p.pk])
    assert client.get(url).status_code == 200
    page = client.post(
        url,
        {"month": "2026-03", "file": SimpleUploadedFile("maret.csv", branch_march(people))},
    )
    text = page.content.decode()
    assert page.status_code == 200 and 'id="bpjs-only"' in text and "26999999999" in text
    assert people["C"].worker.full_name in text and 'id="amount-differs"' in text
    wrong = client.post(
        url,
        {"month": "2026-04", "file": SimpleUploadedFile("maret.csv", branch_march(people))},
    )
    assert wrong.status_code == 400 and 'id="problems"' in wrong.content.decode()
    assert StatementImport.objects.count() == 1
    other_city = Client()
    other_city.force_login(make_user(Role.PROGRAMME_OFFICER, "61.71"))
    assert other_city.get(url).status_code == 404
