from django.urls import path

from jaring.agents import views

app_name = "agents"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.agent_page, name="agent"),
]
