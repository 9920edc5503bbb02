from django.apps import AppConfig


class DedupeConfig(AppConfig):
    name = "jaring.dedupe"

    def ready(self):
        from jaring.core import events
        from jaring.imports import hooks

        hooks.duplicate_check = _ImportDuplicates()
        events.import_committed.connect(_rows_committed, dispatch_uid="dedupe-import-committed")


class _ImportDuplicates:
    """Dedupe's answer to the import's duplicate check. The services (and Splink with them) are
    loaded by the first batch, not when Django starts."""

    def flag(self, batch_id: int) -> int:
        from jaring.dedupe.services import find_probable_duplicates_for_batch

        return find_probable_duplicates_for_batch(batch_id=batch_id)

    def pairs(self, batch_id: int) -> list[dict[str, object]]:
        from jaring.dedupe.selectors import batch_pairs

        return batch_pairs(batch_id)


def _rows_committed(sender, *, batch_id: int, **_kwargs) -> None:
    from jaring.dedupe.services import rows_committed

    rows_committed(batch_id=batch_id)
