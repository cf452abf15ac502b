from django.urls import include, path
from rest_framework.routers import DefaultRouter

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
router.register("seizure-imports", seizure_imports.SeizureImportViewSet, basename="seizure-import")

app_name = "api"
urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("me/token/", views.MeTokenView.as_view(), name="me-token"),
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
