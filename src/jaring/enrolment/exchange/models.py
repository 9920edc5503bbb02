"""What went to the BPJS branch and what came back.

Imported at the bottom of enrolment/models.py so that the app has one migration history.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionBatch(models.Model):
    """One file of workers sent to the branch for registration."""

    programme = models.ForeignKey(
        "programs.Programme", on_delete=models.PROTECT, related_name="submission_batches"
    )
    number = models.PositiveIntegerField()  # 1, 2, ... within the programme
    # Printed in every row of the file, so the response can be matched to the batch.
    reference = models.CharField(max_length=40, unique=True)
    # The region the batch was cut to (a village, or the officer's scope); empty = all.
    region_code = models.CharField(max_length=13, blank=True)
    file_format = models.CharField(max_length=4)
    # The export profile (exchange.profiles) and its TOML text as it was when the batch was
    # made, so the file can be written again the same way after the profile changes.
    profile = models.CharField(max_length=60, default="jaring")
    profile_source = models.TextField(blank=True)
    line_count = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="batch_number_unique"),
        ]

    def __str__(self) -> str:
        return self.reference


class ExportSetting(models.Model):
    """The export profile a programme's batches are made in (absent: Jaring's own layout)."""

    programme = models.OneToOneField(
        "programs.Programme", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    profile = models.CharField(max_length=60)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.programme_id}: {self.profile}"


class LineOutcome(models.TextChoices):
    PENDING = "pending", _("Waiting for BPJS")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class ResponseImport(models.Model):
    """One response file from the branch, applied once; its hash makes re-imports no-ops."""

    programme = models.ForeignKey(
        "programs.Programme", on_delete=models.PROTECT, related_name="response_imports"
    )
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    # What the import did, as reported to the officer (counts, NIKs never submitted...).
    report = models.JSONField(default=dict)

    class Meta:
        ordering = ["-imported_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "sha256"], name="response_import_once_per_programme"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.imported_at:%Y-%m-%d %H:%M})"


class BatchLine(models.Model):
    """One worker in one batch, and the branch's answer for them."""

    batch = models.ForeignKey(SubmissionBatch, on_delete=models.PROTECT, related_name="lines")
    membership = models.ForeignKey(
        "enrolment.Membership", on_delete=models.PROTECT, related_name="batch_lines"
    )
    nik = models.CharField(max_length=16)
    # The row exactly as sent (strings and numbers), so the file can be downloaded again.
    row = models.JSONField()
    outcome = models.CharField(
        max_length=10, choices=LineOutcome.choices, default=LineOutcome.PENDING
    )
    kpj = models.CharField(max_length=20, blank=True)
    reason = models.TextField(blank=True)
    start_date = models.DateField(null=True, blank=True)
    response = models.ForeignKey(
        ResponseImport, null=True, blank=True, on_delete=models.PROTECT, related_name="lines"
    )

    class Meta:
        ordering = ["batch", "id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "nik"], name="batch_line_nik_unique"),
        ]
        indexes = [models.Index(fields=["nik", "outcome"])]

    def __str__(self) -> str:
        return f"{self.batch_id}/{self.nik} ({self.outcome})"
