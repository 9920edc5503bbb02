from django.urls import path

from jaring.contributions import views

app_name = "contributions"
urlpatterns = [
    path("", views.bill_list, name="bills"),
    path("bills/<int:pk>/", views.bill_detail, name="bill"),
    path("bills/<int:pk>/document.<str:kind>", views.bill_document, name="document"),
    path("payments/", views.payments, name="payments"),
    path("arrears/", views.arrears, name="arrears"),
    path("rates/", views.rates, name="rates"),
    path("programmes/<int:pk>/statements/", views.statements, name="statements"),
]
