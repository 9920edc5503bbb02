"""Employers and what is known of them, the leads the matching finds, and the cases that follow.

An employer's region is one code column (`region_code`: its kelurahan when known, else its
city) filtered by `accounts.scope` with `field="region_code"`; `regency_code` groups reports.
Source lists are kept row by row (`SourceEntry`), so an employer's page shows what each list
said; the employer row keeps the figures the leads compare (BPJS's, and the largest other).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    LICENCE = "licence", _("Business licences (OSS/DPMPTSP)")
    UMKM = "umkm", _("SME list (UMKM)")
    MARKET = "market", _("Market stalls")
    BPJS = "bpjs", _("BPJS registered employers")
    PUBLIC = "public", _("Report from the public")


class SizeClass(models.TextChoices):
    MICRO = "micro", _("Micro")
    SMALL = "small", _("Small")
    MEDIUM = "medium", _("Medium")
    LARGE = "large", _("Large")


class EmployerList(models.Model):
    """One imported spreadsheet: applied whole or not at all."""

    kind = models.CharField(max_length=10, choices=SourceKind.choices)
    regency_code = models.CharField(max_length=5)
    name = models.CharField(max_length=200)
    rows = models.PositiveIntegerField()
    created = models.PositiveIntegerField()
    updated = models.PositiveIntegerField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"


class Employer(models.Model):
    name = models.CharField(max_length=200)
    # Lower case, legal forms (PT, CV, UD, TOKO) and punctuation removed: what matching compares.
    name_key = models.CharField(max_length=200, db_index=True)
    nib = models.CharField(max_length=13, blank=True, db_index=True)
    npp = models.CharField(max_length=20, blank=True, db_index=True)
    kbli = models.CharField(max_length=5, blank=True)
    address = models.CharField(max_length=300, blank=True)
    region_code = models.CharField(max_length=13, db_index=True)
    regency_code = models.CharField(max_length=5, db_index=True)
    size_class = models.CharField(max_length=6, choices=SizeClass.choices, blank=True)
    size_criterion = models.CharField(max_length=10, blank=True)  # capital, turnover, workers
    capital = models.PositiveBigIntegerField(null=True, blank=True)
    turnover = models.PositiveBigIntegerField(null=True, blank=True)
    risk_class = models.PositiveSmallIntegerField(null=True, blank=True)  # JKK, 1–5
    # As reported to BPJS (a BPJS list row); registered when bpjs_list is set.
    bpjs_list = models.ForeignKey(
        EmployerList, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    bpjs_workers = models.PositiveIntegerField(null=True, blank=True)
    bpjs_wage_bill = models.PositiveBigIntegerField(null=True, blank=True)  # rupiah a month
    bpjs_programmes = models.CharField(max_length=40, blank=True)  # "JKK,JKM,JHT"
    # The largest figures any other source gives.
    other_workers = models.PositiveIntegerField(null=True, blank=True)
    other_wage_bill = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["regency_code", "name_key"])]

    def __str__(self) -> str:
        return self.name

    @property
    def registered(self) -> bool:
        return self.bpjs_list_id is not None


class SourceEntry(models.Model):
    """What one list (or one member of the public) said about an employer."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="entries")
    source_list = models.ForeignKey(
        EmployerList, null=True, blank=True, on_delete=models.CASCADE, related_name="entries"
    )
    kind = models.CharField(max_length=10, choices=SourceKind.choices)
    row = models.PositiveIntegerField(null=True, blank=True)
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300, blank=True)
    workers = models.PositiveIntegerField(null=True, blank=True)
    wage_bill = models.PositiveBigIntegerField(null=True, blank=True)
    programmes = models.CharField(max_length=40, blank=True)
    note = models.TextField(blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.name}"


class LeadKind(models.TextChoices):
    PWBD = "pwbd", _("Not registered (PWBD)")
    PDS_TK = "pds_tk", _("Too few workers registered (PDS-TK)")
    PDS_UPAH = "pds_upah", _("Wages under-reported (PDS-Upah)")
    PDS_PROGRAM = "pds_program", _("Only some programmes (PDS-Program)")


class LeadStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_CASE = "in_case", _("Case opened")
    RESOLVED = "resolved", _("Resolved")


