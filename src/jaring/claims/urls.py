from django.urls import path

from jaring.claims import views

app_name = "claims"
urlpatterns = [
    path("", views.claim_list, name="list"),
    path("new/", views.claim_new, name="new"),
    path("<int:pk>/", views.claim_detail, name="detail"),
    path("<int:pk>/correct/", views.claim_correct, name="correct"),
    path("<int:pk>/transition/", views.claim_transition, name="transition"),
    path("<int:pk>/documents/", views.claim_documents, name="documents"),
    path("<int:pk>/scholarship-years/", views.claim_year, name="claim_year"),
    path("<int:pk>/scholarship-years/<int:year>/", views.year_action, name="year_action"),
    path("<int:pk>/scholarship-stop/", views.stop_scholarship, name="stop_scholarship"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("reports/money/", views.report, name="report"),
]
