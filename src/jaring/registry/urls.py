from django.urls import path

from jaring.registry import views

# No namespace: the pages keep the names they had under web/ ("worker-list", …).
urlpatterns = [
    path("", views.worker_list, name="worker-list"),
    path("export.csv", views.worker_export, name="worker-export"),
    path("new/", views.worker_create, name="worker-create"),
    path("<int:pk>/", views.worker_detail, name="worker-detail"),
    path("<int:pk>/edit/", views.worker_edit, name="worker-edit"),
]
