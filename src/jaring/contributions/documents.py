"""The bill as documents the finance office attaches to a payment request: xlsx and PDF.

Both carry the programme, its legal basis and PKS, the month, due date, rule versions, totals
per benefit and per (category, income base) with the formula and regulation, what is paid and
what is open. The xlsx lists every member; the PDF lists them up to PDF_MEMBER_LIMIT (a city's
bill) and otherwise points to the xlsx. NIKs are masked: the KPJ identifies the member to BPJS.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from jaring.contributions.models import Bill, LineStatus
from jaring.contributions.selectors import bill_lines
from jaring.core.cells import xlsx_row
from jaring.core.formats import number
from jaring.rules.nik import mask
from jaring.rules.tables import month_text, rupiah

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
PDF_MEMBER_LIMIT = 5_000


def file_name(bill: Bill, extension: str) -> str:
    return f"tagihan-iuran-{bill.programme_id}-{month_text(bill.month)}.{extension}"


def _header(bill: Bill) -> list[tuple[str, str]]:
    p = bill.programme
    return [
        ("Program / Programme", str(p)),
        ("Dasar hukum / Legal basis", p.legal_basis or "-"),
        ("PKS", f"{p.pks_number or '-'} ({p.pks_date:%d-%m-%Y})" if p.pks_date else "-"),
        ("Kode kepesertaan / Participation code", p.participation_code),
        ("Bulan iuran / Contribution month", month_text(bill.month)),
        ("Jatuh tempo / Due date", f"{bill.due_date:%d-%m-%Y}"),
        ("Aturan jatuh tempo / Due-date rule", bill.due_rule),
        ("Versi tarif / Rate version", bill.rule_version or "-"),
        ("Peserta / Members", number(bill.members, "id")),
        ("JKK", rupiah(bill.jkk)),
        ("JKM", rupiah(bill.jkm)),
        ("JHT", rupiah(bill.jht)),
        ("Jumlah tagihan / Total", rupiah(bill.total)),
        ("Sudah dibayar / Paid", rupiah(bill.paid)),
        ("Sisa / Open", rupiah(bill.open_amount)),
        (
            "Berakhir karena menunggak / Lapsed (not payable)",
            f"{bill.lapsed_members} · {rupiah(bill.lapsed_amount)}",
        ),
    ]


def _rates(bill: Bill) -> list[tuple[str, int, str, str, str, str]]:
    out = []
    for r in bill.rates.all():
        formulas = "; ".join(f"{b}: {f}" for b, f in r.detail.get("formulas", {}).items())
        regulations = "; ".join(sorted(set(r.detail.get("regulations", {}).values())))
        discounts = ", ".join(d["id"] for d in r.detail.get("discounts", []))
        out.append(
            (r.category_id, r.income_base, rupiah(r.amount), formulas, regulations, discounts)
        )
    return out


def bill_xlsx(bill: Bill) -> bytes:
    wb = Workbook(write_only=True)
    summary = wb.create_sheet("Tagihan")
    summary.append(["Tagihan iuran BPJS Ketenagakerjaan (BPU) / Contribution bill"])
    for label, value in _header(bill):
        summary.append(xlsx_row(summary, [label, value]))
    summary.append([])
    summary.append(["Kategori", "Dasar upah", "Iuran/bulan", "Rumus", "Regulasi", "Potongan iuran"])
    for row in _rates(bill):
        summary.append(xlsx_row(summary, row))
    members = wb.create_sheet("Peserta")
    head = ["No", "KPJ", "NIK", "Nama", "Kategori", "Iuran", "Status", "Kumulatif"]
    members.append(xlsx_row(members, head, font=Font(bold=True)))
    for i, line in enumerate(bill_lines(bill).iterator(chunk_size=5000), start=1):
        m = line.membership
        members.append(
            xlsx_row(
                members,
                [
                    i,
                    m.kpj,
                    mask(m.worker.nik),
                    m.worker.full_name,
                    m.category_id,
                    line.amount,
                    line.get_status_display(),
                    line.cumulative if line.status == LineStatus.BILLED else None,
                ],
            )
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


class _Page:
    """Lines of text down A4 pages, a new page when one is full."""

    def __init__(self, canvas: Canvas):
        self.c = canvas
        self.width, self.height = A4
        self.y = self.height - 20 * mm

    def line(self, text: str, *, size: int = 9, bold: bool = False, x: float = 15 * mm) -> None:
        if self.y < 15 * mm:
            self.c.showPage()
            self.y = self.height - 20 * mm
        self.c.setFont("Helvetica-Bold" if bold else "Helvetica", size)
        self.c.drawString(x, self.y, text[:150])
        self.y -= size + 4

    def columns(self, cells: list[str], xs: list[float], *, bold: bool = False) -> None:
        if self.y < 15 * mm:
            self.c.showPage()
            self.y = self.height - 20 * mm
        self.c.setFont("Helvetica-Bold" if bold else "Helvetica", 8)
        for text, x in zip(cells, xs, strict=True):
            self.c.drawString(x * mm, self.y, text[:60])
        self.y -= 11


def bill_pdf(bill: Bill) -> bytes:
    out = io.BytesIO()
    c = Canvas(out, pagesize=A4, pageCompression=1)
    c.setTitle(f"Tagihan iuran {bill.programme} {month_text(bill.month)}")
    page = _Page(c)
    page.line("Tagihan iuran BPJS Ketenagakerjaan (BPU) / Contribution bill", size=13, bold=True)
    page.y -= 4
    for label, value in _header(bill):
        page.columns([label, value], [15, 95])
    page.y -= 6
    page.line("Iuran per kategori / Contribution per category", bold=True)
    for category, base, amount, formulas, regulations, discounts in _rates(bill):
        page.line(f"{category}, dasar {rupiah(base)}: {amount}/bulan ({formulas})", size=8)
        page.line(f"    {regulations}{'; potongan ' + discounts if discounts else ''}", size=7)
    page.y -= 6
    count = bill.members + bill.lapsed_members
    if count > PDF_MEMBER_LIMIT:
        page.line(
            f"Daftar {number(count, 'id')} peserta ada di berkas xlsx tagihan ini / "
            "the member list is in this bill's xlsx.",
            bold=True,
        )
    else:
        xs = [15, 25, 50, 80, 140, 170]
        page.columns(["No", "KPJ", "NIK", "Nama / Name", "Kategori", "Iuran"], xs, bold=True)
        for i, line in enumerate(bill_lines(bill), start=1):
            m = line.membership
            amount = rupiah(line.amount)
            if line.status == LineStatus.LAPSED:
                amount += " (berakhir)"
            page.columns(
                [str(i), m.kpj, mask(m.worker.nik), m.worker.full_name, m.category_id, amount], xs
            )
    c.showPage()
    c.save()
    return out.getvalue()
