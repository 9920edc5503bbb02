from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Ecosystem(models.TextChoices):
    VILLAGE = "village", _("Village")
    MARKET = "market", _("Market")
    ECOMMERCE_UMKM = "ecommerce_umkm", _("E-commerce / UMKM")
    VULNERABLE = "vulnerable", _("Vulnerable workers")


class OccupationCategory(models.Model):
    code = models.SlugField(max_length=40, primary_key=True)
    name_id = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)
    ecosystem = models.CharField(max_length=20, choices=Ecosystem.choices)
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort", "code"]
        verbose_name_plural = "occupation categories"

    def __str__(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "id").startswith("en") else self.name_id


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class DisabilityKind(models.TextChoices):
    # The four kinds of UU 8/2016 on persons with disabilities, plus multiple.
    PHYSICAL = "physical", _("Physical")
    INTELLECTUAL = "intellectual", _("Intellectual")
    MENTAL = "mental", _("Mental")
    SENSORY = "sensory", _("Sensory")
    MULTIPLE = "multiple", _("Multiple")
    # A list that says only "Disabilitas: Ya" (issue 13): the worker has a disability, of a
    # kind not stated; an officer may fill in the kind later.
    UNSPECIFIED = "unspecified", _("Not stated")


class MaritalStatus(models.TextChoices):
    # Dukcapil's four (KTP "Status Perkawinan"); BPJS's collective form asks for it.
    SINGLE = "single", _("Not married")
    MARRIED = "married", _("Married")
    DIVORCED = "divorced", _("Divorced")
    WIDOWED = "widowed", _("Widowed")


class Worker(models.Model):
    # Unique through Meta.constraints, not unique=True: on PostgreSQL that would add a second
    # index (varchar_pattern_ops, for LIKE) that NIK prefix search does not use (a range does).
    nik = models.CharField("NIK", max_length=16)
    full_name = models.CharField(max_length=150)
    # Lower-case, single-spaced: what name search and sorting use, so both can use an index.
    name_key = models.CharField(max_length=150, editable=False)
    birth_date = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices)
    # No index of its own: the (village, name_key, id) index below serves lookups and lists.
    # No database constraint on this key, `category` and `created_by` either: every write
    # checks the village and category (services, registry.bulk, the import's validation),
    # regions, categories and users are never deleted (PROTECT refuses it in Django), and
    # PostgreSQL's three checks per row were a sixth of a million-row import (bench/RESULTS.md).
    village = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    # Derived from the village code; scoping filters on them (see accounts.scope).
    province_code = models.CharField(max_length=2, editable=False)
    regency_code = models.CharField(max_length=5, editable=False)
    district_code = models.CharField(max_length=8, editable=False)
    rt = models.CharField("RT", max_length=3, blank=True)
    rw = models.CharField("RW", max_length=3, blank=True)
    address = models.CharField(max_length=255, blank=True)
    phone = models.CharField(max_length=16, blank=True)
    # No index of its own: a category filter walks the list's scope index (see Meta).
    category = models.ForeignKey(
        OccupationCategory, on_delete=models.PROTECT, db_index=False, db_constraint=False
    )
    has_disability = models.BooleanField(default=False)
    disability_kind = models.CharField(max_length=20, choices=DisabilityKind.choices, blank=True)
    declared_income = models.PositiveBigIntegerField(null=True, blank=True)
    # Optional, for BPJS's collective registration form (enrolment.exchange profiles). The
    # mother's maiden name is BPJS's identity check: shown masked like the NIK.
    # A database default too: the bulk paths' raw INSERTs (registry.bulk) name only the columns
    # they fill.
    place_of_birth = models.CharField(max_length=100, blank=True, default="", db_default="")
    mother_maiden_name = models.CharField(max_length=150, blank=True, default="", db_default="")
    marital_status = models.CharField(
        max_length=10, choices=MaritalStatus.choices, blank=True, default="", db_default=""
    )
    email = models.EmailField(max_length=254, blank=True, default="", db_default="")
    source = models.CharField(max_length=100)
    # The `imports.ImportRow` a committed import created this worker from. The import records
    # one audit event for the whole batch, not one per worker; the row keeps the values the
    # worker was registered with, and the worker's history shows its registration from it
    # (docs/decisions/0003-import-audit.md). No foreign key: the registry does not depend on
    # the imports app, and committed rows are never deleted.
    import_row_id = models.BigIntegerField(null=True, blank=True, editable=False)
    consent_date = models.DateField(null=True, blank=True)
    # Set when a death is recorded (a claim or a BPJS report); ends eligibility for programmes.
    died_on = models.DateField(null=True, blank=True)
    # Set when an officer merged this record into another one found to be the same person
    # (jaring.dedupe): the record and its history stay, it is just no longer the live one.
    # Indexed only where set (Meta): nearly every worker has none. No database constraint:
    # only a merge sets it, to a worker it has just read, and workers are never deleted;
    # PostgreSQL queued a deferred check for every inserted worker (0.7 s a million).
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        db_index=False,
        db_constraint=False,
    )
    # Why an officer accepted a birth date or sex that disagrees with the NIK.
    nik_override_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # No index: only deleting a user would look workers up by it, and PROTECT refuses that.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        ordering = ["name_key", "id"]
        constraints = [models.UniqueConstraint(fields=["nik"], name="worker_nik_unique")]
        # One index per scope level (and the whole country), each in list order, so a page is
        # a short index walk and a deep page's ids come from the index alone. The district and
        # village indexes serve those filters too. A category filter has no index of its own:
        # it always comes with a scope, whose index it walks (a category is a large share of
        # a region), and each index costs a million-row import seconds.
        indexes = [
            models.Index(fields=["name_key", "id"], name="worker_name"),
            models.Index(fields=["province_code", "name_key", "id"], name="worker_province_name"),
            models.Index(fields=["regency_code", "name_key", "id"], name="worker_regency_name"),
            models.Index(fields=["district_code", "name_key", "id"], name="worker_district_name"),
            models.Index(fields=["village", "name_key", "id"], name="worker_village_name"),
            models.Index(
                fields=["merged_into"],
                name="worker_merged_into",
                condition=models.Q(merged_into__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.nik[:4]}…)"


# What a worker's audit events record, in form order (services.snapshot; registry.bulk in SQL).
AUDITED_FIELDS = [
    "nik",
    "full_name",
    "birth_date",
    "sex",
    "village_id",
    "rt",
    "rw",
    "address",
    "phone",
    "category_id",
    "has_disability",
    "disability_kind",
    "declared_income",
    "consent_date",
    "nik_override_reason",
    "place_of_birth",
    "mother_maiden_name",
    "marital_status",
    "email",
]
