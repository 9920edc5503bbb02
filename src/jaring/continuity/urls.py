from django.urls import path

from jaring.continuity import views

app_name = "continuity"
urlpatterns = [
    path("", views.handover, name="handover"),
    path("choose/<int:pk>/", views.choose, name="choose"),
    path("self-paid/", views.covers, name="covers"),
    path("self-paid/<int:pk>/", views.cover, name="cover"),
]
