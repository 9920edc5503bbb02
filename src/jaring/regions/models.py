from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    PROVINCE = 1, _("province")
    REGENCY = 2, _("regency/city")
    DISTRICT = 3, _("district")
    VILLAGE = 4, _("village")


class Region(models.Model):
    """A Kemendagri region: `61`, `61.72`, `61.72.02`, `61.72.02.1001`."""

    code = models.CharField(max_length=13, primary_key=True)
    name = models.CharField(max_length=100)
    level = models.PositiveSmallIntegerField(choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # provinsi, kabupaten, kota, kecamatan, kelurahan or desa
    kind = models.CharField(max_length=10)
    postal_code = models.CharField(max_length=5, blank=True)
    # Lower-case letters and digits only, so "Sungaijawi Dalam" and "Sungai Jawi Dalam" meet.
    match_key = models.CharField(max_length=100, db_index=True)
    # Set by `jaring load_regions` (regions.updates) from a newer decree's list: the day a
    # region was added after the pinned list, and the day it left the list. A retired region
    # keeps its workers and history; it is not offered for new workers, and the NIKs issued
    # under its code stay valid (rules.nik).
    added_on = models.DateField(null=True, blank=True)
    retired_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def retired(self) -> bool:
        return self.retired_on is not None


class RegionDataset(models.Model):
    """Which decree the loaded regions come from, and how many of each level were loaded."""

    source = models.CharField(max_length=200)
    package = models.CharField(max_length=100)
    loaded_at = models.DateTimeField(auto_now_add=True)
    provinces = models.PositiveIntegerField()
    regencies = models.PositiveIntegerField()
    districts = models.PositiveIntegerField()
    villages = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.source} ({self.package})"
