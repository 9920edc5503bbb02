from django.urls import path

from jaring.autodebit import views

app_name = "autodebit"
urlpatterns = [
    path("", views.mandates, name="mandates"),
    path("cover/<int:pk>/", views.new_mandate, name="new"),
    path("mandates/<int:pk>/end/", views.end_mandate, name="end"),
    path("mandates/<int:pk>/consent/", views.consent_document, name="consent"),
]
