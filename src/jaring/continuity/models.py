"""Self-paying members (BPU mandiri) and the hand-over from city-funded cover.

A `SelfPayCover` is one continuous period of membership that the worker pays for; a lapsed
member who pays again starts a new cover (RULES.md: "model reactivation as a new cover
period"). Its months are `SelfPayMonth` rows, one per member-month (unique), priced by a
`SelfPayRate` row per (month, income base, JHT, sector). Payments fill a cover's months in
order, arrears first, so the unpaid months are always the run after `paid_through`.

Agents (Perisai) and auto-debit mandates are built on top of these models by their own area:
an agent is credited with a cover, an auto-debit result becomes a `SelfPayment` with channel
`auto_debit` whose reference is the bank's (unique per channel: a result file read twice pays
nothing twice).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    CASH_AGENT = "cash_agent", _("Cash to an agent")
    BANK = "bank", _("Bank")
    AUTO_DEBIT = "auto_debit", _("Auto-debit")


class CoverStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    LAPSED = "lapsed", _("Lapsed (contributions unpaid)")
    STOPPED = "stopped", _("Stopped")


class _Region(models.Model):
    """The region columns scoping filters on (accounts.scope), copied from the worker."""

    village = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    province_code = models.CharField(max_length=2, editable=False)
    regency_code = models.CharField(max_length=5, editable=False)
    district_code = models.CharField(max_length=8, editable=False)

    class Meta:
        abstract = True


class SelfPayCover(_Region):
    worker = models.ForeignKey("registry.Worker", on_delete=models.PROTECT, related_name="+")
    # The city-funded membership this cover continues (the hand-over), if any.
    from_membership = models.ForeignKey(
        "enrolment.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The lapsed or stopped cover this one reactivates.
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    income = models.PositiveBigIntegerField(null=True, blank=True, help_text="declared")
    income_base = models.PositiveBigIntegerField()
    jht = models.BooleanField(default=False, help_text="JHT chosen besides JKK + JKM")
    sector = models.CharField(max_length=20)
    channel = models.CharField(max_length=12, choices=Channel.choices)
    start_date = models.DateField()
    # year * 12 + month - 1 of the contribution month the start date begins.
    first_period = models.PositiveIntegerField()
    # The last paid contribution month (first_period - 1 while none is paid).
    paid_through = models.PositiveIntegerField()
    # Cover actually given: from the start, or from the day the first month was paid when that
    # was after its due date (a gap after the funded cover); to the end of the last paid month.
    covered_from = models.DateField(null=True, blank=True)
    covered_through = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=CoverStatus.choices, default=CoverStatus.ACTIVE)
    end_date = models.DateField(null=True, blank=True)
    end_note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker"],
                condition=models.Q(status="active"),
                name="selfpay_one_active_cover",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "first_period"]),
            models.Index(fields=["regency_code", "status"]),
            models.Index(fields=["district_code", "status"]),
            models.Index(fields=["village", "status"]),
            models.Index(fields=["regency_code", "covered_through"]),
        ]

    def __str__(self) -> str:
        return f"self-paid cover {self.pk} of worker {self.worker_id} ({self.status})"

    def get_status_today_display(self) -> str:
        """The status that holds today (`selectors.with_status_today`), else the recorded one."""
        return str(CoverStatus(getattr(self, "status_today", self.status)).label)


class SelfPayRate(models.Model):
    """The monthly contribution of one (month, income base, JHT, sector), priced once."""

    period = models.PositiveIntegerField()
    month = models.DateField()
    income_base = models.PositiveBigIntegerField()
    jht = models.BooleanField()
    sector = models.CharField(max_length=20)
    jkk_amount = models.PositiveIntegerField()
    jkm_amount = models.PositiveIntegerField()
    jht_amount = models.PositiveIntegerField()
    amount = models.PositiveIntegerField()
    due_date = models.DateField()
    rule_version = models.CharField(max_length=300)
    # Formulas, regulations, discounts and the due-date rule of the calculation.
    detail = models.JSONField()

    class Meta:
        ordering = ["period", "income_base"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "income_base", "jht", "sector"], name="selfpay_rate_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.income_base}: {self.amount}"


class MonthStatus(models.TextChoices):
    DUE = "due", _("Due")
    PAID = "paid", _("Paid")
    LAPSED = "lapsed", _("Lapsed, not payable")


class SelfPayMonth(models.Model):
    """One member-month: what the member owes for it, and the payment that paid it.

    Written by the monthly run's INSERT … SELECT (a million rows a month): no database
    foreign-key constraints, the ORM still protects (as contributions.BillLine)."""

    cover = models.ForeignKey(
        SelfPayCover,
        on_delete=models.PROTECT,
        related_name="months",
        db_index=False,
        db_constraint=False,
    )
    period = models.PositiveIntegerField()
    rate = models.ForeignKey(
        SelfPayRate, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    amount = models.PositiveIntegerField()
    due_date = models.DateField()
    status = models.CharField(max_length=8, choices=MonthStatus.choices, default=MonthStatus.DUE)
    payment = models.ForeignKey(
        "SelfPayment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="months",
        db_constraint=False,
    )

    class Meta:
        ordering = ["cover", "period"]
        constraints = [
            # One payment per member-month: the month exists once and is paid once.
            models.UniqueConstraint(fields=["cover", "period"], name="selfpay_month_unique"),
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return f"{self.cover_id}/{self.period}: {self.amount} ({self.status})"


class SelfPayment(models.Model):
    """Money the worker paid for one or several months of a cover."""

    cover = models.ForeignKey(SelfPayCover, on_delete=models.PROTECT, related_name="payments")
    channel = models.CharField(max_length=12, choices=Channel.choices)
    reference = models.CharField(max_length=100, help_text="receipt, bank or debit reference")
    paid_on = models.DateField()
    amount = models.PositiveBigIntegerField()
    first_period = models.PositiveIntegerField()
    last_period = models.PositiveIntegerField()
    note = models.TextField(blank=True)
    # Copied from the cover: the money report sums payments by region without a join.
    regency_code = models.CharField(max_length=5, editable=False, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "reference"], name="selfpay_payment_reference_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.reference}: {self.amount}"


class Choice(models.TextChoices):
    SELF_PAID = "self_paid", _("Continue self-paid")
    RENEWED = "renewed", _("Renewed by next year's city programme")
    STOP = "stop", _("Stop")


class RecordedVia(models.TextChoices):
    OFFICER = "officer", _("Officer")
    AGENT = "agent", _("Perisai agent")
    WORKER = "worker", _("The worker, on the public page")


class HandoverChoice(_Region):
    """What a member whose city-funded cover ends chose to do next (one per membership)."""

    membership = models.OneToOneField(
        "enrolment.Membership", on_delete=models.PROTECT, related_name="+"
    )
    worker = models.ForeignKey("registry.Worker", on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=10, choices=Choice.choices)
    via = models.CharField(max_length=8, choices=RecordedVia.choices)
    cover = models.ForeignKey(
        SelfPayCover, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["regency_code", "choice"])]

    def __str__(self) -> str:
        return f"membership {self.membership_id}: {self.choice}"


class SelfPayRun(models.Model):
    """One monthly run (lapses, then the month's contributions), with what it did."""

    month = models.DateField()
    as_of = models.DateField()
    result = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"self-payment run {self.month:%Y-%m}"
