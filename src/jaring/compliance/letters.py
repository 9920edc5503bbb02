"""A case step's letter as a one-page A4 PDF in Bahasa Indonesia: the legal basis, the
employer's figures side by side, what the employer must do by when, and the officer's name.

Built from the stored step (its figures were fixed when it was taken), so printing it again
gives the same letter. reportlab, as the bills and the money report.
"""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from jaring.compliance.ladder import STEP_ID
from jaring.compliance.models import CaseStep, Step
from jaring.core import formats
from jaring.rules.tables import rupiah

PDF = "application/pdf"
TITLE = {
    Step.COACHING: "BERITA ACARA KUNJUNGAN PEMBINAAN",
    Step.WARNING_1: "SURAT TEGURAN TERTULIS PERTAMA",
    Step.WARNING_2: "SURAT TEGURAN TERTULIS KEDUA",
    Step.FINE: "SURAT PENGENAAN SANKSI DENDA",
    Step.WITHHOLD: "SURAT PERMINTAAN SANKSI TIDAK MENDAPAT PELAYANAN PUBLIK TERTENTU",
    Step.KEJARI: "SURAT PELIMPAHAN KEPADA KEJAKSAAN NEGERI (SURAT KUASA KHUSUS)",
}
BASIS = (
    "Undang-Undang Nomor 24 Tahun 2011 tentang BPJS; Peraturan Pemerintah Nomor 86 Tahun 2013 "
    "tentang Tata Cara Pengenaan Sanksi Administratif kepada Pemberi Kerja Selain Penyelenggara "
    "Negara dan Setiap Orang, Selain Pemberi Kerja, Pekerja, dan Penerima Bantuan Iuran dalam "
    "Penyelenggaraan Jaminan Sosial; Peraturan Menteri Ketenagakerjaan Nomor 4 Tahun 2018."
)
KIND_ID = {
    "pwbd": "belum mendaftarkan diri dan pekerjanya (PWBD)",
    "pds_tk": "mendaftarkan sebagian pekerjanya (PDS-TK)",
    "pds_upah": "melaporkan upah lebih rendah dari yang sebenarnya (PDS-Upah)",
    "pds_program": "mengikuti sebagian program yang wajib (PDS-Program)",
}
DEMAND = {
    Step.COACHING: "Pemberi kerja sepakat melaksanakan langkah berikut dan akan dikunjungi "
    "kembali pada tanggal tindak lanjut.",
    Step.WARNING_1: "Pemberi kerja wajib mendaftarkan seluruh pekerjanya, melaporkan upah yang "
    "sebenarnya dan mengikuti program yang wajib paling lambat pada batas waktu di bawah ini "
    "(10 hari kerja).",
    Step.WARNING_2: "Teguran pertama tidak dipenuhi. Pemberi kerja wajib memenuhi kewajibannya "
    "paling lambat pada batas waktu di bawah ini (10 hari kerja); bila tidak, dikenakan denda.",
    Step.FINE: "Pemberi kerja dikenakan denda sebesar {percent} setiap bulan dari iuran yang "
    "seharusnya dibayar, yang wajib dibayar paling lambat pada batas waktu di bawah ini.",
    Step.WITHHOLD: "Pemerintah kota diminta tidak memberikan pelayanan publik tertentu kepada "
    "pemberi kerja ini (perizinan usaha, tender proyek, izin mempekerjakan tenaga kerja asing, "
    "izin perusahaan penyedia jasa pekerja/buruh, dan Izin Mendirikan Bangunan) sampai "
    "kewajibannya dipenuhi.",
    Step.KEJARI: "Perkara ini dilimpahkan kepada Kejaksaan Negeri dengan surat kuasa khusus "
    "untuk ditindaklanjuti sesuai peraturan perundang-undangan.",
}


def _side(values: dict | None) -> list[str]:
    if not values:
        return ["tidak terdaftar", "-", "-", "-"]
    wage = values.get("average_wage")
    bill = values.get("wage_bill")
    return [
        str(values.get("workers") if values.get("workers") is not None else "-"),
        rupiah(bill) if bill is not None else "-",
        rupiah(wage) if wage is not None else "-",
        ", ".join(values.get("programmes") or []) or "-",
    ]


