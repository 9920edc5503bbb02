from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "jaring.regions"
    verbose_name = _("Regions")

    def ready(self) -> None:
        from jaring.regions.updates import nik_region
        from jaring.rules import nik

        # A NIK of a district a newer list added or retired is checked against the table.
        nik.register_newer_regions(nik_region)
