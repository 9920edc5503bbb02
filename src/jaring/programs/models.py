"""A programme: who a funder protects in a region in one fiscal year, for how long, for how much."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Funder(models.TextChoices):
    CITY_APBD = "city_apbd", _("City/regency budget (APBD)")
    PROVINCE_APBD = "province_apbd", _("Province budget (APBD)")
    VILLAGE_APBDES = "village_apbdes", _("Village budget (APBDes)")
    CSR = "csr", _("Company (CSR)")
    OTHER = "other", _("Other")


class ParticipationCode(models.TextChoices):
    """BPJS segment codes for vulnerable workers, by who pays (RULES.md, "Agents")."""

    SG = "SG", _("SG — government")
    SA = "SA", _("SA — village (APBD)")
    SD = "SD", _("SD — village (APBDes)")
    SL = "SL", _("SL — village (other funds)")
    SC = "SC", _("SC — corporate")
    SB = "SB", _("SB — bank")


class Benefits(models.TextChoices):
    # BPU membership always carries JKK and JKM; JHT is the only optional programme.
    JKK_JKM = "JKK,JKM", "JKK + JKM"
    JKK_JKM_JHT = "JKK,JKM,JHT", "JKK + JKM + JHT"


class CoverStartRule(models.TextChoices):
    PKS_DATE = "pks_date", _("From the PKS (agreement) date")
    ACCEPTANCE = "acceptance", _("From the date BPJS accepts the worker")


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class Programme(models.Model):
    name = models.CharField(max_length=200)
    funder = models.CharField(max_length=20, choices=Funder.choices)
    participation_code = models.CharField(max_length=2, choices=ParticipationCode.choices)
    legal_basis = models.CharField(max_length=200, blank=True)
    pks_number = models.CharField("PKS number", max_length=100, blank=True)
    pks_date = models.DateField("PKS date", null=True, blank=True)
    # A province, city, district or village: who lives inside it may be enrolled.
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField()
    benefits = models.CharField(max_length=20, choices=Benefits.choices, default=Benefits.JKK_JKM)
    # Village budgets only: whether PP 50/2025's discount applies. Unconfirmed (RULES.md): the
    # default is no discount, the full rate, so that a village never underpays by half.
    pp50_discount = models.BooleanField(default=False)
    budget_ceiling = models.PositiveBigIntegerField(help_text="rupiah")
    cover_start_rule = models.CharField(
        max_length=12, choices=CoverStartRule.choices, default=CoverStartRule.ACCEPTANCE
    )
    # Age at enrolment: a regulation parameter, defaults from programs/data/defaults.toml.
    min_age = models.PositiveSmallIntegerField()
    max_age = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=10, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT
    )
    # The programme this one was copied from (last year's), so renewals know where to go.
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_programmes"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-fiscal_year", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "fiscal_year", "name"], name="programme_unique_name_per_year"
            ),
            models.CheckConstraint(
                condition=models.Q(min_age__lte=models.F("max_age")), name="programme_age_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.fiscal_year})"

    @property
    def benefit_list(self) -> tuple[str, ...]:
        return tuple(self.benefits.split(","))


class ProgrammeCategory(models.Model):
    """What a programme gives one occupation category: months of cover, places, income base."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="categories")
    category = models.ForeignKey(
        "registry.OccupationCategory", on_delete=models.PROTECT, related_name="+"
    )
    cover_months = models.PositiveSmallIntegerField()
    quota = models.PositiveIntegerField()
    # The declared income base the contribution is computed from (rupiah per month).
    income_base = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["programme", "category__sort", "category_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "category"], name="programme_category_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} / {self.category_id}"
