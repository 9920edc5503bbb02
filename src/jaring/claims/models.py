"""Benefit claims of members: the event, the people who receive, the documents, the computed
entitlements with the rule version they came from, and the workflow status."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ClaimKind(models.TextChoices):
    WORK_ACCIDENT = "work_accident", _("Work accident")
    OCCUPATIONAL_DISEASE = "occupational_disease", _("Occupational disease")
    WORK_DEATH = "work_death", _("Death by work accident")
    DEATH = "death", _("Death not by work")


DEATH_KINDS = (ClaimKind.WORK_DEATH, ClaimKind.DEATH)


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    VERIFIED = "verified", _("Verified")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")


class Disability(models.TextChoices):
    NONE = "", _("None")
    PARTIAL = "partial", _("Partial")
    TOTAL = "total", _("Total permanent")


class Claim(models.Model):
    membership = models.ForeignKey(
        "enrolment.Membership", on_delete=models.PROTECT, related_name="claims"
    )
    # Copied from the membership: reports group by them without joining it.
    worker = models.ForeignKey("registry.Worker", on_delete=models.PROTECT, related_name="claims")
    programme = models.ForeignKey(
        "programs.Programme", on_delete=models.PROTECT, related_name="claims"
    )
    kind = models.CharField(max_length=20, choices=ClaimKind.choices)
    event_date = models.DateField()
    # The day the claim was filed: the 5-year lapse counts to it.
    claimed_on = models.DateField()
    description = models.TextField()
    claimant_name = models.CharField(max_length=150, blank=True)
    claimant_relation = models.CharField(max_length=60, blank=True)
    # What the JKK calculation needs (work accident, occupational disease). Medical care is
    # paid to the health facility as medically needed; its cost is recorded once billed.
    medical_care = models.BooleanField(default=False)
    medical_cost = models.PositiveBigIntegerField(null=True, blank=True)
    months_incapacity = models.PositiveSmallIntegerField(null=True, blank=True)
    disability = models.CharField(max_length=8, choices=Disability.choices, blank=True)
    disability_percent = models.CharField(max_length=10, blank=True)
    body_part = models.CharField(max_length=40, blank=True)
    function_lost_percent = models.CharField(max_length=10, blank=True)
    home_care_cost = models.PositiveBigIntegerField(null=True, blank=True)
    transport = models.JSONField(default=list, blank=True)  # [{"mode": "land", "cost": 250000}]
    # Months of contributions known before Jaring (from BPJS), added to the covered months.
    prior_months = models.PositiveSmallIntegerField(default=0)
    # What the calculation used, as it was then.
    wage = models.PositiveBigIntegerField()
    months_contributed = models.PositiveIntegerField()
    total = models.BigIntegerField(default=0)
    rule_version = models.CharField(max_length=500)
    refusals = models.JSONField(default=list, blank=True)
    sources = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED
    )
    status_changed_at = models.DateTimeField(auto_now_add=True)
    rejection_reason = models.TextField(blank=True)
    paid_on = models.DateField(null=True, blank=True)
    payment_reference = models.CharField(max_length=100, blank=True)
    # Copied from the membership; scoping filters on them (see accounts.scope).
    village = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    province_code = models.CharField(max_length=2, editable=False)
    regency_code = models.CharField(max_length=5, editable=False)
    district_code = models.CharField(max_length=8, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["programme", "event_date"]),
            models.Index(fields=["regency_code", "event_date"]),
            models.Index(fields=["district_code", "event_date"]),
            models.Index(fields=["village", "event_date"]),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"claim {self.pk} ({self.kind}, {self.status})"


class ClaimItem(models.Model):
    """One computed entitlement: amount, formula and the regulation it rests on."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    amount = models.BigIntegerField()
    formula = models.CharField(max_length=300)
    regulation = models.CharField(max_length=300)
    schedule = models.JSONField(default=list, blank=True)
    # "beneficiary" (the member or heirs) or "provider" (the health facility, for medical care)
    payee = models.CharField(max_length=12, default="beneficiary")

    class Meta:
        ordering = ["claim", "position"]

    def __str__(self) -> str:
        return f"{self.code} {self.amount}"


