"""Claims on members of a Singkawang programme, made through the services.

Expected amounts come from PP 82/2019 as RULES.md states it, at the one income base the shipped
table defines (Rp1,000,000, which is the "wage" of a BPU member).
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from jaring.claims import services
from jaring.claims.entitlements import ClaimInput
from tests.contributions.setup import member

WAGE = 1_000_000
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def codes(claim) -> dict[str, int]:
    """A claim's entitlements by item code."""
    return {i.code: i.amount for i in claim.items.all()}


def upload(name: str = "akta-kematian.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def claim_input(kind: str = "death", event: dt.date = dt.date(2026, 3, 10), **fields) -> ClaimInput:
    fields.setdefault("description", "Tenggelam saat melaut")
    fields.setdefault("claimed_on", dt.date(2026, 3, 20))
    return ClaimInput(kind=kind, event_date=event, **fields)


def register(actor, membership, kind: str = "death", event=dt.date(2026, 3, 10), docs=(), **kw):
    return services.register_claim(
        actor=actor, membership=membership, data=claim_input(kind, event, **kw), documents=docs
    )


def member_at(admin, programme, start: dt.date, village: str, category: str = "fisher", **worker):
    """An active membership of a worker living in `village`, from `start`."""
    return member(admin, programme, start, category, village=village, **worker)
