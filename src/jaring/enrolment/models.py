"""A worker's membership of one programme, from candidate to the end of cover."""

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MembershipStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    VERIFIED = "verified", _("Verified")
    SUBMITTED = "submitted", _("Submitted to BPJS")
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    RENEWED = "renewed", _("Renewed")
    ENDED = "ended", _("Ended")


class EndReason(models.TextChoices):
    DEATH = "death", _("Death")
    MOVED = "moved", _("Moved away")
    DUPLICATE = "duplicate", _("Duplicate")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    # More than 3 consecutive months unpaid (contributions.services.apply_lapses decides,
    # enrolment.services.lapse ends them).
    LAPSED = "lapsed", _("Contributions unpaid")


class Membership(models.Model):
    worker = models.ForeignKey(
        "registry.Worker", on_delete=models.PROTECT, related_name="memberships"
    )
    programme = models.ForeignKey(
        "programs.Programme", on_delete=models.PROTECT, related_name="memberships"
    )
    category = models.ForeignKey(
        "registry.OccupationCategory", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=MembershipStatus.choices, default=MembershipStatus.CANDIDATE
    )
    # Membership number BPJS gives back (Kartu Peserta Jamsostek). It belongs to the person:
    # a renewal keeps the same KPJ, so it is unique per programme here, and the services refuse
    # a KPJ already held by another worker.
    kpj = models.CharField("KPJ", max_length=20, blank=True, db_index=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    # Cover length and income base copied from the programme category at enrolment, so a
    # later change to the programme does not rewrite what was agreed for this worker.
    months = models.PositiveSmallIntegerField()
    income_base = models.PositiveBigIntegerField()
    end_reason = models.CharField(max_length=10, choices=EndReason.choices, blank=True)
    end_note = models.TextField(blank=True)
    # Why BPJS refused the last submission (the membership went back to candidate).
    rejection_reason = models.TextField(blank=True)
    renewed_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="renewed_from"
    )
    # Copied from the worker at enrolment; scoping filters on them (see accounts.scope).
    village = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    province_code = models.CharField(max_length=2, editable=False)
    regency_code = models.CharField(max_length=5, editable=False)
    district_code = models.CharField(max_length=8, editable=False)
    status_changed_at = models.DateTimeField(auto_now_add=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "kpj"],
                condition=~models.Q(kpj=""),
                name="membership_kpj_unique_per_programme",
            ),
            # One live membership per worker and programme; an ended one may be followed by another.
            models.UniqueConstraint(
                fields=["worker", "programme"],
                condition=~models.Q(status="ended"),
                name="membership_one_live_per_programme",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "status", "category"]),
            models.Index(fields=["worker", "status"]),
            models.Index(fields=["status", "end_date"]),
            models.Index(fields=["regency_code", "programme"]),
            models.Index(fields=["district_code", "programme"]),
            models.Index(fields=["village", "programme"]),
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} in {self.programme_id} ({self.status})"

    def status_on(self, day: dt.date) -> str:
        """The status that holds on `day`: active cover that ended before it is expired, even
        before the daily job (core.daily) has recorded it. `status` is the recorded one."""
        if self.status == MembershipStatus.ACTIVE and self.end_date and self.end_date < day:
            return MembershipStatus.EXPIRED
        return self.status

    @property
    def status_today(self) -> str:
        return self.status_on(timezone.localdate())

    def get_status_today_display(self) -> str:
        return str(MembershipStatus(self.status_today).label)


# The sub-packages' models belong to this app (one migration history); importing them here is
# how Django finds them. They refer to Membership by its label, so this is not a cycle.
from jaring.enrolment.cards import models as _cards  # noqa: E402, F401
from jaring.enrolment.exchange import models as _exchange  # noqa: E402, F401
from jaring.enrolment.external import models as _external  # noqa: E402, F401
