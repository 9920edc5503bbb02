"""The mayor's one-page coverage report (A4, Bahasa Indonesia), and a chart's PNG as a PDF.

Both draw from the dashboard dict, so the page, the API and the paper say the same thing.
"""

from __future__ import annotations

import io

from django.utils import translation
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from jaring.core import formats
from jaring.coverage.models import PopulationSource
from jaring.regions.models import Region
from jaring.rules.tables import rupiah

BRAND = colors.HexColor("#0f5e63")
ACCENT = colors.HexColor("#e0a526")
MUTED = colors.HexColor("#5d6b72")
LINE = colors.HexColor("#dfe5e8")


def _n(value) -> str:
    return formats.number(value, "id")


def _decimal(value) -> str:
    """A decimal as Indonesian writes it: 3,376 is three and a bit, not three thousand."""
    return "–" if value is None else str(value).replace(".", ",")


def _pct(value) -> str:
    return "–" if value is None else f"{_decimal(value)} %"


def _source(code: str | None) -> str:
    if code not in PopulationSource.values:
        return code or "–"
    with translation.override("id"):
        return str(PopulationSource(code).label)


def _text(c: Canvas, x: float, y: float, text: str, size: float = 9, bold=False, color=None):
    c.setFont("Helvetica-Bold" if bold else "Helvetica", size)
    c.setFillColor(color or colors.black)
    c.drawString(x, y, text)


def _trend(c: Canvas, x: float, y: float, w: float, h: float, points: list[dict]) -> None:
    """Coverage month by month, with the year's target as a dashed line."""
    c.setStrokeColor(LINE)
    c.rect(x, y, w, h, stroke=1, fill=0)
    known = [p for p in points if p["coverage_pct"] is not None]
    if len(known) < 2:
        _text(c, x + 4 * mm, y + h / 2, "Belum cukup data untuk grafik tren.", 8, color=MUTED)
        return
    values = [float(p["coverage_pct"]) for p in known]
    targets = [float(p["target_pct"]) for p in known if p["target_pct"] is not None]
    top = max(values + targets) * 1.1 or 1
    low = max(0.0, min(values) * 0.8)

    def at(i: int, v: float) -> tuple[float, float]:
        return x + 6 * mm + i * (w - 12 * mm) / (len(known) - 1), y + 5 * mm + (v - low) / (
            top - low
        ) * (h - 10 * mm)

    c.setStrokeColor(BRAND)
    c.setLineWidth(1.6)
    path = c.beginPath()
    path.moveTo(*at(0, values[0]))
    for i, v in enumerate(values[1:], start=1):
        path.lineTo(*at(i, v))
    c.drawPath(path, stroke=1, fill=0)
    c.setDash(3, 2)
    c.setStrokeColor(ACCENT)
    for i, p in enumerate(known):
        if p["target_pct"] is not None and i + 1 < len(known):
            c.line(*at(i, float(p["target_pct"])), *at(i + 1, float(p["target_pct"])))
    c.setDash()
    c.setLineWidth(1)
    _text(c, x + 2 * mm, y + 1.5 * mm, known[0]["month"], 7, color=MUTED)
    _text(c, x + w - 14 * mm, y + 1.5 * mm, known[-1]["month"], 7, color=MUTED)
    _text(c, x + 2 * mm, y + h - 4 * mm, f"maks. {top:.0f} %", 7, color=MUTED)


def _table(c: Canvas, x: float, y: float, rows: list[tuple], widths: list[float]) -> float:
    """Rows of cells (the first is the header); returns the y below the table."""
    for r, row in enumerate(rows):
        cx = x
        for i, (cell, width) in enumerate(zip(row, widths, strict=True)):
            c.setFont("Helvetica-Bold" if r == 0 else "Helvetica", 8)
            c.setFillColor(MUTED if r == 0 else colors.black)
            if i == 0:
                c.drawString(cx, y, str(cell)[:48])
            else:
                c.drawRightString(cx + width, y, str(cell))
            cx += width
        y -= 4.4 * mm
        if r == 0:
            c.setStrokeColor(LINE)
            c.line(x, y + 3.2 * mm, x + sum(widths), y + 3.2 * mm)
    return y


