from django.contrib import admin

from jaring.accounts.admin import ReadOnly
from jaring.regions.models import Region, RegionDataset


@admin.register(Region)
class RegionAdmin(ReadOnly):
    """The Kemendagri list, loaded from the decree; corrected by loading a newer one, not here."""

    list_display = ("code", "name", "kind", "level", "postal_code")
    list_filter = ("level",)
    search_fields = ("^code", "name")
    show_full_result_count = False


@admin.register(RegionDataset)
class RegionDatasetAdmin(ReadOnly):
    list_display = (
        "source",
        "package",
        "loaded_at",
        "provinces",
        "regencies",
        "districts",
        "villages",
    )
