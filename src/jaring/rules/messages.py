"""Message templates for rule outcomes, in the two languages the UI speaks."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    id: str  # Bahasa Indonesia, shown by default
    en: str
