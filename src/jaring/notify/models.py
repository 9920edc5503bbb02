"""The outbox: one row per message to a member, from queued to sent (or failed, or not sent).

A message is rendered from a template when it is queued (no NIK in any template or text), sent
by the background worker through the configured channel adapter (notify/channels.py) and tried
again with backoff after a failure that may pass (a timeout, a 5xx). `key` makes queuing
idempotent: the same reminder for the same member-month is queued once.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
    OPTED_OUT = "opted_out", _("Not sent: the member opted out")


class MessageChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")


class Message(models.Model):
    key = models.CharField(max_length=120, unique=True, help_text="what and for whom, once")
    template = models.CharField(max_length=40)
    channel = models.CharField(max_length=10, choices=MessageChannel.choices)
    phone = models.CharField(max_length=16, db_index=True)
    text = models.TextField()
    worker = models.ForeignKey(
        "registry.Worker",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    regency_code = models.CharField(max_length=5, db_index=True)
    status = models.CharField(
        max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    gateway_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["phone", "sent_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.template} to {self.phone[:6]}… ({self.status})"


class OptOut(models.Model):
    """A number that asked not to be sent messages (a reply "STOP", or at an officer's word)."""

    phone = models.CharField(max_length=16, unique=True)
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"opt-out {self.phone[:6]}…"
