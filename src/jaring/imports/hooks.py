"""What an area above imports adds to a batch, registered from its AppConfig.ready() so that
imports never imports it (dedupe reads import rows, so dedupe sits above imports).

Today that is dedupe's probable-duplicate check (`duplicate_check`); without one a batch is
checked for exact duplicates only and its count of probable duplicates stays empty. What a
committed batch means for the areas above is announced by `core.events.import_committed`.
"""

from __future__ import annotations

from typing import Protocol


class DuplicateCheck(Protocol):
    def flag(self, batch_id: int) -> int:
        """Flags the batch's new rows that probably are registered workers (or each other);
        returns how many rows were flagged."""

    def pairs(self, batch_id: int) -> list[dict[str, object]]:
        """Each probable duplicate of the batch, for its report."""


duplicate_check: DuplicateCheck | None = None
