"""Rate-table versions added by an admin, monthly bills, payments and billing runs."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jaring.core import jobs


class RateImport(models.Model):
    """One file of rule-table versions an admin added on top of the shipped tables.

    `document` is the file as read (same structure as `rules/data/*.toml`, dates as ISO text);
    it never changes. `closes` lists the versions this import gave an end date to (shipped or
    imported earlier), so the version in force until the new one starts ends the day before.
    """

    file_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    document = models.JSONField()
    closes = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.file_name} (#{self.pk})"


class BillStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PARTLY_PAID = "partly_paid", _("Partly paid")
    PAID = "paid", _("Paid")


class Bill(models.Model):
    """What a programme owes BPJS for one contribution month."""

    programme = models.ForeignKey(
        "programs.Programme", on_delete=models.PROTECT, related_name="bills"
    )
    month = models.DateField(help_text="first day of the contribution month")
    # year * 12 + month - 1: consecutive months differ by one, on every database.
    period = models.PositiveIntegerField(editable=False)
    due_date = models.DateField()
    due_rule = models.CharField(max_length=300, help_text="due-date rule and holiday calendar")
    rule_version = models.CharField(max_length=500, blank=True)
    members = models.PositiveIntegerField(default=0)
    jkk = models.BigIntegerField(default=0)
    jkm = models.BigIntegerField(default=0)
    jht = models.BigIntegerField(default=0)
    total = models.BigIntegerField(default=0)
    paid = models.BigIntegerField(default=0)
    # Lines taken off because the membership lapsed: no longer payable.
    lapsed_members = models.PositiveIntegerField(default=0)
    lapsed_amount = models.BigIntegerField(default=0)
    status = models.CharField(max_length=12, choices=BillStatus.choices, default=BillStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-month", "programme_id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "month"], name="bill_one_per_month"),
        ]
        indexes = [models.Index(fields=["programme", "status", "month"])]

    def __str__(self) -> str:
        return f"{self.programme} {self.month:%Y-%m}"

    @property
    def open_amount(self) -> int:
        return self.total - self.paid


class BillRate(models.Model):
    """The monthly contribution of one (category, income base) in a bill, priced once."""

    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="rates")
    category = models.ForeignKey(
        "registry.OccupationCategory", on_delete=models.PROTECT, related_name="+"
    )
    income_base = models.PositiveBigIntegerField()
    sector = models.CharField(max_length=20)
    jkk = models.PositiveIntegerField()
    jkm = models.PositiveIntegerField()
    jht = models.PositiveIntegerField()
    amount = models.PositiveIntegerField()
    rule_version = models.CharField(max_length=300)
    # Formulas, regulations and discounts of the calculation, for the bill document.
    detail = models.JSONField()

    class Meta:
        ordering = ["bill", "category_id", "income_base"]
        constraints = [
            models.UniqueConstraint(
                fields=["bill", "category", "income_base"], name="bill_rate_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category_id} {self.income_base}: {self.amount}"


class LineStatus(models.TextChoices):
    BILLED = "billed", _("Billed")
    LAPSED = "lapsed", _("Lapsed, not payable")


class BillLine(models.Model):
    """One member's contribution in a bill.

    Payments fill a bill's lines in line order, so a line is paid when its `cumulative` (the
    running total of the bill's billed lines up to and including it) is at most `bill.paid`.
    Recording a payment then touches one row, not every member.
    """

    # No database foreign-key constraints here: lines are written only by the billing run's
    # INSERT … SELECT from existing rows, and on PostgreSQL the constraints' per-row checks cost
    # 44 s for a million lines (three times the insert). The ORM still cascades and protects.
    bill = models.ForeignKey(
        Bill, on_delete=models.CASCADE, related_name="lines", db_index=False, db_constraint=False
    )
    membership = models.ForeignKey(
        "enrolment.Membership",
        on_delete=models.PROTECT,
        related_name="bill_lines",
        db_constraint=False,
    )
    rate = models.ForeignKey(
        BillRate, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    amount = models.PositiveIntegerField()
    cumulative = models.BigIntegerField()
    status = models.CharField(max_length=8, choices=LineStatus.choices, default=LineStatus.BILLED)

    class Meta:
        ordering = ["bill", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bill", "membership"], name="bill_line_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.bill_id}/{self.membership_id}: {self.amount}"


class Payment(models.Model):
    """Money the funder paid for a programme's bills (one SP2D)."""

    programme = models.ForeignKey(
        "programs.Programme", on_delete=models.PROTECT, related_name="payments"
    )
    paid_on = models.DateField()
    amount = models.PositiveBigIntegerField()
    reference = models.CharField(max_length=100, help_text="e.g. the SP2D number")
    note = models.TextField(blank=True)
    # The part of `amount` beyond the open bills, carried forward to the next bills.
    to_credit = models.PositiveBigIntegerField(default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "reference"], name="payment_reference_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.amount}"


class AllocationSource(models.TextChoices):
    PAYMENT = "payment", _("Payment")
    CREDIT = "credit", _("Credit carried forward")


class Allocation(models.Model):
    """Part of a payment, or of the programme's credit, applied to one bill."""

    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="allocations")
    payment = models.ForeignKey(
        Payment, null=True, on_delete=models.PROTECT, related_name="allocations"
    )
    source = models.CharField(max_length=8, choices=AllocationSource.choices)
    amount = models.PositiveBigIntegerField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["bill", "id"]

    def __str__(self) -> str:
        return f"{self.source} {self.amount} → bill {self.bill_id}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class BillingRun(jobs.Leased):
    """A monthly run asked for in the page, carried out by the background worker."""

    working_statuses = (RunStatus.RUNNING,)
    queued_status = RunStatus.QUEUED

    month = models.DateField()
    programme = models.ForeignKey(
        "programs.Programme", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    as_of = models.DateField()
    status = models.CharField(max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED)
    result = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"billing run {self.month:%Y-%m} ({self.status})"

    @classmethod
    def interrupted_fields(cls) -> dict:
        # The lapses and each programme's bill are transactions of their own: what was done
        # stays, and a run of the same month again does the rest (a bill is never made twice).
        return {
            "status": RunStatus.FAILED,
            "problems": [jobs.INTERRUPTED.as_dict()],
            "finished_at": timezone.now(),
        }


class StatementImport(models.Model):
    """BPJS's monthly statement for a programme's month, set beside the programme's bill once.

    The report holds what was found: who BPJS counts that Jaring did not bill, who Jaring
    billed that BPJS does not count, and amount differences (contributions.statements). The
    same file again is recognised by its hash and changes nothing.
    """

    programme = models.ForeignKey(
        "programs.Programme", on_delete=models.PROTECT, related_name="statement_imports"
    )
    month = models.DateField(help_text="first day of the statement's month")
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    report = models.JSONField(default=dict)

    class Meta:
        ordering = ["-imported_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "month", "sha256"], name="statement_once_per_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.month:%Y-%m})"
