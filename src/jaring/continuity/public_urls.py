from django.urls import path

from jaring.continuity import views

app_name = "continuity_public"
urlpatterns = [
    path("", views.public_choice, name="choose"),
]
