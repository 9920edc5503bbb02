"""Cover a worker has outside Jaring's programmes, imported from branch or city lists."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutsideSegment(models.TextChoices):
    """Cover a worker has without Jaring; the names follow coverage's segment counts."""

    SELF_PAID = "self_paid", _("Self-paid (BPU mandiri)")
    WAGE_EARNER = "wage_earner", _("Wage earner (PU)")
    OTHER_FUNDED = "other_funded", _("Funded by another region or payer")


class ExternalCover(models.Model):
    """A person's BPJS cover outside Jaring's programmes, imported from a branch or city list.

    Keyed by NIK because the person may not be registered yet; eligibility matches on the NIK,
    so a worker registered after the import is still held back. `worker` is the link made at
    import for the lists and the worker's page.
    """

    nik = models.CharField("NIK", max_length=16, db_index=True)
    worker = models.ForeignKey(
        "registry.Worker",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="external_covers",
    )
    segment = models.CharField(max_length=12, choices=OutsideSegment.choices)
    benefits = models.CharField(max_length=30, help_text="JKK,JKM[,JHT,JP,JKP]")
    kpj = models.CharField("KPJ", max_length=20, blank=True)
    start_date = models.DateField()
    # Empty while the cover runs with no end known (a wage earner still employed).
    end_date = models.DateField(null=True, blank=True)
    # The region the list was imported for: who may see the record (eligibility ignores it).
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=200, help_text="the imported file's name")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["nik", "start_date", "id"]
        constraints = [
            # Importing the same list again updates its records instead of doubling them.
            models.UniqueConstraint(
                fields=["nik", "segment", "start_date"], name="external_cover_once"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="external_cover_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nik[:4]}… {self.segment} {self.start_date}"
