"""Auto-debit: a member's mandate, the monthly instruction file per bank, and its results.

A `Mandate` lets a bank debit a self-paying member's account each month (the bank keeps the
account: Jaring keeps its masked number, the bank's mandate number, the day, and the consent's
date and document). A `DebitBatch` is one bank's instruction file for a month, a `DebitLine` one
member's debit of every month then due (arrears first); the result file names each line by its
reference ("JRG" + the line's id). A `ResultImport` is one result file read (its SHA-256 is
unique: the same file twice changes nothing); a line's outcome is set once.

Written in bulk (INSERT … SELECT for the lines, one UPDATE per outcome for the results): no
database foreign-key constraints on the lines, the ORM still protects.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MandateStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CANCELLED = "cancelled", _("Cancelled")


class Mandate(models.Model):
    cover = models.ForeignKey(
        "continuity.SelfPayCover", on_delete=models.PROTECT, related_name="mandates"
    )
    bank = models.CharField(max_length=30)
    account_masked = models.CharField(max_length=30)
    bank_mandate_ref = models.CharField(max_length=60)
    debit_day = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=10, choices=MandateStatus.choices, default=MandateStatus.ACTIVE
    )
    consent_date = models.DateField()
    consent_document = models.CharField(max_length=200)
    province_code = models.CharField(max_length=2, editable=False)
    regency_code = models.CharField(max_length=5, editable=False)
    district_code = models.CharField(max_length=8, editable=False)
    village = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cover"],
                condition=models.Q(status="active"),
                name="autodebit_one_active_mandate",
            ),
            models.UniqueConstraint(
                fields=["bank", "bank_mandate_ref"], name="autodebit_bank_mandate_unique"
            ),
        ]
        indexes = [models.Index(fields=["bank", "status"])]

    def __str__(self) -> str:
        return f"mandate {self.bank} {self.account_masked} (cover {self.cover_id})"


class DebitBatch(models.Model):
    bank = models.CharField(max_length=30)
    month = models.DateField()
    debit_date = models.DateField()
    lines = models.PositiveIntegerField(default=0)
    total = models.PositiveBigIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month", "-id"]

    def __str__(self) -> str:
        return f"debit {self.bank} {self.month:%Y-%m} ({self.lines})"


class LineStatus(models.TextChoices):
    SENT = "sent", _("Sent to the bank")
    PAID = "paid", _("Debited")
    FAILED = "failed", _("Failed")
    ALREADY_PAID = "already_paid", _("Debited, but the months were already paid: refund")


class DebitLine(models.Model):
    batch = models.ForeignKey(
        DebitBatch, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    mandate = models.ForeignKey(
        Mandate, on_delete=models.PROTECT, related_name="+", db_constraint=False, db_index=False
    )
    cover_id = models.BigIntegerField()
    first_period = models.PositiveIntegerField()
    last_period = models.PositiveIntegerField()
    amount = models.PositiveBigIntegerField()
    status = models.CharField(max_length=12, choices=LineStatus.choices, default=LineStatus.SENT)
    reason = models.CharField(max_length=200, blank=True)
    bank_reference = models.CharField(max_length=100, blank=True)
    result = models.ForeignKey(
        "ResultImport", null=True, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )

    class Meta:
        ordering = ["batch", "id"]
        indexes = [models.Index(fields=["mandate", "first_period"])]

    def __str__(self) -> str:
        return f"{self.reference}: {self.amount} ({self.status})"

    @property
    def reference(self) -> str:
        return f"JRG{self.pk}"


class ResultImport(models.Model):
    bank = models.CharField(max_length=30)
    file_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64, unique=True)
    counts = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"results {self.bank} {self.file_name}"
