"""Claim documents: `core.uploads` (checked by content and size, stored under a random name)
with the claims' limit and error codes. Files are served only through the claims views, which
check the user's region."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings

from jaring.claims.errors import ClaimError
from jaring.core import uploads
from jaring.core.uploads import DEFAULT_MAX_BYTES, KINDS, Checked

__all__ = ["DEFAULT_MAX_BYTES", "KINDS", "Checked", "check", "max_bytes"]


def max_bytes() -> int:
    return getattr(settings, "JARING_CLAIM_DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES)


def check(documents: Sequence, *, field: str = "documents") -> list[Checked]:
    """Every upload checked; ValidationFailed listing each refused file (nothing kept)."""
    return uploads.check(
        documents,
        field=field,
        limit=max_bytes(),
        too_large=ClaimError.DOCUMENT_TOO_LARGE,
        wrong_type=ClaimError.DOCUMENT_TYPE,
    )
