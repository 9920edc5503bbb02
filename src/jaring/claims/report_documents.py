"""The money report as xlsx (every figure, claims per kind in their own columns) and as a
one-page-wide PDF for the mayor's office. Headings in Bahasa Indonesia / English."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from jaring.claims.models import ClaimKind
from jaring.claims.reports import MoneyReport, Row
from jaring.core.cells import xlsx_row
from jaring.rules.tables import rupiah

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"

KIND_NAMES = {
    ClaimKind.WORK_ACCIDENT: "Kecelakaan kerja / Work accident",
    ClaimKind.OCCUPATIONAL_DISEASE: "Penyakit akibat kerja / Occupational disease",
    ClaimKind.WORK_DEATH: "Meninggal karena kecelakaan kerja / Death by work accident",
    ClaimKind.DEATH: "Meninggal bukan karena kerja / Death not by work",
}
_HEAD = [
    "Program / Programme",
    "Kode / Code",
    "Kota / City",
    "Segmen / Segment",
    "Peserta / Members",
    "Bulan-peserta / Member-months",
    "Iuran ditagih / Billed",
    "Iuran dibayar / Paid",
    "Tunggakan / Arrears",
    "Peserta menunggak / Members in arrears",
    "Klaim / Claims",
    "Nilai klaim / Claims amount",
    "Klaim dibayar / Claims paid",
    "Manfaat dibayar / Benefits paid",
    "Terutang tahun berikutnya / Owed in later years",
    "Rasio manfaat : iuran / Benefit-to-contribution ratio",
]


def file_name(report: MoneyReport, extension: str) -> str:
    scope = (
        f"program-{report.programme.pk}"
        if report.programme
        else (report.region.code if report.region else "semua")
    )
    return f"laporan-keuangan-{scope}-{report.year}.{extension}"


def title(report: MoneyReport) -> str:
    what = str(report.programme or (report.region.name if report.region else "Semua / All"))
    return f"Laporan iuran dan klaim / Money report {report.year}: {what}"


def _ratio(row: Row) -> str:
    return str(row.ratio) if row.ratio is not None else "-"


def _cells(row: Row, *, total: bool = False) -> list[object]:
    labels = (
        ["Jumlah / Total", "", "", ""]
        if total
        else [row.programme, row.participation_code, row.city, row.segment_name]
    )
    return [
        *labels,
        row.members,
        row.member_months,
        row.billed,
        row.paid,
        row.arrears,
        row.members_in_arrears,
        row.claims_count,
        row.claims_amount,
        row.claims_paid,
        row.benefits_paid,
        row.benefits_owed_later,
        _ratio(row),
    ]


def report_xlsx(report: MoneyReport) -> bytes:
    wb = Workbook()
    sheet = wb.active
    sheet.title = "Laporan"
    bold = Font(bold=True)
    sheet.append(xlsx_row(sheet, [title(report)], font=bold))
    sheet.append([f"Tunggakan per / Arrears as of {report.as_of.isoformat()}"])
    sheet.append([])
    kinds = [f"{KIND_NAMES[k]}: {part}" for k in ClaimKind.values for part in ("n", "Rp")]
    sheet.append(xlsx_row(sheet, _HEAD + kinds, font=bold))
    for row in [*report.rows, report.total]:
        per_kind = [row.claims[k][part] for k in ClaimKind.values for part in ("count", "amount")]
        sheet.append(xlsx_row(sheet, _cells(row, total=row is report.total) + per_kind))
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _money(value: object) -> str:
    return rupiah(value) if isinstance(value, int) else str(value)


def report_pdf(report: MoneyReport) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=10 * mm,
        rightMargin=10 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=title(report),
    )
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=6.5, leading=8)
    head = [Paragraph(h, small) for h in _HEAD]
    body = []
    for row in [*report.rows, report.total]:
        cells = _cells(row, total=row is report.total)
        money = {6, 7, 8, 11, 13, 14}
        body.append(
            [Paragraph(_money(v) if i in money else str(v), small) for i, v in enumerate(cells)]
        )
    widths = [28, 8, 24, 18, 14, 15, 19, 19, 19, 14, 12, 21, 12, 21, 21, 12]
    table = Table([head, *body], colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
                ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f3f3f3")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    kinds = [["Jenis klaim / Claim kind", "Jumlah / Count", "Nilai / Amount"]] + [
        [
            KIND_NAMES[k],
            str(report.total.claims[k]["count"]),
            rupiah(report.total.claims[k]["amount"]),
        ]
        for k in ClaimKind.values
    ]
    by_kind = Table(kinds, colWidths=[90 * mm, 25 * mm, 40 * mm])
    by_kind.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.grey)]))
    note = (
        "Rasio = manfaat klaim yang dibayar ÷ iuran yang dibayar. Klaim dihitung menurut tanggal "
        "kejadian; klaim yang ditolak tidak dihitung. Manfaat dibayar = pembayaran pada tahun "
        "itu; terutang tahun berikutnya = tahun ajaran beasiswa yang belum dibayar pada akhir "
        "tahun. "
        "/ Ratio = claim benefits paid ÷ contributions paid. Claims count by event date; rejected "
        "claims are left out. Benefits paid = payments made in the year; owed in later years = "
        "scholarship school years not paid by the year's end (future liability)."
    )
    doc.build(
        [
            Paragraph(title(report), styles["Heading2"]),
            Paragraph(f"Tunggakan per / Arrears as of {report.as_of.isoformat()}", small),
            Spacer(1, 4 * mm),
            table,
            Spacer(1, 5 * mm),
            by_kind,
            Spacer(1, 3 * mm),
            Paragraph(note, small),
        ]
    )
    return out.getvalue()