class SchoolLevel(models.TextChoices):
    NONE = "", _("Not in school yet")
    TK = "tk", _("Kindergarten (TK)")
    SD = "sd", _("Primary school (SD)")
    SMP = "smp", _("Junior secondary (SMP)")
    SMA = "sma", _("Senior secondary (SMA)")
    UNIVERSITY = "university", _("University")
    TRAINING = "training", _("Vocational training (pelatihan)")


class ClaimChild(models.Model):
    """A child of the member, for the education scholarship."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="children")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=150)
    birth_date = models.DateField()
    level = models.CharField(max_length=10, choices=SchoolLevel.choices, blank=True)
    grade = models.PositiveSmallIntegerField(default=1)
    married = models.BooleanField(default=False)
    working = models.BooleanField(default=False)

    class Meta:
        ordering = ["claim", "position"]

    def __str__(self) -> str:
        return self.name


class YearStatus(models.TextChoices):
    EXPECTED = "expected", _("Expected")  # in the schedule, not claimed yet
    CLAIMED = "claimed", _("Claimed")  # proof of enrolment given
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")
    STOPPED = "stopped", _("Stopped")  # the child left school, married, works or turned 23


# Years still owed: in the schedule and neither paid nor stopped.
OPEN_YEARS = (YearStatus.EXPECTED, YearStatus.CLAIMED, YearStatus.APPROVED)


class ScholarshipYear(models.Model):
    """One school year of a child's scholarship: claimed with proof of enrolment, approved and
    paid on its own (PP 82/2019: paid yearly while the child is in school)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="scholarship_years")
    child = models.ForeignKey(ClaimChild, on_delete=models.CASCADE, related_name="years")
    school_year = models.PositiveSmallIntegerField()  # its first calendar year: 2023 = 2023/2024
    level = models.CharField(max_length=12, choices=SchoolLevel.choices)
    amount = models.BigIntegerField()
    status = models.CharField(
        max_length=10, choices=YearStatus.choices, default=YearStatus.EXPECTED
    )
    proof = models.CharField(max_length=300, blank=True)  # the school's letter of enrolment
    claimed_on = models.DateField(null=True, blank=True)
    stop_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["claim", "child__position", "school_year"]
        constraints = [
            models.UniqueConstraint(fields=["child", "school_year"], name="scholarship_year_once")
        ]
        indexes = [models.Index(fields=["status", "school_year"])]

    def __str__(self) -> str:
        return f"{self.child} {self.label} {self.status}"

    @property
    def label(self) -> str:
        return f"{self.school_year}/{self.school_year + 1}"


class ClaimHeir(models.Model):
    """An heir (ahli waris) of a deceased member and their share of the lump sums, in percent."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="heirs")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=150)
    relation = models.CharField(max_length=60)
    share = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["claim", "position"]

    def __str__(self) -> str:
        return f"{self.name} {self.share} %"


class ReferenceKind(models.TextChoices):
    SP2D = "sp2d", _("SP2D (treasury disbursement order)")
    TRANSFER = "transfer", _("Bank transfer")


class ClaimPayment(models.Model):
    """Money paid on a claim: its lump sums (in one or more payments), or one scholarship year."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="payments")
    scholarship_year = models.OneToOneField(
        ScholarshipYear, null=True, blank=True, on_delete=models.PROTECT, related_name="payment"
    )
    paid_on = models.DateField()
    reference_kind = models.CharField(max_length=10, choices=ReferenceKind.choices)
    reference = models.CharField(max_length=100)
    amount = models.BigIntegerField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim", "paid_on", "id"]
        indexes = [models.Index(fields=["paid_on"])]

    def __str__(self) -> str:
        return f"{self.paid_on} {self.reference} {self.amount}"


class ClaimDocument(models.Model):
    """An uploaded file, kept under MEDIA_ROOT with a random name and served only in scope."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="documents")
    label = models.CharField(max_length=100, blank=True)
    original_name = models.CharField(max_length=200)
    file = models.FileField(upload_to="claims/", max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim", "id"]

    def __str__(self) -> str:
        return self.original_name
