from django.urls import path

from jaring.enrolment import exchange_views

app_name = "bpjs"
urlpatterns = [
    path("programmes/<int:pk>/", exchange_views.exchange_page, name="page"),
    path("programmes/<int:pk>/batches/", exchange_views.export_batch, name="export"),
    path("programmes/<int:pk>/responses/", exchange_views.import_response, name="response"),
    path("programmes/<int:pk>/cards.pdf", exchange_views.card_sheets, name="cards"),
    path("batches/<int:batch_id>.<str:file_format>", exchange_views.batch_file, name="batch-file"),
    path("cards/<int:membership_id>.pdf", exchange_views.membership_card, name="card"),
]
