import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    PROGRAMME_OFFICER = "programme_officer", _("Programme officer")
    ENUMERATOR = "enumerator", _("Enumerator")
    BPJS_OFFICER = "bpjs_officer", _("BPJS officer")
    COMPLIANCE_OFFICER = "compliance_officer", _("Compliance officer")
    VIEWER = "viewer", _("Viewer")
    # A Perisai agent: its area, and its own self-paying members (accounts.scope, `own`).
    AGENT = "agent", _("Perisai agent")


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.VIEWER)
    # The region this user works in; empty means the whole country (administrators only).
    scope = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Set when an administrator gave the password (a new account, a reset): the user chooses
    # their own before anything else (accounts.middleware.LoginStepsMiddleware).
    must_change_password = models.BooleanField(default=False)

    def save(self, *args, **kwargs):
        # `jaring createsuperuser` knows nothing of roles; a superuser is an administrator.
        if self.is_superuser:
            self.role = Role.ADMIN
            self.is_staff = True
        super().save(*args, **kwargs)


class RecoveryCodes(Device):
    """A user's one-time recovery codes, for a login without the authenticator app.

    A django-otp device, so a session verified by a code counts like one verified by the app.
    Only each code's SHA-256 is kept (they are 80 random bits, like an API key, so a slow hash
    adds nothing); a used code is deleted."""

    def verify_token(self, token: str) -> bool:
        used = self.codes.filter(code_hash=RecoveryCode.hash(token)).delete()[0]
        return used > 0


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodes, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"recovery code of {self.device.user}"

    # Codes are shown in groups of four, in capitals; typed back in any case and grouping.
    @staticmethod
    def hash(code: str) -> str:
        plain = "".join(ch for ch in code.upper() if ch.isalnum())
        return hashlib.sha256(plain.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the API; only its SHA-256 is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class AuditEvent(models.Model):
    """One change to one record: who, when, what it was before and after, and why."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=40)
    target_type = models.CharField(max_length=40)
    target_id = models.CharField(max_length=40)
    # The village of the record, so the history is scoped like the record itself.
    region_code = models.CharField(max_length=13, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "at"])]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type}#{self.target_id} at {self.at:%Y-%m-%d %H:%M}"


class ReadEvent(models.Model):
    """One request that showed whole NIKs (UU 27/2022): who, when, what they asked for, and
    how many people it showed. One row per request, however many people it showed."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # The method and the path with its query: the page, the filters, a searched NIK.
    what = models.CharField(max_length=500)
    records = models.PositiveIntegerField()
    # The region the read covered (the actor's, or the filter's when narrower); "" national.
    region_code = models.CharField(max_length=13, blank=True)
    # Whether the NIKs it showed are kept (ReadSubject): a read of up to
    # JARING_READ_AUDIT_NAMED people; a larger one keeps its region and filters only.
    named = models.BooleanField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["region_code", "named", "at"])]

    def __str__(self) -> str:
        return f"{self.what} ({self.records}) at {self.at:%Y-%m-%d %H:%M}"


class ReadSubject(models.Model):
    """A NIK a small read showed, so that a person's page can say who saw their record."""

    event = models.ForeignKey(ReadEvent, on_delete=models.CASCADE, related_name="subjects")
    nik = models.CharField(max_length=64, db_index=True)

    def __str__(self) -> str:
        return f"{self.event_id}: {self.nik}"
