from django.urls import path

from jaring.programs import views

app_name = "programs"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("new/", views.programme_create, name="create"),
    path("<int:pk>/edit/", views.programme_edit, name="edit"),
    path("<int:pk>/copy/", views.programme_copy, name="copy"),
]
