"""A user's own login pages: the second factor (set up, asked after the password, recovery
codes), a new password, and the locked logins an officer may unlock. Thin over
accounts.services; the steps a login must take are decided by accounts.middleware."""

from __future__ import annotations

from base64 import b32encode

import django_otp
import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jaring.accounts import selectors, services
from jaring.accounts.middleware import login_step, pending_step
from jaring.accounts.models import RecoveryCodes
from jaring.accounts.permissions import LOGINS
from jaring.core.errors import DomainError
from jaring.web.feedback import refusals_as_messages


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=40)


def _next(request) -> str:
    """Where the login goes once complete: the page first asked for, if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("worker-list")


def _onward(request):
    """The next step of the login, or the page first asked for."""
    step = pending_step(request)
    if step:
        return redirect(f"{reverse(step)}?{urlencode({'next': _next(request)})}")
    return redirect(_next(request))


def _check(request, form: CodeForm, check) -> object | None:
    """Runs `check(code)` on a valid form; a refusal goes on the form's code field."""
    if not form.is_valid():
        return None
    try:
        return check(form.cleaned_data["code"])
    except DomainError as exc:
        for problem in exc.problems:
            form.add_error("code", problem.message)
        return None


@login_step
@login_required
def two_factor(request):
    """The code asked after the password: from the authenticator app, or a recovery code."""
    if request.user.is_verified() or not selectors.needs_second_factor(request.user):
        return _onward(request)
    if selectors.totp_device(request.user) is None:
        return _onward(request)  # to the set-up page
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        device = _check(
            request,
            form,
            lambda code: services.verify_second_factor(user=request.user, code=code),
        )
        if device is not None:
            _verified(request, device)
            if isinstance(device, RecoveryCodes):  # a recovery code, now used up
                left = selectors.recovery_codes_left(request.user)
                messages.warning(
                    request,
                    _(
                        "You logged in with a recovery code; %(n)d left. Make new ones on "
                        "your account page."
                    )
                    % {"n": left},
                )
            return _onward(request)
    return render(request, "account/two_factor.html", {"form": form, "next": _next(request)})


def _verified(request, device) -> None:
    # A new session key once the login is complete, as Django does after the password.
    request.session.cycle_key()
    django_otp.login(request, device)


def _qr_svg(url: str) -> str:
    # Markup segno draws (rectangles): the URL is encoded in the modules, never written out.
    return mark_safe(segno.make(url, error="m").svg_inline(scale=4, border=2))


@login_step
@login_required
def two_factor_setup(request):
    """The first login of a role that sees whole NIKs: scan the key (or type it), confirm it
    with a code, then keep the recovery codes shown once."""
    if selectors.totp_device(request.user) is not None:
        return _onward(request)
    device = services.start_totp(user=request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        confirmed = _check(
            request, form, lambda code: services.confirm_totp(user=request.user, code=code)
        )
        if confirmed is not None:
            device, codes = confirmed
            _verified(request, device)
            return render(
                request,
                "account/recovery_codes.html",
                {"codes": codes, "next": _next(request), "first": True},
            )
    key = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "next": _next(request),
        "qr": _qr_svg(device.config_url),
        "key_groups": [key[i : i + 4] for i in range(0, len(key), 4)],
    }
    return render(request, "account/two_factor_setup.html", context)


@login_required
def account(request):
    """The user's own page: their second factor, recovery codes left, a new password."""
    user = request.user
    context = {
        "needs_second_factor": selectors.needs_second_factor(user),
        "device": selectors.totp_device(user),
        "codes_left": selectors.recovery_codes_left(user),
        "can_unlock": LOGINS.may(user, "unlock"),
    }
    return render(request, "account/account.html", context)


@require_POST
@login_required
def recovery_codes(request):
    """A new set of recovery codes, shown once; the old ones stop working."""
    if selectors.totp_device(request.user) is None:
        raise PermissionDenied
    codes = services.new_recovery_codes(user=request.user)
    return render(
        request,
        "account/recovery_codes.html",
        {"codes": codes, "next": reverse_lazy("account"), "first": False},
    )


class _PasswordForm(PasswordChangeForm):
    def save(self, commit=True):
        services.change_password(user=self.user, password=self.cleaned_data["new_password1"])
        return self.user


class PasswordChange(auth_views.PasswordChangeView):
    """A new password: asked once the login is complete when an administrator set the old one,
    and open from the account page at any time."""

    form_class = _PasswordForm
    template_name = "account/password_change.html"

    def get_success_url(self):
        return _next(self.request)

    def form_valid(self, form):
        messages.success(self.request, _("Your password has been changed."))
        return super().form_valid(form)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "next": _next(self.request),
            "forced": self.request.user.must_change_password,
        }


password_change = login_step(PasswordChange.as_view())


@login_required
def locked_logins(request):
    """The accounts of the officer's region locked by wrong passwords; unlock one."""
    LOGINS.check(request.user, "unlock")
    if request.method == "POST":
        username = request.POST.get("username", "")
        with refusals_as_messages(request):
            services.unlock_in_scope(actor=request.user, username=username)
            messages.success(request, _("Login of %(user)s unlocked.") % {"user": username})
        return redirect("locked-logins")
    return render(request, "account/locked.html", {"locked": selectors.locked_out(request.user)})
