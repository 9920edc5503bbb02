"""The admin site: administrators only, and even they see only their region.

Django's admin lets in any staff user and asks its permission tables; Jaring decides by role,
so a staff flag or a stray permission never opens the registry to an enumerator or a viewer.
"""

from __future__ import annotations

from contextvars import ContextVar

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from jaring.accounts.models import ApiToken, AuditEvent, ReadEvent, Role, User
from jaring.accounts.scope import in_scope, scope_code, scope_q
from jaring.accounts.services import reset_second_factor, revoke_token, set_password, unlock

# django-otp's own page shows any user's authenticator key as a QR code: an administrator could
# copy someone's second factor. Devices are reset here (an action on users), never shown.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)

# Who is setting a password on the admin's password form (the form is built without the request).
_password_setter: ContextVar[User] = ContextVar("password_setter")


def is_admin(request: HttpRequest) -> bool:
    user = request.user
    return user.is_active and user.is_staff and getattr(user, "role", None) == Role.ADMIN


admin.site.has_permission = is_admin
admin.site.site_header = admin.site.site_title = _("Jaring administration")


class AdminOnly(admin.ModelAdmin):
    """Every permission is the admin role; subclasses take away what may not change."""

    def has_module_permission(self, request):
        return is_admin(request)

    def has_view_permission(self, request, obj=None):
        return is_admin(request)

    def has_add_permission(self, request):
        return is_admin(request)

    def has_change_permission(self, request, obj=None):
        return is_admin(request)

    def has_delete_permission(self, request, obj=None):
        return is_admin(request)


class ReadOnly(AdminOnly):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(AdminOnly, DjangoUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "scope", "is_active")
    list_filter = ("role", "is_active")
    raw_id_fields = ("scope",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Role and region"), {"fields": ("role", "scope")}),
        (
            _("Status"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "last_login",
                    "must_change_password",
                )
            },
        ),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "usable_password", "password1", "password2")}),
        (_("Role and region"), {"fields": ("role", "scope")}),
    )
    readonly_fields = ("is_staff", "last_login", "must_change_password")
    actions = ("unlock_logins", "reset_second_factors")

    class PasswordForm(AdminPasswordChangeForm):
        """An administrator's password for someone else: they change it at their next login."""

        def save(self, commit=True):
            usable = self.cleaned_data["set_usable_password"]
            set_password(
                user=self.user,
                password=self.cleaned_data["password1"] if usable else None,
                actor=_password_setter.get(),
            )
            return self.user

    change_password_form = PasswordForm

    def user_change_password(self, request, id, form_url=""):
        token = _password_setter.set(request.user)
        try:
            return super().user_change_password(request, id, form_url)
        finally:
            _password_setter.reset(token)

    @admin.action(description=_("Unlock login (after too many wrong passwords)"))
    def unlock_logins(self, request, queryset):
        for user in queryset:
            unlock(user=user, actor=request.user)
        self.message_user(request, _("Login unlocked for %(n)d user(s).") % {"n": len(queryset)})

    @admin.action(description=_("Reset the login code (a lost phone: set up again at next login)"))
    def reset_second_factors(self, request, queryset):
        for user in queryset:
            reset_second_factor(user=user, actor=request.user)
        self.message_user(request, _("Login code reset for %(n)d user(s).") % {"n": len(queryset)})

    def get_queryset(self, request):
        return super().get_queryset(request).filter(scope_q(request.user, field="scope__code"))

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        # Only a superuser may make another one: a superuser passes every check but scope.
        return fields if request.user.is_superuser else (*fields, "is_superuser")

    def get_form(self, request, obj=None, **kwargs):
        base = super().get_form(request, obj, **kwargs)
        actor = request.user

        class ScopedForm(base):
            def clean_scope(self):
                scope = self.cleaned_data.get("scope")
                if scope is None and scope_code(actor) is not None:
                    raise forms.ValidationError(
                        _("Only a national administrator may give a national scope.")
                    )
                if scope is not None and not in_scope(actor, scope.code):
                    raise forms.ValidationError(_("This region is outside your region."))
                return scope

        return ScopedForm

    def save_model(self, request, obj, form, change):
        # The admin site needs the staff flag to log in; the role is what grants it.
        obj.is_staff = obj.role == Role.ADMIN
        if not change:
            # The administrator chose this password: the new user replaces it at first login.
            obj.must_change_password = obj.has_usable_password()
        super().save_model(request, obj, form, change)


@admin.register(ApiToken)
class ApiTokenAdmin(AdminOnly):
    """Tokens are made with `jaring token create`; here they can be seen and revoked, never
    their keys."""

    list_display = ("name", "user", "prefix", "created_at", "last_used_at")
    list_select_related = ("user",)
    search_fields = ("name", "user__username", "=prefix")
    fields = ("name", "user", "prefix", "created_at", "last_used_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(scope_q(request.user, prefix="user__", field="scope__code"))
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        revoke_token(token=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for token in queryset.select_related("user"):
            revoke_token(token=token, actor=request.user)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnly):
    list_display = ("at", "actor", "action", "target_type", "target_id", "region_code")
    list_filter = ("action", "target_type")
    list_select_related = ("actor",)
    search_fields = ("=target_id", "=region_code", "actor__username")
    date_hierarchy = "at"
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(scope_q(request.user, field="region_code"))


@admin.register(ReadEvent)
class ReadEventAdmin(ReadOnly):
    """The read audit (UU 27/2022): who saw whole NIKs, when, on which page, how many."""

    list_display = ("at", "actor", "what", "records", "region_code", "reason")
    list_filter = ("named",)
    list_select_related = ("actor",)
    search_fields = ("actor__username", "=region_code", "=subjects__nik")
    date_hierarchy = "at"
    show_full_result_count = False

    def get_queryset(self, request):
        # A national read (region "") is seen by national administrators only.
        return super().get_queryset(request).filter(scope_q(request.user, field="region_code"))
