from django.urls import include, path

from jaring.enrolment import views

app_name = "enrolment"
urlpatterns = [
    path("", views.membership_list, name="list"),
    path("bulk/", views.bulk_action, name="bulk"),
    path("<int:pk>/", views.membership_detail, name="detail"),
    path("bpjs/", include("jaring.enrolment.exchange.urls")),
    path("external/", include("jaring.enrolment.external.urls")),
]
