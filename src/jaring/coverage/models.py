"""What coverage (UCJ) is measured against: working population, targets, and the participants
of the segments Jaring does not manage (reported by the BPJS branch as counts)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PopulationSource(models.TextChoices):
    SAKERNAS = "sakernas", _("BPS Sakernas")
    DUKCAPIL = "dukcapil", _("Dukcapil")
    ESTIMATE = "estimate", _("Estimate")
    DEMO = "demo_estimate", _("Estimate for the demo")


class WorkingPopulation(models.Model):
    """The denominator of UCJ for a region (city or district) and year, with where it is from."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    people = models.PositiveBigIntegerField()
    source = models.CharField(max_length=20, choices=PopulationSource.choices)
    note = models.CharField(max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["region_id", "year"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="population_one_per_year"),
            models.CheckConstraint(condition=models.Q(people__gt=0), name="population_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}: {self.people}"


class CoverageTarget(models.Model):
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    target_pct = models.DecimalField(max_digits=6, decimal_places=2)
    note = models.CharField(max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["region_id", "year"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="target_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}: {self.target_pct} %"


class Segment(models.TextChoices):
    """Participants Jaring does not manage itself; Jaring's own members are counted live."""

    WAGE_EARNERS = "wage_earners", _("Wage earners (PU)")
    SELF_PAID = "self_paid", _("Self-paid non-wage workers (BPU)")
    OTHER_FUNDED = "other_funded", _("Vulnerable workers funded elsewhere")


class SegmentCount(models.Model):
    """Active participants of one segment in a region at the end of a month (BPJS branch)."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(help_text="first day of the month")
    segment = models.CharField(max_length=20, choices=Segment.choices)
    participants = models.PositiveIntegerField()
    source = models.CharField(max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["region_id", "month", "segment"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "month", "segment"], name="segment_count_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.month:%Y-%m} {self.segment}: {self.participants}"


class DashboardSnapshot(models.Model):
    """A computed dashboard, kept a few minutes so a province of a million members opens fast.

    Writes to denominators, targets and counts drop the snapshots of the regions they touch.
    """

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    data = models.JSONField()
    computed_at = models.DateTimeField()
    seconds = models.FloatField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "month"], name="snapshot_one_per_month"),
        ]

    def __str__(self) -> str:
        return f"dashboard {self.region_id} {self.month:%Y-%m}"


# --- precomputed counts (see coverage.facts and docs/decisions/0002-coverage-facts.md) ----------


class FactsState(models.Model):
    """Whether a regency's facts are current: writes bump `changes`, a refresh records the
    `changes` it started from and the day it counted up to (today's row goes stale at midnight).
    """

    regency_code = models.CharField(max_length=5, primary_key=True)
    changes = models.PositiveBigIntegerField(default=0)
    refreshed_changes = models.PositiveBigIntegerField(null=True)
    refreshed_for = models.DateField(null=True)
    refreshed_at = models.DateTimeField(null=True)
    seconds = models.FloatField(default=0)

    def __str__(self) -> str:
        return f"facts {self.regency_code} ({self.refreshed_for})"


class _Place(models.Model):
    day = models.DateField()
    province_code = models.CharField(max_length=2)
    regency_code = models.CharField(max_length=5)
    district_code = models.CharField(max_length=8)
    members = models.PositiveIntegerField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.district_code} {self.day}: {self.members}"


class MemberFact(_Place):
    """People covered on `day` (a month's last day, or the refresh day) in a district, by sex,
    disability and whether the membership counting them is government-funded (the KPI).
    `kpi_sixths` (refresh day only): their months of contributions paid, each capped at six."""

    sex = models.CharField(max_length=1)
    has_disability = models.BooleanField()
    government = models.BooleanField()
    kpi_sixths = models.PositiveBigIntegerField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["province_code", "day"]),
            models.Index(fields=["regency_code", "day"]),
            models.Index(fields=["district_code", "day"]),
        ]


class CategoryFact(_Place):
    """People covered on `day` in a district by the occupation category of their membership."""

    category_id = models.CharField(max_length=40)

    class Meta:
        indexes = [
            models.Index(fields=["province_code", "day"]),
            models.Index(fields=["regency_code", "day"]),
            models.Index(fields=["district_code", "day"]),
        ]


class ExpiryFact(models.Model):
    """Active memberships whose cover ends on `end_date` (on or after the refresh day)."""

    province_code = models.CharField(max_length=2)
    regency_code = models.CharField(max_length=5, db_index=True)
    district_code = models.CharField(max_length=8)
    end_date = models.DateField()
    members = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["province_code", "end_date"])]

    def __str__(self) -> str:
        return f"{self.district_code} ends {self.end_date}: {self.members}"


class QuotaFact(models.Model):
    """Memberships of a programme in a regency that took a place (`programs.budget`), per
    category, terms and start month, with how many are active: what the budget is priced from."""

    regency_code = models.CharField(max_length=5, db_index=True)
    programme_id = models.BigIntegerField(db_index=True)
    category_id = models.CharField(max_length=40)
    income_base = models.PositiveBigIntegerField()
    months = models.PositiveSmallIntegerField()
    month = models.DateField(null=True)
    members = models.PositiveIntegerField()
    active = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"programme {self.programme_id} {self.regency_code}: {self.members}"
