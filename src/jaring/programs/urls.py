from django.urls import path

from jaring.programs import views

app_name = "programs"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("new/", views.programme_create, name="create"),
    path("<int:pk>/", views.programme_detail, name="detail"),
    path("<int:pk>/edit/", views.programme_edit, name="edit"),
    path("<int:pk>/copy/", views.programme_copy, name="copy"),
    path("<int:pk>/eligibility/", views.programme_eligibility, name="eligibility"),
]
