from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("users", views.UserViewSet, basename="user")
router.register("audit", views.AuditEntryViewSet, basename="audit-entry")
router.register("tasks", views.TaskRunViewSet, basename="task-run")

app_name = "api"
urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("me/token/", views.MeTokenView.as_view(), name="me-token"),
    path("", include(router.urls)),
]