def file_name(step: CaseStep) -> str:
    return f"surat-{step.step}-kasus-{step.case_id}-{step.pk}.pdf"


def letter_pdf(step: CaseStep) -> bytes:
    case, employer = step.case, step.case.employer
    lead_figures = (case.lead.figures if case.lead else {}) or {}
    styles = getSampleStyleSheet()
    body = styles["BodyText"].clone("body", fontSize=9.5, leading=12.5)
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=TITLE[step.step],
    )
    parts = [
        Paragraph(TITLE[step.step], styles["Heading2"]),
        Paragraph(
            f"Nomor: {step.letter_number or '-'} &nbsp;&nbsp; Tanggal: {step.taken_on:%d-%m-%Y}",
            body,
        ),
        Spacer(1, 4 * mm),
        Paragraph(
            f"Kepada: <b>{employer.name}</b><br/>NIB: {employer.nib or '-'} &nbsp; NPP: "
            f"{employer.npp or '-'} &nbsp; KBLI: {employer.kbli or '-'}<br/>Alamat: "
            f"{employer.address or '-'} ({employer.region_code})<br/>Skala usaha: "
            f"{employer.get_size_class_display() or '-'}",
            body,
        ),
        Spacer(1, 3 * mm),
        Paragraph(f"<b>Dasar hukum:</b> {BASIS}", small),
        Spacer(1, 3 * mm),
        Paragraph(
            f"Berdasarkan pencocokan data, pemberi kerja tersebut {KIND_ID[case.kind]}. "
            f"{case.lead.reason_id if case.lead else ''}",
            body,
        ),
        Spacer(1, 3 * mm),
    ]
    rows = [["", "Dilaporkan ke BPJS", "Sumber lain"]]
    bpjs, other = _side(lead_figures.get("bpjs")), _side(lead_figures.get("other"))
    for i, label in enumerate(["Jumlah pekerja", "Upah sebulan", "Upah rata-rata", "Program"]):
        rows.append([label, bpjs[i], other[i] if i < 3 else "-"])
    if lead_figures.get("umk") is not None:
        rows.append(["UMK", rupiah(int(lead_figures["umk"])), ""])
    table = Table(rows, colWidths=[45 * mm, 55 * mm, 55 * mm])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
            ]
        )
    )
    fine = step.figures.get("fine") or {}
    # 0,1 %: the rule's rate, with Indonesian's decimal comma.
    rate = formats.percent(fine.get("percent_per_month", "0.1"), "id", places=None)
    parts += [table, Spacer(1, 4 * mm), Paragraph(DEMAND[step.step].format(percent=rate), body)]
    if step.step == Step.FINE and fine:
        owed = step.figures["owed"]
        risk = " (kelompok risiko 1 dianggap)" if step.figures.get("risk_class_assumed") else ""
        parts.append(
            Paragraph(
                f"Iuran yang seharusnya dibayar: {owed['workers']} pekerja × "
                f"{rupiah(owed['wage'])} × {owed['months']} bulan, program "
                f"{', '.join(owed['per_worker'])}{risk} = <b>{rupiah(owed['owed'])}</b>. "
                f"Denda: {rate} × {rupiah(fine['owed'])} × {fine['months']} bulan = "
                f"<b>{rupiah(fine['fine'])}</b> "
                f"(aturan {fine['rule_version']}).",
                body,
            )
        )
    if step.notes:
        parts.append(Paragraph(f"Catatan / langkah yang disepakati: {step.notes}", body))
    if step.deadline:
        label = "Tanggal tindak lanjut" if step.step == Step.COACHING else "Batas waktu"
        parts.append(Paragraph(f"<b>{label}: {step.deadline:%d-%m-%Y}</b>", body))
    parts += [
        Spacer(1, 12 * mm),
        Paragraph(f"Petugas pengawas kepatuhan,<br/><br/><br/><b>{step.officer_name}</b>", body),
        Spacer(1, 6 * mm),
        Paragraph(f"Langkah: {STEP_ID[step.step]}; kasus #{case.pk}. Dibuat dengan Jaring.", small),
    ]
    doc.build(parts)
    return out.getvalue()
