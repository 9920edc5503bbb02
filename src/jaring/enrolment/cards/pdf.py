"""The membership card as PDF: one card alone, or A4 sheets of ten with cut marks.

Pure layout over `CardFace`; no database. Cards are ID-1 size (85.6 × 54 mm, a bank card),
so they fit a standard card sleeve. The QR code is drawn as vector squares: sharp at any
printer resolution and small in the file.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby

import segno
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

CARD_W, CARD_H = 85.6 * mm, 53.98 * mm
COLUMNS, ROWS = 2, 5
PER_SHEET = COLUMNS * ROWS
_PAD = 3.5 * mm
_BAND_H = 11 * mm
_QR_SIZE = 24 * mm
_INK = HexColor("#1b2b34")
_BAND = HexColor("#0f6e5c")
_MUTED = HexColor("#5b6b73")
_CUT = Color(0, 0, 0, alpha=0.55)
_DIVIDER = HexColor("#e0a526")  # the village divider: the brand accent
_OUTLINE = HexColor("#c9d1d5")

# Cards go to workers, so they are printed in their language without relying on a catalogue.
LABELS = {
    "id": {
        "title": "KARTU PERLINDUNGAN PEKERJA",
        "nik": "NIK",
        "kpj": "No. KPJ",
        "programme": "Program",
        "cover": "Berlaku",
        "until": "s.d.",
        "scan": "Pindai untuk cek status",
        "page": "halaman",
    },
    "en": {
        "title": "WORKER PROTECTION CARD",
        "nik": "NIK",
        "kpj": "KPJ no.",
        "programme": "Programme",
        "cover": "Valid",
        "until": "to",
        "scan": "Scan to check status",
        "page": "page",
    },
}


@dataclass(frozen=True, slots=True)
class CardFace:
    name: str
    masked_nik: str
    kpj: str
    programme: str
    benefits: str  # "JKK + JKM"
    start_date: dt.date
    end_date: dt.date
    qr_url: str  # the public status page for this card; never carries the NIK
    group: str = ""  # the village: a divider where it starts (or a sheet of its own)


def _date(value: dt.date) -> str:
    return value.strftime("%d-%m-%Y")


def _fit(c: Canvas, text: str, font: str, size: float, width: float) -> float:
    """The largest size ≤ `size` at which `text` fits in `width` (long names shrink)."""
    while size > 5 and c.stringWidth(text, font, size) > width:
        size -= 0.25
    return size


def _qr(c: Canvas, url: str, x: float, y: float, size: float) -> None:
    matrix = segno.make(url, error="m").matrix
    module = size / len(matrix)
    c.setFillColor(_INK)
    for r, row in enumerate(matrix):
        top = y + size - (r + 1) * module
        col = 0
        # One rectangle per run of dark modules keeps the PDF small for thousands of cards.
        while col < len(row):
            if not row[col]:
                col += 1
                continue
            start = col
            while col < len(row) and row[col]:
                col += 1
            c.rect(x + start * module, top, (col - start) * module, module, stroke=0, fill=1)


def _card(c: Canvas, face: CardFace, x: float, y: float, labels: dict[str, str]) -> None:
    c.setStrokeColor(_OUTLINE)
    c.setLineWidth(0.4)
    c.roundRect(x, y, CARD_W, CARD_H, 2.5 * mm, stroke=1, fill=0)

    band_y = y + CARD_H - _BAND_H
    c.setFillColor(_BAND)
    c.rect(x, band_y, CARD_W, _BAND_H, stroke=0, fill=1)
    c.setFillColor(white)
    c.setFont("Helvetica-Bold", 7.5)
    c.drawString(x + _PAD, band_y + _BAND_H - 4.5 * mm, labels["title"])
    size = _fit(c, face.programme, "Helvetica", 7, CARD_W - 2 * _PAD)
    c.setFont("Helvetica", size)
    c.drawString(x + _PAD, band_y + 2.3 * mm, face.programme)

    text_w = CARD_W - 3 * _PAD - _QR_SIZE
    left = x + _PAD
    line_y = band_y - 6 * mm
    size = _fit(c, face.name.upper(), "Helvetica-Bold", 10, text_w)
    c.setFillColor(_INK)
    c.setFont("Helvetica-Bold", size)
    c.drawString(left, line_y, face.name.upper())

    for label, value in (
        (labels["nik"], face.masked_nik),
        (labels["kpj"], face.kpj),
        (labels["programme"], face.benefits),
        (
            labels["cover"],
            f"{_date(face.start_date)} {labels['until']} {_date(face.end_date)}",
        ),
    ):
        line_y -= 6.2 * mm
        c.setFillColor(_MUTED)
        c.setFont("Helvetica", 5.5)
        c.drawString(left, line_y + 2.6 * mm, label)
        c.setFillColor(_INK)
        c.setFont("Helvetica-Bold" if label == labels["kpj"] else "Helvetica", 8)
        c.drawString(left, line_y, value)

    qr_x = x + CARD_W - _PAD - _QR_SIZE
    qr_y = y + _PAD + 2.5 * mm
    _qr(c, face.qr_url, qr_x, qr_y, _QR_SIZE)
    c.setFillColor(_MUTED)
    c.setFont("Helvetica", 5)
    c.drawCentredString(qr_x + _QR_SIZE / 2, y + _PAD - 0.5 * mm, labels["scan"])


def card_pdf(face: CardFace, *, language: str = "id") -> bytes:
    """One card on a page of its own size (for a card printer or a single reprint)."""
    out = io.BytesIO()
    c = Canvas(out, pagesize=(CARD_W, CARD_H), pageCompression=1)
    c.setTitle(f"{LABELS[language]['title']} {face.kpj}")
    _card(c, face, 0, 0, LABELS[language])
    c.showPage()
    c.save()
    return out.getvalue()


def _cut_marks(c: Canvas, left: float, bottom: float) -> None:
    """Ticks in the margin on every cutting line; the cards themselves abut."""
    tick = 5 * mm
    gap = 1.5 * mm
    c.setStrokeColor(_CUT)
    c.setLineWidth(0.3)
    for i in range(COLUMNS + 1):
        x = left + i * CARD_W
        top = bottom + ROWS * CARD_H
        c.line(x, bottom - gap, x, bottom - gap - tick)
        c.line(x, top + gap, x, top + gap + tick)
    for j in range(ROWS + 1):
        y = bottom + j * CARD_H
        right = left + COLUMNS * CARD_W
        c.line(left - gap, y, left - gap - tick, y)
        c.line(right + gap, y, right + gap + tick, y)


def _pages(
    faces: Iterable[CardFace], *, village_per_sheet: bool
) -> Iterator[tuple[str, int, int, list[CardFace]]]:
    """(label, sheet, sheets, faces) for each sheet: cards packed across villages (a village
    divider where one ends inside a sheet), or each village on its own sheets."""
    if village_per_sheet:
        for group, members in groupby(faces, key=lambda f: f.group):
            cards = list(members)
            count = -(-len(cards) // PER_SHEET)
            for page in range(count):
                yield group, page + 1, count, cards[page * PER_SHEET : (page + 1) * PER_SHEET]
        return
    cards = list(faces)
    count = -(-len(cards) // PER_SHEET)
    for page in range(count):
        sheet = cards[page * PER_SHEET : (page + 1) * PER_SHEET]
        villages = list(dict.fromkeys(f.group for f in sheet if f.group))
        yield ", ".join(villages), page + 1, count, sheet


def _divider(c: Canvas, x: float, y: float, first_in_row: bool) -> None:
    """A village starts at the card at (x, y): a bold line along its top edge (and its left
    edge when it is not the first card of its row), inside the cutting lines' margin."""
    c.setStrokeColor(_DIVIDER)
    c.setLineWidth(2)
    top = y + CARD_H
    c.line(x, top, x + CARD_W, top)
    if not first_in_row:
        c.line(x, y, x, top)


