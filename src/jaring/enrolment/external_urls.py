from django.urls import path

from jaring.enrolment import external_views

app_name = "external"
urlpatterns = [
    path("", external_views.external_cover_page, name="page"),
]
