"""From lists to leads to a case and its closing, through the services."""

import datetime as dt

import pytest

from jaring.accounts.models import Role
from jaring.accounts.scope import SYSTEM
from jaring.compliance import matching, selectors
from jaring.compliance.models import Employer, Lead
from tests.compliance.setup import CITY, load
from tests.factories import make_user

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 6, 1)


def test_leads_with_figures_side_by_side(tmp_path):
    officer = make_user(Role.COMPLIANCE_OFFICER, CITY)
    load(officer, tmp_path)
    result = matching.find_leads(actor=officer, region_code=CITY, on=ON)
    assert result.linked == 1  # "PT Sinar Jaya Abadi" = "SINAR JAYA ABADI PT" by name
    leads = {(lead.employer.name, lead.kind): lead for lead in Lead.objects.all()}
    assert set(leads) >= {
        ("SINAR JAYA ABADI PT", "pds_tk"),
        ("CV Maju Bersama", "pds_upah"),
        ("Toko Berkah Selalu", "pds_program"),
        ("Bengkel Harapan Motor", "pwbd"),
    }
    tk = leads[("SINAR JAYA ABADI PT", "pds_tk")]
    assert tk.figures["bpjs"]["workers"] == 10 and tk.figures["other"]["workers"] == 25
    assert "15 belum didaftarkan" in tk.reason_id
    upah = leads[("CV Maju Bersama", "pds_upah")]
    assert upah.figures["bpjs"]["average_wage"] == 2_500_000
    assert upah.figures["umk"] == 3_205_220 and "UMK" in upah.reason_id
    assert Employer.objects.count() == 4
    assert selectors.leads(SYSTEM, region=CITY).count() == len(leads)
