"""Uploaded documents (PDF, JPEG, PNG): checked by content (not by name) and size, stored under a
random name.

The type comes from the file's first bytes, so a renamed executable is refused, and the stored
name says nothing about the person or employer. Files are kept under MEDIA_ROOT (never under
the static files) and served only through views that check the user's region; MEDIA_URL never
exposes them. Claim documents and compliance evidence use it, each with its own error codes.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.core.files.base import ContentFile
from django.db import models

from jaring.core.errors import Problem, ValidationFailed
from jaring.rules.errors import ErrorCode

# (magic bytes at the start, content type, extension)
KINDS = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Checked:
    original_name: str
    content: bytes
    content_type: str
    extension: str
    sha256: str

    def stored(self) -> tuple[str, ContentFile]:
        """A random file name and the content to save under it."""
        return f"{secrets.token_urlsafe(24)}.{self.extension}", ContentFile(self.content)


def save_all(checked: Sequence[Checked], new: Callable[..., M]) -> list[M]:
    """Saves a row per checked file, `new(**the file's fields)` with its file stored. Inside the
    caller's transaction: if one fails, the rows roll back and the files written so far go too."""
    saved: list[M] = []
    try:
        for c in checked:
            row = new(
                original_name=c.original_name,
                content_type=c.content_type,
                size=len(c.content),
                sha256=c.sha256,
            )
            row.file.save(*c.stored(), save=False)
            saved.append(row)
            row.save()
    except BaseException:
        for row in saved:
            row.file.delete(save=False)
        raise
    return saved


def _megabytes(n: int) -> str:
    return f"{n / 1024 / 1024:.1f}".rstrip("0").rstrip(".")


def check(
    uploads: Sequence,
    *,
    field: str,
    limit: int,
    too_large: ErrorCode,
    wrong_type: ErrorCode,
) -> list[Checked]:
    """Every upload checked; ValidationFailed listing each refused file (nothing kept)."""
    checked, problems = [], []
    for i, upload in enumerate(uploads):
        name = (getattr(upload, "name", "") or f"document-{i + 1}")[-200:]
        where = f"{field}.{i}"
        size = getattr(upload, "size", None)
        if size is not None and size > limit:
            problems.append(_too_big(too_large, name, size, limit, where))
            continue
        content = upload.read(limit + 1)
        if len(content) > limit:
            problems.append(_too_big(too_large, name, len(content), limit, where))
            continue
        kind = next((k for k in KINDS if content.startswith(k[0])), None)
        if kind is None:
            problems.append(
                Problem(
                    wrong_type,
                    f"{name}: bukan berkas PDF, JPEG atau PNG (dilihat dari isinya).",
                    f"{name}: not a PDF, JPEG or PNG file (judged by its content).",
                    field=where,
                )
            )
            continue
        checked.append(
            Checked(name, content, kind[1], kind[2], hashlib.sha256(content).hexdigest())
        )
    if problems:
        raise ValidationFailed(*problems)
    return checked


def _too_big(code: ErrorCode, name: str, size: int, limit: int, where: str) -> Problem:
    return Problem(
        code,
        f"{name}: {_megabytes(size)} MB, lebih dari batas {_megabytes(limit)} MB.",
        f"{name}: {_megabytes(size)} MB, more than the limit of {_megabytes(limit)} MB.",
        field=where,
        params={"size": size, "limit": limit},
    )
