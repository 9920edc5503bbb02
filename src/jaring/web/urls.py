from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from jaring.accounts.middleware import login_step
from jaring.web.forms import LoginForm
from jaring.web.views import account, regions

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="worker-list"), name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", login_step(auth_views.LogoutView.as_view()), name="logout"),
    # Django's language switch (django.conf.urls.i18n), open before the login is complete.
    path("i18n/setlang/", login_step(set_language), name="set_language"),
    path("account/", account.account, name="account"),
    path("account/two-factor/", account.two_factor, name="two-factor"),
    path("account/two-factor/setup/", account.two_factor_setup, name="two-factor-setup"),
    path("account/recovery-codes/", account.recovery_codes, name="recovery-codes"),
    path("account/password/", account.password_change, name="password-change"),
    path("account/locked/", account.locked_logins, name="locked-logins"),
    path("regions/<str:field>-select/", regions.region_select, name="region-select"),
]
