"""An uploaded list (`ImportBatch`) and what the import decided for each of its rows.

`ImportRow` is also the staging table a commit copies from: its columns hold the normalised
values, in the registry's stored form. The probable-duplicate detector reads the rows of a batch
whose outcome is `new` (nik, full_name, birth_date, sex, village_code).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jaring.core import jobs


class Status(models.TextChoices):
    NEEDS_MAPPING = "needs_mapping", _("Needs column mapping")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Checking")
    READY = "ready", _("Ready to commit")
    COMMITTING = "committing", _("Committing")
    COMMITTED = "committed", _("Committed")
    FAILED = "failed", _("Failed")


class Outcome(models.TextChoices):
    NEW = "new", _("New worker")
    UPDATED = "updated", _("Updates a worker")
    UNCHANGED = "unchanged", _("Already registered, unchanged")
    DUPLICATE_IN_FILE = "duplicate_in_file", _("Same NIK earlier in the file")
    DUPLICATE_IN_REGISTRY = "duplicate_in_registry", _("NIK registered to someone else")
    REJECTED = "rejected", _("Rejected")


# Outcomes whose rows go back to the sender in the rejected-rows file.
NOT_IMPORTED = (Outcome.REJECTED, Outcome.DUPLICATE_IN_FILE, Outcome.DUPLICATE_IN_REGISTRY)


class ImportBatch(jobs.Leased):
    # A check or a commit in progress; a dead process's batch fails as interrupted (core.jobs).
    working_statuses = (Status.RUNNING, Status.COMMITTING)
    queued_status = Status.QUEUED

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The region the rows must lie in: the importer's scope or a narrower one they chose.
    # Empty means the whole country. Who may see the batch is decided on it (see selectors).
    region_code = models.CharField(max_length=13, blank=True, db_index=True)
    original_name = models.CharField(max_length=255)
    file = models.FileField(upload_to="imports/%Y/%m/")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    file_format = models.CharField(max_length=4)
    headers = models.JSONField(default=list)
    # Spreadsheet row (1-based) holding the headers: lists often start with a title block.
    header_row = models.PositiveIntegerField(default=1)
    # Field name -> header, as recognised or as the officer corrected it.
    mapping = models.JSONField(default=dict)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=40, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    counts = models.JSONField(default=dict)
    # The officer's answers for values of coded columns the check did not recognise, by field
    # and value key (imports.values.value_key): a code, or None for "reject those rows".
    value_map = models.JSONField(default=dict)
    # What the last check did not recognise: one entry per field and value (imports.values).
    unrecognised = models.JSONField(default=list)
    # File-level problems (unreadable file, no NIK column): Problem.as_dict() each.
    problems = models.JSONField(default=list)
    task_id = models.CharField(max_length=64, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.original_name}"

    @classmethod
    def interrupted_fields(cls) -> dict:
        # A commit's transaction was rolled back with its process: checked again, it commits.
        return {
            "status": Status.FAILED,
            "stage": "",
            "progress": 100,
            "finished_at": timezone.now(),
            "problems": [jobs.INTERRUPTED.as_dict()],
        }

    @property
    def may_check_again(self) -> bool:
        return self.status in (Status.FAILED, Status.READY, Status.NEEDS_MAPPING)

    @property
    def is_busy(self) -> bool:
        return self.status in (Status.QUEUED, Status.RUNNING, Status.COMMITTING)


class ImportRow(models.Model):
    # No index of its own: the unique (batch, row_number) constraint serves batch lookups.
    # No database constraint either: rows are only written in bulk, by `staging.save_rows` for
    # the batch being checked, and PostgreSQL would queue a deferred check for every one of a
    # million rows (the delete still cascades, in Django).
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.CASCADE,
        related_name="rows",
        db_index=False,
        db_constraint=False,
    )
    # The row number the officer sees in the spreadsheet (the header row is counted).
    row_number = models.PositiveIntegerField()
    outcome = models.CharField(max_length=24, choices=Outcome.choices)
    nik = models.CharField(max_length=64, blank=True)
    full_name = models.CharField(max_length=150, blank=True)
    # `Worker.name_key` of the name, so that a commit copies new rows with SQL alone.
    name_key = models.CharField(max_length=150, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, blank=True)
    village_code = models.CharField(max_length=13, blank=True)
    rt = models.CharField(max_length=3, blank=True)
    rw = models.CharField(max_length=3, blank=True)
    address = models.CharField(max_length=255, blank=True)
    phone = models.CharField(max_length=16, blank=True)
    category_code = models.CharField(max_length=40, blank=True)
    has_disability = models.BooleanField(default=False)
    disability_kind = models.CharField(max_length=20, blank=True)
    declared_income = models.PositiveBigIntegerField(null=True, blank=True)
    consent_date = models.DateField(null=True, blank=True)
    # For BPJS's collective form (registry.Worker has the same fields). Most lists have none
    # of them: with a database default, storing the rows leaves them out (staging._filled).
    place_of_birth = models.CharField(max_length=100, blank=True, default="", db_default="")
    mother_maiden_name = models.CharField(max_length=150, blank=True, default="", db_default="")
    marital_status = models.CharField(max_length=10, blank=True, default="", db_default="")
    email = models.CharField(max_length=254, blank=True, default="", db_default="")
    # The registered worker with this NIK, if any (no constraint: rows are loaded in bulk).
    worker_id = models.BigIntegerField(null=True, blank=True)
    # For `updated`: {field: [registered value, value from the file]}.
    changes = models.JSONField(null=True, blank=True)
    reasons = models.JSONField(null=True, blank=True)
    # The cells as read (header -> text), kept for rows that go back to the sender.
    original = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["batch", "row_number"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "row_number"], name="import_row_unique")
        ]
        # Lists by outcome (the preview's tabs, rejected rows, updates) find the rarer
        # outcomes through this index; `new` rows, most of a list, are read through the unique
        # (batch, row_number) index, and leaving them out of this one spares a million-row
        # list a million index entries (1.5 s of its 6 s of storing on PostgreSQL).
        indexes = [
            models.Index(
                fields=["batch", "outcome", "row_number"],
                name="import_row_outcome",
                condition=~models.Q(outcome=Outcome.NEW),
            )
        ]

    def __str__(self) -> str:
        return f"row {self.row_number} of batch {self.batch_id}: {self.outcome}"


class ValueSynonym(models.Model):
    """A city's own wording for a coded value ("Buruh Sawit" is the occupation palm_oil_worker),
    remembered from an import's review step or added on the synonyms page. It applies to every
    later import of the region and below; the shipped wordings (imports/synonyms.toml) apply
    everywhere and give way to it."""

    # The city (regency) the wording belongs to; a province's or "" (the country) for
    # administrators working above a city.
    region_code = models.CharField(max_length=13, blank=True)
    field = models.CharField(max_length=20)
    value = models.CharField(max_length=100)
    # imports.values.value_key(value): what a cell is matched on.
    value_key = models.CharField(max_length=100)
    code = models.CharField(max_length=40)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["region_code", "field", "value_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "field", "value_key"], name="value_synonym_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.field}: {self.value} = {self.code}"

    def snapshot(self) -> dict:
        return {
            "region_code": self.region_code,
            "field": self.field,
            "value": self.value,
            "code": self.code,
        }
