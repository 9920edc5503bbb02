"""What core itself stores: the record of each day's scheduled work (core.daily)."""

from django.db import models


class DailyRun(models.Model):
    """One day's run of the daily jobs: the unique day makes it run once, whichever worker
    (or `jaring daily`) gets there first."""

    day = models.DateField(unique=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Job name -> what it did ({"expired": 3}) or {"error": "..."} when it failed.
    results = models.JSONField(default=dict)

    class Meta:
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"daily run {self.day}"
