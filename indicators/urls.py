from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("indicators/", views.indicator_list, name="list"),
    path("indicators/new/", views.indicator_new, name="new"),
    path("indicators/<int:pk>/", views.indicator_detail, name="detail"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="edit"),
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/read/", views.alerts_read, name="alerts_read"),
]
