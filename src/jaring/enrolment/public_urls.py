from django.urls import path

from jaring.enrolment import public_views

app_name = "public"
urlpatterns = [
    path("", public_views.status_check, name="check"),
    path("k/<str:token>/", public_views.card_status, name="card"),
]
