from django.urls import path

from jaring.enrolment.external import views

app_name = "external"
urlpatterns = [
    path("", views.external_cover_page, name="page"),
]
