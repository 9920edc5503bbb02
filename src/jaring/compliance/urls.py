from django.urls import path

from jaring.compliance import views

app_name = "compliance"
urlpatterns = [
    path("", views.work_list, name="work"),
    path("leads/", views.lead_list, name="leads"),
    path("leads/<int:pk>/open/", views.open_case, name="open"),
    path("employers/<int:pk>/", views.employer_detail, name="employer"),
    path("links/<int:pk>/undo/", views.unlink, name="unlink"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/step/", views.take_step, name="step"),
    path("cases/<int:pk>/evidence/", views.add_evidence, name="add_evidence"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
    path("cases/<int:pk>/close/", views.close_case, name="close"),
    path("letters/<int:pk>/", views.letter, name="letter"),
    path("import/", views.import_list, name="import"),
    path("match/", views.match, name="match"),
    path("report/", views.report, name="report"),
]
# Behind the public status check (/cek/): no login.
public_urlpatterns = [path("", views.public_report, name="report")]
