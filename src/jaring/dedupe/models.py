"""The saved linkage model, detection runs, and the review queue of probable duplicates."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jaring.core import formats, jobs


class ModelKind(models.TextChoices):
    DEFAULT = "default", _("Jaring's default model")
    REGISTRY = "registry", _("Trained on this registry")


class DedupeModel(models.Model):
    """A Splink model: Jaring's default, or one trained on the registry; the newest of the
    current version is reused for every check (see `services.current_model`)."""

    trained_at = models.DateTimeField(auto_now_add=True)
    record_count = models.PositiveIntegerField()
    backend = models.CharField(max_length=10)
    kind = models.CharField(max_length=10, choices=ModelKind.choices, default=ModelKind.REGISTRY)
    # linkage.MODEL_VERSION when it was saved: a model of another version has other levels.
    version = models.PositiveSmallIntegerField(default=1)
    # linkage.TrainedModel.as_dict(): the Splink JSON plus what rescales it to a registry size.
    model = models.JSONField()

    class Meta:
        ordering = ["-trained_at", "-id"]

    def __str__(self) -> str:
        return f"model #{self.pk} ({self.record_count} records, {self.trained_at:%Y-%m-%d})"

    @property
    def description(self) -> str:
        """What the officer is told scored a pair: "trained on 35,120 workers on 07-12-2026 (#3)"
        or "Jaring's default model v2 (#1)"."""
        if self.kind == ModelKind.DEFAULT:
            return _("Jaring's default model v%(version)s (#%(id)s)") % {
                "id": self.pk,
                "version": self.version,
            }
        return _("trained on %(count)s workers on %(date)s (#%(id)s)") % {
            "id": self.pk,
            "count": formats.number(self.record_count),
            "date": f"{self.trained_at:%d-%m-%Y}",
        }


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class DedupeRun(jobs.Leased):
    """One detection over the whole registry (`jaring dedupe` or the web button)."""

    working_statuses = (RunStatus.RUNNING,)
    queued_status = RunStatus.QUEUED

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    threshold = models.FloatField()
    retrain = models.BooleanField(default=False)
    model = models.ForeignKey(DedupeModel, null=True, blank=True, on_delete=models.SET_NULL)
    # pairs_found, new_pairs, already_queued, already_decided; timings in seconds.
    summary = models.JSONField(default=dict)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"run #{self.pk} {self.status}"

    @classmethod
    def interrupted_fields(cls) -> dict:
        # Its pairs are queued in one transaction at the end: none were, or all.
        return {
            "status": RunStatus.FAILED,
            "error": str(jobs.INTERRUPTED.code),
            "finished_at": timezone.now(),
        }


class PairStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    MERGED = "merged", _("Merged")
    DISTINCT = "distinct", _("Different people")
    # One of the two was merged into a third record by another decision.
    OBSOLETE = "obsolete", _("No longer applies")


class ProbableDuplicate(models.Model):
    """Two records that are probably the same person: a worker and a worker, an import row
    and a worker, or two rows of one import (the same person typed twice with another NIK).

    `nik_pair` (the two NIKs, sorted) is what a decision is remembered by: a pair decided
    distinct stays decided when a later run finds it again, and when an import row so decided
    is later committed as a worker. When an import is committed its rows become workers, and
    its pairs still waiting for a decision become worker–worker pairs (`services.rows_committed`).

    The region columns hold the smallest region containing both records (empty below it), so
    `accounts.scope.scope_q` applies as is: an officer sees a pair only when both records are
    within their region.
    """

    # One of three shapes: worker + other_worker (its id above `worker`'s), worker +
    # import_row, or import_row + other_import_row (two rows of one file, no worker yet).
    worker = models.ForeignKey(
        "registry.Worker",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="probable_duplicates",
    )
    other_worker = models.ForeignKey(
        "registry.Worker", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    import_row = models.ForeignKey(
        "imports.ImportRow", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    other_import_row = models.ForeignKey(
        "imports.ImportRow", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    batch_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    nik_pair = models.CharField(max_length=80, db_index=True)
    match_probability = models.FloatField()
    match_weight = models.FloatField()
    # [{comparison, level, label, agreement, weight}]: what agreed and what did not.
    explanation = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=PairStatus.choices, default=PairStatus.PENDING)
    province_code = models.CharField(max_length=2, blank=True)
    regency_code = models.CharField(max_length=5, blank=True)
    district_code = models.CharField(max_length=8, blank=True)
    village_id = models.CharField(max_length=13, blank=True)
    run = models.ForeignKey(DedupeRun, null=True, blank=True, on_delete=models.SET_NULL)
    # The model that scored the pair (shown with it).
    model = models.ForeignKey(
        DedupeModel, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    found_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # For a merge: the worker that was kept.
    kept = models.ForeignKey(
        "registry.Worker", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-match_probability", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "other_worker"],
                condition=models.Q(other_worker__isnull=False),
                name="dedupe_worker_pair_unique",
            ),
            models.UniqueConstraint(
                fields=["worker", "import_row"],
                condition=models.Q(import_row__isnull=False),
                name="dedupe_row_pair_unique",
            ),
            models.UniqueConstraint(
                fields=["import_row", "other_import_row"],
                condition=models.Q(other_import_row__isnull=False),
                name="dedupe_row_row_pair_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    worker__isnull=False,
                    other_worker__isnull=False,
                    import_row__isnull=True,
                    other_import_row__isnull=True,
                )
                | models.Q(
                    worker__isnull=False,
                    other_worker__isnull=True,
                    import_row__isnull=False,
                    other_import_row__isnull=True,
                )
                | models.Q(
                    worker__isnull=True,
                    other_worker__isnull=True,
                    import_row__isnull=False,
                    other_import_row__isnull=False,
                ),
                name="dedupe_pair_shape",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "regency_code", "match_probability"]),
            models.Index(fields=["status", "district_code", "match_probability"]),
        ]

    def __str__(self) -> str:
        if self.other_import_row_id:
            return f"import rows {self.import_row_id} ~ {self.other_import_row_id}"
        other = f"worker {self.other_worker_id}" if self.other_worker_id else "an import row"
        return f"worker {self.worker_id} ~ {other} ({self.match_probability:.3f})"

    @property
    def is_within_file(self) -> bool:
        """Two rows of one import: neither is a worker until the import is committed."""
        return self.other_import_row_id is not None

    @property
    def is_pending(self) -> bool:
        return self.status == PairStatus.PENDING
