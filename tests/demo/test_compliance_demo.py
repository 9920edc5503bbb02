"""The compliance demo for Kota Pontianak: every kind of lead, a case at every step, one closed
by BPJS's next list, letters that print; loaded once."""

import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from jaring.compliance import letters
from jaring.compliance.models import Case, CaseStep, Lead
from jaring.coverage.models import SegmentCount

pytestmark = pytest.mark.django_db


def test_the_pontianak_compliance_demo():
    out = io.StringIO()
    call_command("demo", "--scenario", "compliance-pontianak", "--workers", "0", stdout=out)
    assert "pengawas" in out.getvalue()
    assert {k for k in Lead.objects.values_list("kind", flat=True)} == {
        "pwbd", "pds_tk", "pds_upah", "pds_program",
    }  # fmt: skip
    steps = set(Case.objects.values_list("step", flat=True))
    assert steps >= {"coaching", "warning_1", "warning_2", "fine", "kejari"}
    closed = Case.objects.get(status="closed")
    assert (closed.close_reason, closed.workers_added) == ("registered", 20)
    assert SegmentCount.objects.get(region_id="61.71").participants == 20
    fine = CaseStep.objects.get(step="fine", case__employer__name="CV Kapuas Jaya Teknik")
    assert fine.figures["fine"]["fine"] > 0
    for step in CaseStep.objects.exclude(step="coaching"):
        text = PdfReader(io.BytesIO(letters.letter_pdf(step))).pages[0].extract_text()
        assert "Maria Theresia" in text and step.case.employer.name in text
    again = io.StringIO()
    call_command("demo", "--scenario", "compliance-pontianak", "--workers", "0", stdout=again)
    assert Case.objects.count() == 6 and "0 lists" in again.getvalue()
