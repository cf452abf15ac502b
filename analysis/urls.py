from django.urls import path

from . import views

app_name = "analysis"
urlpatterns = [
    path("analysis/", views.dashboard, name="dashboard"),
    path("analysis/regional/", views.regional_dashboard, name="regional_dashboard"),
]