def report_pdf(region: Region, data: dict) -> bytes:
    out = io.BytesIO()
    c = Canvas(out, pagesize=A4)
    c.setTitle(f"Cakupan Jamsostek {region.name} {data['coverage']['month']}")
    width, height = A4
    cov, proj = data["coverage"], data["projection"]
    left = 18 * mm
    c.setFillColor(BRAND)
    c.rect(0, height - 30 * mm, width, 30 * mm, stroke=0, fill=1)
    _text(
        c,
        left,
        height - 14 * mm,
        "Cakupan Jaminan Sosial Ketenagakerjaan (UCJ)",
        15,
        True,
        colors.white,
    )
    _text(
        c,
        left,
        height - 22 * mm,
        f"{region.name} · posisi {cov['counted_on']} · disusun oleh Jaring",
        10,
        color=colors.white,
    )
    y = height - 48 * mm
    _text(c, left, y + 8 * mm, "Cakupan sekarang", 9, color=MUTED)
    _text(c, left, y - 4 * mm, _pct(cov["coverage_pct"]), 30, True, BRAND)
    _text(c, left + 62 * mm, y + 8 * mm, "Target " + str(cov["month"][:4]), 9, color=MUTED)
    _text(c, left + 62 * mm, y - 4 * mm, _pct(cov["target_pct"]), 30, True, ACCENT)
    _text(c, left + 122 * mm, y + 8 * mm, "Kekurangan", 9, color=MUTED)
    gap = cov["gap_pct"]
    _text(
        c,
        left + 122 * mm,
        y - 1 * mm,
        "target tercapai" if gap is not None and float(gap) <= 0 else f"{_pct(gap)} poin",
        14,
        True,
    )
    if gap is not None and float(gap) > 0:
        _text(c, left + 122 * mm, y - 7 * mm, f"{_n(cov['gap_people'])} orang", 11)
    y -= 16 * mm
    _text(
        c,
        left,
        y,
        f"Peserta aktif {_n(cov['participants'])} dari {_n(cov['working_population'])} penduduk "
        f"bekerja (sumber: {_source(cov['population_source'])} {cov['population_year'] or ''}). "
        f"Ukuran KPI BPJS (pekerja rentan APBD < 6 bulan iuran dihitung sebagian): "
        f"{_pct(cov['kpi_pct'])}.",
        8,
    )
    y -= 6 * mm
    _trend(c, left, y - 42 * mm, width - 2 * left, 40 * mm, data["history"])
    y -= 50 * mm
    col = (width - 2 * left - 8 * mm) / 2
    rows = [("Segmen", "Peserta", "% penduduk bekerja")] + [
        (s["name"], _n(s["participants"]), _pct(s["coverage_pct"])) for s in data["segments"]
    ]
    y1 = _table(c, left, y, rows, [col * 0.55, col * 0.2, col * 0.25])
    districts = [("Kecamatan (terendah dulu)", "Peserta", "Cakupan")] + [
        (d["name"], _n(d["participants"]), _pct(d["coverage_pct"])) for d in data["districts"][:8]
    ]
    y2 = _table(c, left + col + 8 * mm, y, districts, [col * 0.55, col * 0.2, col * 0.25])
    y = min(y1, y2) - 4 * mm
    cats = [("Pekerjaan (peserta Jaring)", "Peserta")] + [
        (k["name"], _n(k["members"])) for k in data["categories"][:8]
    ]
    y1 = _table(c, left, y, cats, [col * 0.75, col * 0.25])
    money = data.get("money") or {}
    facts = [("Uang dan manfaat " + str(money.get("year", "")), "")]
    if money:
        facts += [
            ("Iuran dibayar Pemkot", rupiah(money["contributions_paid"])),
            ("Iuran dibayar peserta mandiri", rupiah(money.get("self_payments", 0))),
            ("Manfaat klaim dibayar", rupiah(money["benefits_paid"])),
            ("Rasio manfaat : iuran", _decimal(money["ratio"])),
            ("Klaim (jumlah)", _n(money["claims"])),
        ]
    facts += [
        ("Penyandang disabilitas", _n(data["disability"].get("with"))),
        ("Perempuan / laki-laki", f"{_n(data['sex'].get('F'))} / {_n(data['sex'].get('M'))}"),
        (f"Berakhir ≤ {data['expiring']['within_days']} hari", _n(data["expiring"]["total"])),
        ("Dugaan data ganda menunggu", _n(data["duplicates_pending"])),
    ]
    y2 = _table(c, left + col + 8 * mm, y, facts, [col * 0.6, col * 0.4])
    y = min(y1, y2) - 4 * mm
    _text(c, left, y, "Yang dibutuhkan untuk mencapai target", 10, True, BRAND)
    y -= 5 * mm
    if proj["target_already_reached"]:
        lines = ["Target tahun ini sudah tercapai."]
    else:
        pace = proj["pace_pp_per_month"]
        lines = [
            f"Laju 12 bulan terakhir: {_decimal(pace)} poin persen per bulan; "
            + (
                f"dengan laju ini target tercapai {proj['target_reached_month']}."
                if proj["target_reached_month"]
                else "dengan laju ini target tidak tercapai."
            )
        ]
        if proj["people_needed"]:
            lines.append(
                f"Sampai {proj['by_month']}: {_n(proj['people_needed'])} peserta baru "
                f"(± {_n(proj['enrolments_per_month'])} per bulan), perlindungan "
                f"{proj['months_of_cover']} bulan, anggaran {rupiah(proj['budget_needed'] or 0)}."
            )
            if proj["budget_basis"]:
                lines.append(f"Dihitung dengan tarif: {proj['budget_basis']}"[:120])
    for line in lines:
        _text(c, left, y, line, 8.5)
        y -= 4.5 * mm
    for w in cov["warnings"][:4]:
        _text(c, left, y, "! " + w["message_id"][:130], 7.5, color=MUTED)
        y -= 4 * mm
    _text(
        c,
        left,
        12 * mm,
        "UCJ = peserta aktif semua segmen ÷ penduduk bekerja × 100; tidak dibatasi 100 %. "
        f"Dihitung {data['computed_at']}.",
        7,
        color=MUTED,
    )
    c.showPage()
    c.save()
    return out.getvalue()


def chart_pdf(png: bytes, title: str) -> bytes:
    out = io.BytesIO()
    page = landscape(A4)
    c = Canvas(out, pagesize=page)
    c.setTitle(title or "Grafik")
    _text(c, 15 * mm, page[1] - 15 * mm, title, 13, True, BRAND)
    image = ImageReader(io.BytesIO(png))
    iw, ih = image.getSize()
    scale = min((page[0] - 30 * mm) / iw, (page[1] - 35 * mm) / ih)
    c.drawImage(image, 15 * mm, page[1] - 22 * mm - ih * scale, iw * scale, ih * scale)
    c.showPage()
    c.save()
    return out.getvalue()
