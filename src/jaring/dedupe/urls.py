from django.urls import path

from jaring.dedupe import views

app_name = "dedupe"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("run/", views.start_run, name="run"),
    path("<int:pk>/", views.pair_detail, name="pair"),
    path("<int:pk>/merge/", views.merge, name="merge"),
    path("<int:pk>/distinct/", views.distinct, name="distinct"),
]
