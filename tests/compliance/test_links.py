"""A fuzzy link undone: the business comes back as it was, with its list entries; the registered
employer loses what the business brought; the leads follow; later runs keep the two apart."""

import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from jaring.accounts.models import AuditEvent, Role
from jaring.compliance import matching, services
from jaring.compliance.models import Employer, EmployerLink, Lead, SourceKind
from jaring.core.errors import Conflict, NotFound
from tests.compliance.setup import CITY, load
from tests.compliance.test_interfaces import bearer
from tests.factories import make_user

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 6, 1)


def test_a_fuzzy_link_undone_and_kept_apart(tmp_path, client):
    officer = make_user(Role.COMPLIANCE_OFFICER, CITY)
    load(officer, tmp_path)
    matching.find_leads(actor=officer, region_code=CITY, on=ON)
    link = EmployerLink.objects.get(employer__name="SINAR JAYA ABADI PT")
    registered = link.employer
    assert link.method == "name_address" and link.score >= matching.THRESHOLD
    assert link.business["name"] == "PT Sinar Jaya Abadi"
    assert (registered.nib, registered.other_workers) == ("1234567890123", 25)
    assert registered.leads.filter(kind="pds_tk", status="open").exists()

    client.force_login(officer)
    page = client.get(reverse("compliance:employer", args=[registered.pk])).content.decode()
    assert "PT Sinar Jaya Abadi" in page and reverse("compliance:unlink", args=[link.pk]) in page

    with pytest.raises(NotFound):  # another city's officer
        services.unlink(actor=make_user(Role.COMPLIANCE_OFFICER, "61.72"), link_id=link.pk)
    business = services.unlink(actor=officer, link_id=link.pk, on=ON)
    assert business.pk == link.linked_id and business.name == "PT Sinar Jaya Abadi"
    assert (business.nib, business.other_workers, business.bpjs_list_id) == (
        "1234567890123",
        25,
        None,
    )
    assert list(business.entries.values_list("kind", flat=True)) == [SourceKind.LICENCE]
    registered.refresh_from_db()
    assert (registered.nib, registered.other_workers, registered.other_wage_bill) == (
        "",
        None,
        None,
    )
    assert list(registered.entries.values_list("kind", flat=True)) == [SourceKind.BPJS]
    # Its leads found again: nothing says any more that the registered one has more workers
    # (its wages under the UMK are its own); the business is not registered.
    assert set(registered.leads.filter(status="open").values_list("kind", flat=True)) == {
        "pds_upah"
    }
    assert registered.leads.get(kind="pds_tk").status == "resolved"
    assert Lead.objects.get(employer=business, status="open").kind == "pwbd"
    event = AuditEvent.objects.get(action="compliance.unlink")
    assert event.before["linked"] == business.pk and event.after["restored"] == business.pk

    with pytest.raises(Conflict) as twice:
        services.unlink(actor=officer, link_id=link.pk)
    assert twice.value.problems[0].code == "link_undone"

    # The next run keeps them apart.
    matching.find_leads(actor=officer, region_code=CITY, on=ON)
    assert Employer.objects.filter(pk=business.pk).exists()
    assert not EmployerLink.objects.filter(linked_id=business.pk, undone_at__isnull=True).exists()


def test_undo_and_evidence_over_the_api_and_the_command_line(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    officer = make_user(Role.COMPLIANCE_OFFICER, CITY)
    load(officer, tmp_path)
    matching.find_leads(actor=officer, region_code=CITY, on=ON)
    link = EmployerLink.objects.get()
    api, auth = Client(), bearer(officer)
    other_city = bearer(make_user(Role.COMPLIANCE_OFFICER, "61.72"))
    assert api.post(f"/api/compliance/links/{link.pk}/undo", headers=other_city).status_code == 404
    out = io.StringIO()
    call_command("compliance", "unlink", str(link.pk), "--user", officer.username, "--json",
                 stdout=out)  # fmt: skip
    assert json.loads(out.getvalue())["employer_id"] == link.linked_id
    again = api.post(f"/api/compliance/links/{link.pk}/undo", headers=auth)
    assert again.status_code == 409 and again.json()["errors"][0]["code"] == "link_undone"

    lead = Lead.objects.filter(status="open").exclude(employer__bpjs_list=None).first()
    case = services.open_case(actor=officer, lead_id=lead.pk, on=ON)
    step = services.take_step(
        actor=officer,
        case_id=case.pk,
        data=services.StepInput(step="warning_1", taken_on=ON, officer_name="Maria Theresia"),
    )
    sent = api.post(
        f"/api/compliance/steps/{step.pk}/evidence",
        {"files": [SimpleUploadedFile("bukti.pdf", b"%PDF-1.4\n")]},
        headers=auth,
    )
    assert sent.status_code == 201, sent.content
    (saved,) = sent.json()
    assert (saved["original_name"], saved["content_type"]) == ("bukti.pdf", "application/pdf")
    got = api.get(f"/api/compliance/evidence/{saved['id']}", headers=auth)
    assert got.status_code == 200 and b"".join(got.streaming_content) == b"%PDF-1.4\n"