def sheet_pdf(
    faces: Iterable[CardFace],
    *,
    title: str,
    language: str = "id",
    village_per_sheet: bool = False,
) -> bytes:
    """A4 sheets of ten cards (2 × 5) with cut marks, packed across villages with a divider
    where a new village starts (85 cards → 9 sheets), or, with `village_per_sheet`, each village
    on its own sheets (to hand each village's cards over separately)."""
    labels = LABELS[language]
    width, height = A4
    left = (width - COLUMNS * CARD_W) / 2
    bottom = (height - ROWS * CARD_H) / 2
    out = io.BytesIO()
    c = Canvas(out, pagesize=A4, pageCompression=1)
    c.setTitle(title)
    for group, page, pages, cards in _pages(faces, village_per_sheet=village_per_sheet):
        _cut_marks(c, left, bottom)
        previous = None
        for i, face in enumerate(cards):
            col, row = i % COLUMNS, i // COLUMNS
            x, y = left + col * CARD_W, bottom + (ROWS - 1 - row) * CARD_H
            _card(c, face, x, y, labels)
            if previous is not None and face.group != previous:
                _divider(c, x, y, first_in_row=col == 0)
            previous = face.group
        c.setFillColor(_MUTED)
        c.setFont("Helvetica", 7)
        footer = f"{group} · {labels['page']} {page}/{pages}" if group else f"{page}/{pages}"
        c.drawCentredString(width / 2, bottom / 2 - 1 * mm, footer)
        c.showPage()
    c.save()
    return out.getvalue()
