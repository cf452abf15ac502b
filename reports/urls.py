from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("seizures/<int:pk>/report/", views.seizure_report, name="seizure_report"),
    path("reports/bulletin/", views.bulletin_request, name="bulletin"),
    path("reports/<uuid:pk>/", views.report_detail, name="detail"),
    path("reports/<uuid:pk>/status/", views.report_status, name="status"),
    path("reports/<uuid:pk>/download/", views.report_download, name="download"),
]
