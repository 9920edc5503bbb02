"""The money report, with figures worked out by hand from the set-up below.

Singkawang programme (base Rp1,000,000 → JKK Rp10,000 + JKM Rp6,800 = Rp16,800 a month, APBD so
no discount): two fishers (5 months) and an oil-palm smallholder (12 months), all covered from
1 Feb 2026. Pontianak programme: one fisher from 1 Feb 2026. Bills for Feb, Mar and Apr 2026.
Singkawang pays Feb and Mar in full and Rp10,000 of April (which fills the first fisher's line
first); Pontianak pays nothing.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from jaring.accounts.models import Role
from jaring.accounts.scope import SYSTEM
from jaring.claims import report_documents, services
from jaring.claims.reports import money_report
from jaring.contributions import payment_services
from jaring.contributions import services as billing
from jaring.core.errors import NotFound, PermissionDenied
from tests.claims.setup import member_at, register
from tests.contributions.setup import programme
from tests.factories import PASIRAN, PONTIANAK_VILLAGE, make_user

pytestmark = pytest.mark.django_db

MONTHLY = 16_800
MILLION = 1_000_000
FEB = dt.date(2026, 2, 1)
AS_OF = dt.date(2026, 5, 1)  # after April's due date


@pytest.fixture
def money(admin):
    skw = programme(admin)
    ptk = programme(admin, name="Perlindungan Nelayan Pontianak 2026", region_code="61.71")
    f1 = member_at(admin, skw, FEB, PASIRAN)
    f2 = member_at(admin, skw, FEB, PASIRAN)
    palm = member_at(admin, skw, FEB, PASIRAN, "palm_oil_worker")
    ptk1 = member_at(admin, ptk, FEB, PONTIANAK_VILLAGE)
    for month in (2, 3, 4):
        billing.run_month(
            actor=SYSTEM, month=dt.date(2026, month, 1), as_of=dt.date(2026, month, 1)
        )
    payment_services.record_payment(
        actor=admin,
        programme=skw,
        paid_on=dt.date(2026, 4, 20),
        amount=2 * 3 * MONTHLY + 10_000,
        reference="SP2D-1/2026",
    )
    death = register(admin, f1, "death")  # JKM: Rp42,000,000
    for action in ("verify", "approve"):
        services.transition(actor=admin, claim=death, action=action)
    services.transition(
        actor=admin, claim=death, action="pay", paid_on=dt.date(2026, 4, 1), reference="K-1"
    )
    register(admin, f2, "work_accident", months_incapacity=2)  # STMB Rp2,000,000, not paid
    rejected = register(admin, palm, "death")
    services.transition(actor=admin, claim=rejected, action="reject", reason="Masih hidup")
    accident = register(admin, ptk1, "work_accident", months_incapacity=1)  # Rp1,000,000
    for action in ("verify", "approve"):
        services.transition(actor=admin, claim=accident, action=action)
    services.transition(
        actor=admin, claim=accident, action="pay", paid_on=dt.date(2026, 4, 1), reference="K-2"
    )
    return skw, ptk


def by_segment(report) -> dict[str, dict]:
    return {r.segment: r.as_dict() for r in report.rows}


def test_a_programme_year_with_every_figure(admin, money):
    skw, _ = money
    report = money_report(admin, year=2026, programme_id=skw.pk, as_of=AS_OF)
    rows = by_segment(report)
    assert set(rows) == {"fisher", "palm_oil_worker"}
    fishers, palm = rows["fisher"], rows["palm_oil_worker"]
    assert (fishers["city"], fishers["participation_code"]) == ("Kota Singkawang", "SG")
    # Two fishers, Feb–Jun; the smallholder Feb–Dec of 2026.
    assert (fishers["members"], fishers["member_months"]) == (2, 10)
    assert (palm["members"], palm["member_months"]) == (1, 11)
    # Three months billed each; April's Rp10,000 went to the first fisher's line.
    assert (fishers["billed"], fishers["paid"], fishers["arrears"]) == (
        6 * MONTHLY,
        4 * MONTHLY + 10_000,
        2 * MONTHLY - 10_000,
    )
    assert fishers["members_in_arrears"] == 2
    assert (palm["billed"], palm["paid"], palm["arrears"]) == (
        3 * MONTHLY,
        2 * MONTHLY,
        MONTHLY,
    )
    assert fishers["claims"]["death"] == {"count": 1, "amount": 42 * MILLION}
    assert fishers["claims"]["work_accident"] == {"count": 1, "amount": 2 * MILLION}
    assert palm["claims_count"] == 0  # the rejected claim is left out
    assert (fishers["claims_paid"], fishers["benefits_paid"]) == (1, 42 * MILLION)
    assert fishers["ratio"] == "544.04"  # 42,000,000 / 77,200
    assert palm["ratio"] == "0.00"

    total = report.total.as_dict()
    assert (total["members"], total["member_months"]) == (3, 21)
    assert (total["billed"], total["paid"], total["arrears"]) == (151_200, 110_800, 40_400)
    assert (total["claims_count"], total["claims_amount"]) == (2, 44 * MILLION)
    assert total["ratio"] == "379.06"  # 42,000,000 / 110,800


def test_arrears_count_only_lines_past_their_due_date(admin, money):
    skw, _ = money
    report = money_report(admin, year=2026, programme_id=skw.pk, as_of=dt.date(2026, 4, 10))
    assert report.total.arrears == 0  # February and March are paid; April is not due yet


def test_region_filters_and_national_view(admin, money):
    singkawang = money_report(admin, year=2026, region_code="61.72", as_of=AS_OF)
    assert {r.regency_code for r in singkawang.rows} == {"61.72"}
    province = money_report(admin, year=2026, region_code="61", as_of=AS_OF)
    assert {r.regency_code for r in province.rows} == {"61.71", "61.72"}
    pontianak = money_report(admin, year=2026, region_code="61.71", as_of=AS_OF).total
    # Nothing paid: arrears are the whole bill, and there is no ratio to give.
    assert (pontianak.members, pontianak.billed, pontianak.paid, pontianak.arrears) == (
        1,
        3 * MONTHLY,
        0,
        3 * MONTHLY,
    )
    assert (pontianak.benefits_paid, pontianak.ratio) == (MILLION, None)
    assert province.total.members == 4


def test_a_later_year_counts_only_what_falls_in_it(admin, money):
    skw, _ = money
    report = money_report(admin, year=2027, programme_id=skw.pk, as_of=AS_OF)
    [row] = report.rows
    assert (row.segment, row.members, row.member_months) == ("palm_oil_worker", 1, 1)
    assert (row.billed, row.claims_count) == (0, 0)


def test_the_report_is_scoped(admin, money):
    viewer = make_user(Role.VIEWER, "61.72")
    mine = money_report(viewer, year=2026, as_of=AS_OF)
    assert {r.regency_code for r in mine.rows} == {"61.72"}
    escape = money_report(viewer, year=2026, region_code="61.71", as_of=AS_OF)
    assert escape.rows == [] and escape.total.billed == 0
    with pytest.raises(PermissionDenied):
        money_report(make_user(Role.ENUMERATOR, PASIRAN), year=2026)
    with pytest.raises(NotFound):
        money_report(admin, year=2026, region_code="99.99")


def test_xlsx_and_pdf_carry_the_figures(admin, money):
    skw, _ = money
    report = money_report(admin, year=2026, programme_id=skw.pk, as_of=AS_OF)
    sheet = load_workbook(io.BytesIO(report_documents.report_xlsx(report))).active
    rows = list(sheet.iter_rows(values_only=True))
    head = rows[3]
    total = dict(zip(head, rows[-1], strict=True))
    assert total["Iuran dibayar / Paid"] == 110_800
    assert total["Tunggakan / Arrears"] == 40_400
    assert total["Rasio manfaat : iuran / Benefit-to-contribution ratio"] == "379.06"
    assert total["Meninggal bukan karena kerja / Death not by work: Rp"] == 42 * MILLION
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(report_documents.report_pdf(report))).pages
    )
    assert "379.06" in text and "Rp110.800" in text and "Kota Singkawang" in text
