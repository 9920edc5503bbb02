"""Membership cards and the public check's attempt counters.

Imported at the bottom of enrolment/models.py so that the app has one migration history.
"""

from django.db import models


class MembershipCard(models.Model):
    """The token printed in a card's QR code: it opens the public status page, never the NIK."""

    membership = models.OneToOneField(
        "enrolment.Membership", on_delete=models.CASCADE, related_name="card"
    )
    token = models.CharField(max_length=32, unique=True)
    issued_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"card of membership {self.membership_id}"


class RateCounter(models.Model):
    """Attempts at the public status check per client or NIK in a time window.

    In the database rather than a per-process cache, so that every web server process counts
    together. Keys hold keyed hashes, never an IP address or NIK in clear.
    """

    key = models.CharField(max_length=100, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
