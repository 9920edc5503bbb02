from django.urls import path

from jaring.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.batch_list, name="list"),
    path("template/", views.template, name="template"),
    path("synonyms/", views.synonym_list, name="synonyms"),
    path("synonyms/<int:pk>/", views.synonym_change, name="synonym_change"),
    path("<int:pk>/", views.batch_detail, name="detail"),
    path("<int:pk>/mapping/", views.batch_remap, name="remap"),
    path("<int:pk>/values/", views.batch_values, name="values"),
    path("<int:pk>/check/", views.batch_check_again, name="check_again"),
    path("<int:pk>/commit/", views.batch_commit, name="commit"),
    path("<int:pk>/rejected.xlsx", views.batch_rejected, name="rejected"),
]
