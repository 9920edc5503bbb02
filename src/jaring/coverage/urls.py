from django.urls import path

from jaring.coverage import views

app_name = "coverage"
urlpatterns = [
    path("", views.index, name="index"),
    path("chart.pdf", views.chart_pdf, name="chart-pdf"),
    path("<str:code>/", views.region_dashboard, name="dashboard"),
    path("<str:code>/figures/", views.figures, name="figures"),
    path("<str:code>/report.pdf", views.mayor_report, name="report"),
]
