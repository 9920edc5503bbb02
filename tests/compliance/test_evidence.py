"""Evidence files on case steps: checked by content and size, stored outside the static files
under a random name, all or nothing; downloaded only in the case's region, each download a
recorded read."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jaring.accounts.models import AuditEvent, ReadEvent, Role
from jaring.compliance import matching, services
from jaring.compliance.models import Lead, StepEvidence
from jaring.core.errors import ValidationFailed
from tests.compliance.setup import CITY, load
from tests.factories import make_user

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% tanda terima\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def step(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    officer = make_user(Role.COMPLIANCE_OFFICER, CITY)
    load(officer, tmp_path)
    matching.find_leads(actor=officer, region_code=CITY, on=dt.date(2026, 6, 1))
    lead = Lead.objects.get(employer__name="SINAR JAYA ABADI PT", kind="pds_tk")
    case = services.open_case(actor=officer, lead_id=lead.pk, on=dt.date(2026, 6, 2))
    taken = services.take_step(
        actor=officer,
        case_id=case.pk,
        data=services.StepInput(
            step="warning_1", taken_on=dt.date(2026, 6, 2), officer_name="Maria Theresia"
        ),
    )
    return officer, taken


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_files_are_checked_by_content_and_kept_under_a_random_name(step, settings):
    officer, taken = step
    saved = services.add_evidence_files(
        actor=officer,
        case_id=taken.case_id,
        step_id=taken.pk,
        files=[upload("tanda terima.pdf", PDF), upload("foto.png", PNG)],
    )
    assert [(e.original_name, e.content_type) for e in saved] == [
        ("tanda terima.pdf", "application/pdf"),
        ("foto.png", "image/png"),
    ]
    stored = Path(saved[0].file.path)
    assert stored.read_bytes() == PDF and "tanda" not in stored.name
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT) / "compliance")
    assert not stored.is_relative_to(Path(settings.STATIC_ROOT))
    event = AuditEvent.objects.filter(action="compliance.add_evidence_files").get()
    assert [f["name"] for f in event.after["files"]] == ["tanda terima.pdf", "foto.png"]

    # A program renamed to .pdf, and a file over the limit: refused, nothing kept.
    settings.JARING_EVIDENCE_MAX_BYTES = 1000
    with pytest.raises(ValidationFailed) as refused:
        services.add_evidence_files(
            actor=officer,
            case_id=taken.case_id,
            step_id=taken.pk,
            files=[
                upload("ok.pdf", PDF),
                upload("surat.pdf", b"MZ\x90\x00"),
                upload("besar.pdf", PDF + b"0" * 2000),
            ],
        )
    assert [(p.code, p.field) for p in refused.value.problems] == [
        ("evidence_type", "files.1"),
        ("evidence_too_large", "files.2"),
    ]
    assert StepEvidence.objects.count() == 2
    assert len(list((Path(settings.MEDIA_ROOT) / "compliance").iterdir())) == 2


def test_a_download_is_checked_against_the_region_and_recorded(step, client):
    officer, taken = step
    (saved,) = services.add_evidence_files(
        actor=officer, case_id=taken.case_id, step_id=taken.pk, files=[upload("bukti.pdf", PDF)]
    )
    url = reverse("compliance:evidence", args=[saved.pk])
    client.force_login(make_user(Role.COMPLIANCE_OFFICER, "61.72"))  # another city
    assert client.get(url).status_code == 404
    assert not ReadEvent.objects.exists()

    client.force_login(officer)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    read = ReadEvent.objects.get()
    assert read.actor == officer and read.region_code == taken.case.region_code
    assert "bukti.pdf" in read.what

    page = client.get(reverse("compliance:case", args=[taken.case_id]))
    assert url in page.content.decode() and b'id="evidence-form"' in page.content
