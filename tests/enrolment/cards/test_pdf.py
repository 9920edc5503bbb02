"""The card PDF itself: what is printed on it, and what its QR code encodes."""

from __future__ import annotations

import datetime as dt
import io

import segno
from pypdf import PdfReader
from pypdf.generic import ContentStream

from jaring.enrolment.cards import pdf as card_pdf
from jaring.enrolment.cards.pdf import CardFace

URL = "https://jaring.singkawangkota.go.id/cek/k/Q2hlY2tNZUlmWW91Q2Fu/"


def face(**overrides) -> CardFace:
    fields = {
        "name": "Siti Aminah",
        "masked_nik": "6172********0001",
        "kpj": "23012345678",
        "programme": "Perlindungan Pekerja Rentan 2026",
        "benefits": "JKK + JKM",
        "start_date": dt.date(2026, 4, 1),
        "end_date": dt.date(2026, 8, 31),
        "qr_url": URL,
        "group": "Pasiran",
    }
    fields.update(overrides)
    return CardFace(**fields)


def pages_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_a_card_shows_the_member_in_indonesian_by_default():
    (text,) = pages_text(card_pdf.card_pdf(face()))
    for expected in (
        "KARTU PERLINDUNGAN PEKERJA",
        "SITI AMINAH",
        "6172********0001",
        "23012345678",
        "Perlindungan Pekerja Rentan 2026",
        "JKK + JKM",
        "01-04-2026 s.d. 31-08-2026",
        "Pindai untuk cek status",
    ):
        assert expected in text


def test_a_card_in_english():
    (text,) = pages_text(card_pdf.card_pdf(face(), language="en"))
    assert "WORKER PROTECTION CARD" in text and "01-04-2026 to 31-08-2026" in text


def _qr_matrix(data: bytes) -> list[list[int]]:
    """The QR code as drawn: the filled squares inside the QR area, back on a module grid."""
    reader = PdfReader(io.BytesIO(data))
    ops = ContentStream(reader.pages[0].get_contents(), reader).operations
    left = card_pdf.CARD_W - card_pdf._PAD - card_pdf._QR_SIZE
    rects = [
        [float(v) for v in operands]
        for operands, op in ops
        if op == b"re" and float(operands[0]) >= left - 0.01
    ]
    module = min(h for *_, h in rects)
    n = round(card_pdf._QR_SIZE / module)
    top = max(y + h for _, y, _, h in rects)
    grid = [[0] * n for _ in range(n)]
    for x, y, w, h in rects:
        r, c = round((top - y - h) / module), round((x - left) / module)
        for k in range(round(w / module)):
            grid[r][c + k] = 1
    return grid


def test_the_qr_code_encodes_the_card_url_and_nothing_else():
    expected = [list(row) for row in segno.make(URL, error="m").matrix]
    assert _qr_matrix(card_pdf.card_pdf(face())) == expected
    assert _qr_matrix(card_pdf.card_pdf(face(qr_url=URL + "x"))) != expected


def test_long_names_shrink_to_fit_beside_the_qr_code():
    name = "Siti Aminah binti Muhammad Yusuf Abdurrahman Al-Qadri Pontianak"
    (text,) = pages_text(card_pdf.card_pdf(face(name=name)))
    assert name.upper() in text


def test_sheets_are_packed_across_villages_with_a_divider_where_one_starts():
    """16 cards of two villages fill two sheets, not three; the divider is drawn on the sheet
    where Roban starts (a 2-point line, the only one, appears there only)."""
    faces = [face(name=f"Warga Pasiran {i:02d}") for i in range(13)] + [
        face(name=f"Warga Roban {i}", group="Roban") for i in range(3)
    ]
    pdf = card_pdf.sheet_pdf(faces, title="Kartu")
    pages = pages_text(pdf)
    assert len(pages) == 2
    assert pages[0].count("WARGA PASIRAN") == 10 and "Pasiran · halaman 1/2" in pages[0]
    assert pages[1].count("WARGA PASIRAN") == 3 and pages[1].count("WARGA ROBAN") == 3
    assert "Pasiran, Roban · halaman 2/2" in pages[1]
    reader = PdfReader(io.BytesIO(pdf))
    streams = [p.get_contents().get_data().decode("latin-1") for p in reader.pages]
    assert "\n2 w\n" not in streams[0] and "\n2 w\n" in streams[1]


def test_sheets_hold_ten_cards_and_start_each_village_on_a_new_page():
    faces = [face(name=f"Warga Pasiran {i:02d}") for i in range(13)] + [
        face(name=f"Warga Roban {i}", group="Roban") for i in range(3)
    ]
    pages = pages_text(card_pdf.sheet_pdf(faces, title="Kartu", village_per_sheet=True))
    assert len(pages) == 3
    assert pages[0].count("WARGA PASIRAN") == 10 and "Pasiran · halaman 1/2" in pages[0]
    assert pages[1].count("WARGA PASIRAN") == 3 and "WARGA ROBAN" not in pages[1]
    assert pages[2].count("WARGA ROBAN") == 3 and "Roban · halaman 1/1" in pages[2]
    reader = PdfReader(io.BytesIO(card_pdf.sheet_pdf(faces, title="Kartu")))
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4 in points
