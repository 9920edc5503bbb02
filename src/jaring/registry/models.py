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


class Worker(models.Model):
    nik = models.CharField("NIK", max_length=16, unique=True)
    full_name = models.CharField(max_length=150)
    # Lower-case, single-spaced: what name search and sorting use, so both can use an index.
    name_key = models.CharField(max_length=150, editable=False)
    birth_date = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices)
    # No index of its own on these two keys: the (key, name_key, id) indexes below serve both
    # lookups and ordered lists, and every index slows bulk loads (bench/RESULTS.md).
    village = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # Derived from the village code; scoping filters on them (see accounts.scope).
    province_code = models.CharField(max_length=2, editable=False)
    regency_code = models.CharField(max_length=5, editable=False)
    district_code = models.CharField(max_length=8, editable=False)
    rt = models.CharField("RT", max_length=3, blank=True)
    rw = models.CharField("RW", max_length=3, blank=True)
    address = models.CharField(max_length=255, blank=True)
    phone = models.CharField(max_length=16, blank=True)
    category = models.ForeignKey(OccupationCategory, on_delete=models.PROTECT, db_index=False)
    has_disability = models.BooleanField(default=False)
    disability_kind = models.CharField(max_length=20, choices=DisabilityKind.choices, blank=True)
    declared_income = models.PositiveBigIntegerField(null=True, blank=True)
    source = models.CharField(max_length=100)
    consent_date = models.DateField(null=True, blank=True)
    # Set when a death is recorded (a claim or a BPJS report); ends eligibility for programmes.
    died_on = models.DateField(null=True, blank=True)
    # Set when an officer merged this record into another one found to be the same person
    # (jaring.dedupe): the record and its history stay, it is just no longer the live one.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    # Why an officer accepted a birth date or sex that disagrees with the NIK.
    nik_override_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["name_key", "id"]
        # One index per way a list is narrowed (scope level or filter), each in list order, so
        # a page is a short index walk and a deep page's ids come from the index alone.
        indexes = [
            models.Index(fields=["name_key", "id"], name="worker_name"),
            models.Index(fields=["province_code", "name_key", "id"], name="worker_province_name"),
            models.Index(fields=["regency_code", "name_key", "id"], name="worker_regency_name"),
            models.Index(fields=["district_code", "name_key", "id"], name="worker_district_name"),
            models.Index(fields=["village", "name_key", "id"], name="worker_village_name"),
            models.Index(fields=["category", "name_key", "id"], name="worker_category_name"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.nik[:4]}…)"
