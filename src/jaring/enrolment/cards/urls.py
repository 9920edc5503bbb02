from django.urls import path

from jaring.enrolment.cards import views

app_name = "public"
urlpatterns = [
    path("", views.status_check, name="check"),
    path("k/<str:token>/", views.card_status, name="card"),
]
