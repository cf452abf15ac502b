from django.urls import include, path
from rest_framework.routers import DefaultRouter

from analysis.api import views as analysis_views
from exchange.api import regional as regional_views
from exchange.api import views as exchange_views
from indicators.api import views as indicator_views
from persons.api import views as person_views
from reports.api import views as report_views
from seizures.api import imports as seizure_imports
from seizures.api import views as seizure_views

from . import views

router = DefaultRouter()
router.register("users", views.UserViewSet, basename="user")
router.register("audit", views.AuditEntryViewSet, basename="audit-entry")
router.register("tasks", views.TaskRunViewSet, basename="task-run")
router.register("seizures", seizure_views.SeizureViewSet, basename="seizure")
router.register("offences", seizure_views.OffenceViewSet, basename="offence")
router.register("codes", seizure_views.CodeViewSet, basename="code")
router.register("persons", person_views.PersonViewSet, basename="person")
router.register("businesses", person_views.BusinessViewSet, basename="business")
router.register("conveyances", person_views.ConveyanceViewSet, basename="conveyance")
router.register("links", person_views.CaseLinkViewSet, basename="case-link")
router.register("seizure-imports", seizure_imports.SeizureImportViewSet, basename="seizure-import")
router.register("reports", report_views.ReportViewSet, basename="report")
router.register("stats/regional", analysis_views.RegionalStatsViewSet, basename="regional-stats")
router.register("stats", analysis_views.StatsViewSet, basename="stats")
router.register(
    "regional-records", regional_views.RegionalRecordViewSet, basename="regional-record"
)
router.register(
    "received-records", regional_views.ReceivedRecordViewSet, basename="received-record"
)
router.register("indicators", indicator_views.IndicatorViewSet, basename="indicator")
router.register("alerts", indicator_views.AlertViewSet, basename="alert")

app_name = "api"
urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("me/token/", views.MeTokenView.as_view(), name="me-token"),
    path("sharing-policy/", exchange_views.SharingPolicyView.as_view(), name="sharing-policy"),
    path(
        "attachments/<int:pk>/file/",
        seizure_views.AttachmentFileView.as_view(),
        name="attachment-file",
    ),
    path(
        "attachments/<int:pk>/thumbnail/",
        seizure_views.AttachmentFileView.as_view(thumbnail=True),
        name="attachment-thumbnail",
    ),
    path("", include(router.urls)),
]
