from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from jaring.web.forms import LoginForm
from jaring.web.views import editing, export, regions, workers

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
    path("workers/", workers.worker_list, name="worker-list"),
    path("workers/export.csv", export.worker_export, name="worker-export"),
    path("workers/new/", editing.worker_create, name="worker-create"),
    path("workers/<int:pk>/", workers.worker_detail, name="worker-detail"),
    path("workers/<int:pk>/edit/", editing.worker_edit, name="worker-edit"),
    path("regions/<str:field>-select/", regions.region_select, name="region-select"),
]
