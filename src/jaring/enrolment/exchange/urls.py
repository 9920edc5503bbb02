from django.urls import path

from jaring.enrolment.exchange import views

app_name = "bpjs"
urlpatterns = [
    path("", views.exchange_index, name="index"),
    path("programmes/<int:pk>/", views.exchange_page, name="page"),
    path("programmes/<int:pk>/batches/", views.export_batch, name="export"),
    path("programmes/<int:pk>/responses/", views.import_response, name="response"),
    path("programmes/<int:pk>/profile/", views.choose_profile, name="profile"),
    path("programmes/<int:pk>/cards.pdf", views.card_sheets, name="cards"),
    path("batches/<int:batch_id>.<str:file_format>", views.batch_file, name="batch-file"),
    path("cards/<int:membership_id>.pdf", views.membership_card, name="card"),
]
