"""The mayor's one-page coverage report (A4, Bahasa Indonesia), and a chart's PNG as a PDF.

Both draw from the dashboard dict, so the page, the API and the paper say the same thing.
"""

from __future__ import annotations

import io

from django.utils import translation
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
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


def _font(bold: bool) -> str:
    return "Helvetica-Bold" if bold else "Helvetica"


def _fit(text: str, size: float, width: float, bold=False) -> str:
    """The text cut with "…" so it fits `width` (a long programme or district name)."""
    font = _font(bold)
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _text(
    c: Canvas,
    x: float,
    y: float,
    text: str,
    size: float = 9,
    bold=False,
    color=None,
    width: float | None = None,
):
    """One line; with `width`, cut to fit it."""
    c.setFont(_font(bold), size)
    c.setFillColor(color or colors.black)
    c.drawString(x, y, _fit(text, size, width, bold) if width else text)


def _para(
    c: Canvas, x: float, y: float, text: str, width: float, size: float = 8, color=None
) -> float:
    """Text wrapped to `width`; returns the y below its last line."""
    for line in simpleSplit(text, _font(False), size, width):
        _text(c, x, y, line, size, color=color)
        y -= size * 1.35
    return y


def _trend(c: Canvas, x: float, y: float, w: float, h: float, points: list[dict]) -> None:
    """Coverage month by month, with the year's target as a dashed line; the vertical axis in
    percent of the working population, the horizontal one in months."""
    c.setStrokeColor(LINE)
    c.rect(x, y, w, h, stroke=1, fill=0)
    known = [p for p in points if p["coverage_pct"] is not None]
    if len(known) < 2:
        _text(c, x + 4 * mm, y + h / 2, "Belum cukup data untuk grafik tren.", 8, color=MUTED)
        return
    values = [float(p["coverage_pct"]) for p in known]
    targets = [float(p["target_pct"]) for p in known if p["target_pct"] is not None]
    top = max(values + targets) * 1.1 or 1
    low = max(0.0, min(values + targets) * 0.8)
    # The plot inside the frame: room on the left for the percentages, below for the months,
    # above for the legend.
    px, py, pw, ph = x + 16 * mm, y + 9 * mm, w - 20 * mm, h - 16 * mm

    def at(i: int, v: float) -> tuple[float, float]:
        return px + i * pw / (len(known) - 1), py + (v - low) / (top - low) * ph

    c.setStrokeColor(LINE)
    c.setLineWidth(0.5)
    for k in range(3):  # gridlines and the percentages on the vertical axis
        v = low + (top - low) * k / 2
        gy = py + ph * k / 2
        c.line(px, gy, px + pw, gy)
        label = f"{_decimal(round(v, 1))} %"
        c.setFont("Helvetica", 6.5)
        c.setFillColor(MUTED)
        c.drawRightString(px - 1.5 * mm, gy - 2, label)
    c.saveState()
    c.translate(x + 3.5 * mm, py + ph / 2)
    c.rotate(90)
    c.setFont("Helvetica", 6.5)
    c.drawCentredString(0, 0, "Cakupan (%)")
    c.restoreState()
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
    # The months under the plot: first, middle and last.
    c.setFont("Helvetica", 6.5)
    c.setFillColor(MUTED)
    c.drawString(px, y + 5 * mm, known[0]["month"])
    c.drawCentredString(
        at((len(known) - 1) // 2, low)[0], y + 5 * mm, known[(len(known) - 1) // 2]["month"]
    )
    c.drawRightString(px + pw, y + 5 * mm, known[-1]["month"])
    c.drawCentredString(px + pw / 2, y + 1.5 * mm, "Bulan")
    # The legend, above the plot on the right.
    lx, ly = x + w - 62 * mm, y + h - 4 * mm
    c.setStrokeColor(BRAND)
    c.setLineWidth(1.6)
    c.line(lx, ly + 1, lx + 6 * mm, ly + 1)
    c.setLineWidth(1)
    _text(c, lx + 7.5 * mm, ly, "cakupan", 6.5, color=MUTED)
    c.setStrokeColor(ACCENT)
    c.setDash(3, 2)
    c.line(lx + 24 * mm, ly + 1, lx + 30 * mm, ly + 1)
    c.setDash()
    _text(c, lx + 31.5 * mm, ly, "target tahunan", 6.5, color=MUTED)


PAD = 2 * mm  # between two columns


def _table(c: Canvas, x: float, y: float, rows: list[tuple], widths: list[float]) -> float:
    """Rows of cells (the first is the header, wrapped onto two lines if it must); the first
    column left-aligned and cut to fit, the others right-aligned, a figure too wide for its
    column set smaller. Returns the y below the table."""
    header, body = rows[0], rows[1:]
    lines = [
        simpleSplit(str(h), _font(True), 7.5, w - PAD)[:2]
        for h, w in zip(header, widths, strict=True)
    ]
    depth = max(len(cell) for cell in lines)
    for k in range(depth):
        cx = x
        for i, (cell, width) in enumerate(zip(lines, widths, strict=True)):
            if k < len(cell):
                c.setFont(_font(True), 7.5)
                c.setFillColor(MUTED)
                text = _fit(cell[k], 7.5, width - PAD, bold=True)
                if i == 0:
                    c.drawString(cx, y, text)
                else:
                    c.drawRightString(cx + width, y, text)
            cx += width
        y -= 3.4 * mm
    c.setStrokeColor(LINE)
    c.line(x, y + 2.2 * mm, x + sum(widths), y + 2.2 * mm)
    y -= 1 * mm
    for row in body:
        cx = x
        first = simpleSplit(str(row[0]), _font(False), 8, widths[0] - PAD) or [""]
        if len(first) > 2:
            first = [first[0], " ".join(first[1:])]
        for i, (cell, width) in enumerate(zip(row, widths, strict=True)):
            text, size = str(cell), 8.0
            room = width - PAD
            if i == 0:
                c.setFont(_font(False), size)
                c.setFillColor(colors.black)
                for k, line in enumerate(first):
                    c.drawString(cx, y - k * 3.4 * mm, _fit(line, size, room))
            else:
                while size > 6 and stringWidth(text, _font(False), size) > room:
                    size -= 0.5
                c.setFont(_font(False), size)
                c.setFillColor(colors.black)
                c.drawRightString(cx + width, y, _fit(text, size, room))
            cx += width
        y -= 4.2 * mm + (len(first) - 1) * 3.4 * mm
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
        width=width - 2 * left,
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
    inner = width - 2 * left
    y = _para(
        c,
        left,
        y,
        f"Peserta aktif {_n(cov['participants'])} dari {_n(cov['working_population'])} penduduk "
        f"bekerja (sumber: {_source(cov['population_source'])} {cov['population_year'] or ''}). "
        f"Ukuran KPI BPJS (pekerja rentan APBD < 6 bulan iuran dihitung sebagian): "
        f"{_pct(cov['kpi_pct'])}.",
        inner,
    )
    y -= 2 * mm
    _trend(c, left, y - 44 * mm, inner, 44 * mm, data["history"])
    y -= 52 * mm
    col = (width - 2 * left - 8 * mm) / 2
    rows = [("Segmen", "Peserta", "% penduduk bekerja")] + [
        (s["name"], _n(s["participants"]), _pct(s["coverage_pct"])) for s in data["segments"]
    ]
    y1 = _table(c, left, y, rows, [col * 0.48, col * 0.24, col * 0.28])
    districts = [("Kecamatan (terendah dulu)", "Peserta", "Cakupan")] + [
        (d["name"], _n(d["participants"]), _pct(d["coverage_pct"])) for d in data["districts"][:8]
    ]
    y2 = _table(c, left + col + 8 * mm, y, districts, [col * 0.48, col * 0.24, col * 0.28])
    if data["districts"] and all(d["coverage_pct"] is None for d in data["districts"]):
        y2 = _para(
            c,
            left + col + 8 * mm,
            y2 + 1 * mm,
            "Cakupan per kecamatan belum bisa dihitung: penduduk bekerja per kecamatan belum "
            "diisi (halaman Cakupan, Angka penduduk bekerja).",
            col,
            6.5,
            MUTED,
        )
    y = min(y1, y2) - 4 * mm
    cats = [("Pekerjaan (peserta Jaring)", "Peserta")] + [
        (k["name"], _n(k["members"])) for k in data["categories"][:8]
    ]
    y1 = _table(c, left, y, cats, [col * 0.7, col * 0.3])
    money = data.get("money") or {}
    facts = [("Uang dan manfaat " + str(money.get("year", "")), "")]
    if money:
        facts += [
            ("Iuran dibayar Pemkot", rupiah(money["contributions_paid"])),
            ("Iuran dibayar peserta mandiri", rupiah(money.get("self_payments", 0))),
            ("Manfaat klaim dibayar", rupiah(money["benefits_paid"])),
            (
                "Rasio manfaat : iuran",
                "–" if money["ratio"] is None else formats.number(money["ratio"], "id", 2),
            ),
            ("Klaim (jumlah)", _n(money["claims"])),
        ]
    facts += [
        ("Penyandang disabilitas", _n(data["disability"].get("with"))),
        ("Perempuan / laki-laki", f"{_n(data['sex'].get('F'))} / {_n(data['sex'].get('M'))}"),
        (f"Berakhir dalam {data['expiring']['within_days']} hari", _n(data["expiring"]["total"])),
        ("Dugaan data ganda menunggu", _n(data["duplicates_pending"])),
    ]
    y2 = _table(c, left + col + 8 * mm, y, facts, [col * 0.55, col * 0.45])
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
                lines.append(f"Dihitung dengan tarif: {proj['budget_basis']}")
    footer = 16 * mm  # the explanation at the foot of the page, and room above it
    for line in lines:
        if y < footer + 4 * mm:
            break
        y = _para(c, left, y, line, inner, 8.5)
    for w in cov["warnings"][:4]:
        if y < footer + 4 * mm:
            break
        y = _para(c, left, y, "! " + w["message_id"], inner, 7.5, color=MUTED)
    _para(
        c,
        left,
        12 * mm,
        "UCJ = peserta aktif semua segmen ÷ penduduk bekerja × 100; tidak dibatasi 100 %. "
        f"Dihitung {data['computed_at']}.",
        inner,
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
