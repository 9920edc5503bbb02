"""The mayor's one-page PDF laid out so nothing overflows at realistic extremes: 8-digit counts,
long region, district and occupation names, long warnings. Checked on the PDF's text positions
(pypdf), with each run's width measured in its own font: inside the page's margins, no two runs
on one line overlapping, the headline figures on page 1, one page."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth

from jaring.accounts.scope import SYSTEM
from jaring.coverage import dashboard, report_pdf
from jaring.regions.models import Region
from tests.coverage.test_coverage import CITY, _figures

pytestmark = pytest.mark.django_db
MARGIN = 10  # points: no text closer to the page's edge

LONG = "Kecamatan Singkawang Tengah Bagian Utara dan Sekitarnya"


def _extreme(data: dict) -> dict:
    """The dashboard dict with the largest figures and longest names a city could have."""
    cov = data["coverage"]
    cov.update(
        participants=12_345_678,
        working_population=23_456_789,
        gap_people=10_987_654,
        coverage_pct=Decimal("52.63"),
        target_pct=Decimal("99.99"),
        gap_pct=Decimal("47.36"),
        kpi_pct=Decimal("48.12"),
    )
    cov["warnings"] = [
        {
            "message_id": "Angka peserta penerima upah dari laporan BPJS bulan lalu dipakai untuk "
            "bulan ini karena laporan bulan ini belum diterima; " * 3
        }
    ] * 4
    data["segments"] = [
        {
            "name": f"Segmen bukan penerima upah program {LONG}",
            "participants": 12_345_678,
            "coverage_pct": Decimal("100.00"),
        }
    ] * 4
    data["districts"] = [
        {"name": LONG, "participants": 12_345_678, "coverage_pct": Decimal("100.00")}
    ] * 8
    data["categories"] = [
        {"name": "Pengemudi ojek daring dan pangkalan " * 2, "members": 98_765_432}
    ] * 8
    data["history"] = [
        {"month": f"2026-{m:02d}", "coverage_pct": Decimal(30 + m), "target_pct": Decimal(45)}
        for m in range(1, 13)
    ]
    data["money"] = {
        "year": 2026,
        "contributions_paid": 98_765_432_100,
        "self_payments": 12_345_678_900,
        "benefits_paid": 87_654_321_000,
        "ratio": Decimal("1250.00"),
        "claims": 12_345_678,
    }
    data["projection"].update(
        target_already_reached=False,
        pace_pp_per_month=Decimal("0.125"),
        target_reached_month=None,
        people_needed=10_987_654,
        enrolments_per_month=915_638,
        by_month="2026-12",
        months_of_cover=12,
        budget_needed=987_654_321_000,
        budget_basis="Perlindungan Pekerja Rentan Kota Singkawang Tahun Anggaran 2026 " * 3,
    )
    return data


def _runs(pdf: bytes) -> list[tuple[int, float, float, float, str, float]]:
    """Every text run: (page, x, y, width, text, font size)."""
    runs = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):

        def visit(text, cm, tm, font, size, number=number):
            if not text.strip():
                return
            base = str(font.get("/BaseFont", "/Helvetica")).lstrip("/") if font else "Helvetica"
            scale = (cm[0] * tm[0]) or 1
            x, y = cm[0] * tm[4] + cm[4], cm[3] * tm[5] + cm[5]
            if cm[1] or tm[1]:  # turned text (the axis title): its width runs upward
                return
            runs.append((number, x, y, stringWidth(text, base, size) * scale, text, size * scale))

        page.extract_text(visitor_text=visit)
    return runs


def test_nothing_overflows_the_page_at_the_largest_figures():
    _figures(people=1000, target="45", wage=300, self_paid=50, month="2026-10")
    region = Region.objects.get(code=CITY)
    region.name = "Kota Singkawang Raya Metropolitan Kalimantan Barat Utara"
    data = _extreme(dashboard.dashboard(SYSTEM, region, dt.date(2026, 10, 1)))
    pdf = report_pdf.report_pdf(region, data)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    width, height = A4
    runs = _runs(pdf)
    assert runs
    for _page, x, y, w, text, _size in runs:
        assert x >= MARGIN and x + w <= width - MARGIN + 0.5, (text, x, x + w)
        assert MARGIN <= y <= height - MARGIN, (text, y)
    # No two runs' boxes (baseline - descent to baseline + cap height) overlap: headers and
    # figures stay apart, a wrapped paragraph never runs into the footer.
    boxes = [(x, x + w, y - 0.2 * size, y + 0.7 * size, text) for _p, x, y, w, text, size in runs]
    for i, (a0, a1, b0, b1, a) in enumerate(boxes):
        for c0, c1, d0, d1, b in boxes[i + 1 :]:
            apart = a1 <= c0 + 0.5 or c1 <= a0 + 0.5 or b1 <= d0 + 0.5 or d1 <= b0 + 0.5
            assert apart, (a, b)
    text = " ".join(run[4] for run in runs)
    assert "52,63 %" in text and "99,99 %" in text and "10.987.654 orang" in text
    assert "Cakupan (%)" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Bulan" in text and "2026-01" in text and "2026-12" in text
