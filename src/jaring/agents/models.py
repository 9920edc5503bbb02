"""Perisai agents: who they are, the self-paying members credited to them, the cash they
collected, what they deposited to BPJS, and their monthly fees.

An agent works in an area (a region of any level, `area`); its login (Role.AGENT) is scoped to
that area and, for members, to the covers credited to it (`AgentCredit`, one per cover: the
agent that recruited the member). A `Collection` is a cash payment to the agent
(continuity's `SelfPayment` with channel cash_agent), one per payment; a `Deposit` takes the
agent's undeposited collections and must add up to them (reconciled). A fee is one row per
agent-month, priced by `rules.agents` (dated data, 2018 figures NC).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AgentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive (no activity)")


class Agent(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agent",
    )
    full_name = models.CharField(max_length=200)
    nik = models.CharField(max_length=16, unique=True)
    phone = models.CharField(max_length=16)
    # The region the agent works in, of any level (accounts.scope: field="area__code").
    area = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    bpjs_agent_number = models.CharField(max_length=40, unique=True)
    status = models.CharField(max_length=8, choices=AgentStatus.choices, default=AgentStatus.ACTIVE)
    joined_on = models.DateField()
    inactive_since = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["full_name", "id"]
        indexes = [models.Index(fields=["area", "status"])]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.bpjs_agent_number})"


class AgentCredit(models.Model):
    """A self-paid cover the agent recruited (one agent per cover)."""

    cover = models.OneToOneField(
        "continuity.SelfPayCover", on_delete=models.PROTECT, related_name="agent_credit"
    )
    agent = models.ForeignKey(Agent, on_delete=models.PROTECT, related_name="credits")
    credited_on = models.DateField()
    # The month the member counts as new in (the fee's bonus): its cover's first month.
    month = models.DateField()
    regency_code = models.CharField(max_length=5, editable=False)

    class Meta:
        ordering = ["-credited_on", "-id"]
        indexes = [models.Index(fields=["agent", "month"])]

    def __str__(self) -> str:
        return f"cover {self.cover_id} by agent {self.agent_id}"


class Deposit(models.Model):
    """Cash an agent paid in to BPJS for its collections, reconciled against them."""

    agent = models.ForeignKey(Agent, on_delete=models.PROTECT, related_name="deposits")
    reference = models.CharField(max_length=100, unique=True)
    deposited_on = models.DateField()
    amount = models.PositiveBigIntegerField()
    collections = models.PositiveIntegerField()
    regency_code = models.CharField(max_length=5, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-deposited_on", "-id"]

    def __str__(self) -> str:
        return f"deposit {self.reference}: {self.amount}"


class Collection(models.Model):
    """Cash a member paid to the agent: one continuity payment (channel cash_agent)."""

    payment = models.OneToOneField(
        "continuity.SelfPayment", on_delete=models.PROTECT, related_name="agent_collection"
    )
    agent = models.ForeignKey(Agent, on_delete=models.PROTECT, related_name="collections")
    cover = models.ForeignKey("continuity.SelfPayCover", on_delete=models.PROTECT, related_name="+")
    amount = models.PositiveBigIntegerField()
    months = models.PositiveSmallIntegerField()
    collected_on = models.DateField()
    month = models.DateField(help_text="the first day of the month it was collected in")
    deposit = models.ForeignKey(
        Deposit, null=True, blank=True, on_delete=models.PROTECT, related_name="items"
    )
    regency_code = models.CharField(max_length=5, editable=False)

    class Meta:
        ordering = ["-collected_on", "-id"]
        indexes = [
            models.Index(fields=["agent", "month"]),
            models.Index(fields=["agent", "deposit"]),
        ]

    def __str__(self) -> str:
        return f"collection {self.payment_id} by agent {self.agent_id}: {self.amount}"


class AgentFee(models.Model):
    """An agent's fee for one month: rules.agents on what it collected and recruited."""

    agent = models.ForeignKey(Agent, on_delete=models.PROTECT, related_name="fees")
    month = models.DateField()
    collected = models.PositiveBigIntegerField()
    new_members = models.PositiveIntegerField()
    fee = models.PositiveBigIntegerField()
    bonus = models.PositiveBigIntegerField()
    total = models.PositiveBigIntegerField()
    rule_version = models.CharField(max_length=100)
    detail = models.JSONField()
    calculated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-month", "agent_id"]
        constraints = [
            models.UniqueConstraint(fields=["agent", "month"], name="agent_fee_month_unique")
        ]

    def __str__(self) -> str:
        return f"fee of agent {self.agent_id} {self.month:%Y-%m}: {self.total}"