class Lead(models.Model):
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="leads")
    kind = models.CharField(max_length=12, choices=LeadKind.choices)
    status = models.CharField(max_length=8, choices=LeadStatus.choices, default=LeadStatus.OPEN)
    from_public = models.BooleanField(default=False)
    # The figures side by side: {"bpjs": {...}, "other": {...}, "umk": ...}.
    figures = models.JSONField(default=dict)
    reason_id = models.TextField()
    reason_en = models.TextField()
    region_code = models.CharField(max_length=13, db_index=True)
    regency_code = models.CharField(max_length=5, db_index=True)
    found_on = models.DateField()

    class Meta:
        ordering = ["-found_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "kind"],
                condition=models.Q(status="open"),
                name="compliance_one_open_lead_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class Step(models.TextChoices):
    COACHING = "coaching", _("Coaching visit")
    WARNING_1 = "warning_1", _("First written warning")
    WARNING_2 = "warning_2", _("Second written warning")
    FINE = "fine", _("Fine")
    WITHHOLD = "withhold", _("Public services withheld")
    KEJARI = "kejari", _("Referred to the prosecutor (Kejari)")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class CloseReason(models.TextChoices):
    REGISTERED = "registered", _("Employer registered its workers")
    PAID = "paid", _("Employer paid")


class Case(models.Model):
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="cases")
    lead = models.ForeignKey(Lead, null=True, blank=True, on_delete=models.SET_NULL)
    kind = models.CharField(max_length=12, choices=LeadKind.choices)
    coaching = models.BooleanField()  # a micro business: coaching instead of the ladder
    step = models.CharField(max_length=10, choices=Step.choices, blank=True)  # "" : none yet
    deadline = models.DateField(null=True, blank=True)  # of the current step
    status = models.CharField(max_length=6, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    close_reason = models.CharField(max_length=10, choices=CloseReason.choices, blank=True)
    workers_added = models.PositiveIntegerField(null=True, blank=True)
    wages_added = models.PositiveBigIntegerField(null=True, blank=True)  # rupiah a month
    fine = models.PositiveBigIntegerField(null=True, blank=True)
    region_code = models.CharField(max_length=13, db_index=True)
    regency_code = models.CharField(max_length=5, db_index=True)

    class Meta:
        ordering = ["deadline", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "kind"],
                condition=models.Q(status="open"),
                name="compliance_one_open_case_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind}"


class CaseStep(models.Model):
    """One step taken: its letter (number, date, PDF built from these fields) and evidence."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(max_length=10, choices=Step.choices)
    taken_on = models.DateField()
    deadline = models.DateField(null=True, blank=True)
    letter_number = models.CharField(max_length=60, blank=True)
    # The letter's place in its city's run of the year (compliance.numbering); none for a visit.
    letter_city = models.CharField(max_length=5, blank=True)
    letter_year = models.PositiveSmallIntegerField(null=True, blank=True)
    letter_seq = models.PositiveIntegerField(null=True, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    officer_name = models.CharField(max_length=150)
    # What the letter states: the figures and, for a fine, the computation with its rule version.
    figures = models.JSONField(default=dict)
    notes = models.TextField(blank=True)  # a visit's findings and agreed steps
    evidence = models.TextField(blank=True)  # delivery receipt, photos' references, minutes
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["taken_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["letter_city", "letter_year", "letter_seq"],
                condition=models.Q(letter_seq__isnull=False),
                name="compliance_one_letter_per_number",
            )
        ]

    def __str__(self) -> str:
        return f"{self.step} {self.taken_on}"


class LetterSequence(models.Model):
    """The last letter number given in a city's year (compliance.numbering)."""

    regency_code = models.CharField(max_length=5)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["regency_code", "year"], name="compliance_one_letter_run_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.regency_code} {self.year}: {self.last}"


class StepEvidence(models.Model):
    """A file proving a step (a delivery receipt, a visit's photos or minutes): checked by its
    content and size (`core.uploads`), kept under MEDIA_ROOT with a random name and handed out
    only through the case's views, each download a recorded read."""

    step = models.ForeignKey(CaseStep, on_delete=models.CASCADE, related_name="files")
    original_name = models.CharField(max_length=200)
    file = models.FileField(upload_to="compliance/", max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["step", "pk"]

    def __str__(self) -> str:
        return self.original_name


class EmployerLink(models.Model):
    """A business of the city's lists folded into a registered employer by the matching, kept so
    that a wrong link can be undone (`services.unlink`): the business as it was, which of the
    employer's fields it filled, and the list entries and cases it brought. An undone link keeps
    the two apart in later matching runs."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="links")
    linked_id = models.BigIntegerField()  # the business's id, given back on undo
    score = models.FloatField()
    method = models.CharField(max_length=12)  # "nib" or "name_address"
    business = models.JSONField()  # its fields as they were
    filled = models.JSONField(default=list)  # the employer's fields it filled
    entries = models.JSONField(default=list)  # SourceEntry ids it brought
    cases = models.JSONField(default=list)  # Case ids it brought
    region_code = models.CharField(max_length=13, db_index=True)  # the employer's
    regency_code = models.CharField(max_length=5, db_index=True)
    linked_on = models.DateField()
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-linked_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.linked_id} → {self.employer_id} ({self.score:.3f})"
