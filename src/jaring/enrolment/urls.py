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

# A programme's pages that read its memberships, under /programmes/ and in the "programs"
# namespace beside programs' own pages (jaring/urls.py mounts both lists as one).
programme_urlpatterns = [
    path("<int:pk>/", views.programme_detail, name="detail"),
    path("<int:pk>/eligibility/", views.programme_eligibility, name="eligibility"),
]
