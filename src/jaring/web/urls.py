from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from jaring.web.forms import LoginForm
from jaring.web.views import regions

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="worker-list"), name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("regions/<str:field>-select/", regions.region_select, name="region-select"),
]
