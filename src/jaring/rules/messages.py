"""Message templates for rule outcomes, in the two languages the UI speaks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jaring.rules.errors import ErrorCode


@dataclass(frozen=True, slots=True)
class Reason:
    code: ErrorCode
    id: str  # Bahasa Indonesia, shown by default
    en: str
