from django.urls import path

from . import regional_views, views

app_name = "exchange"
urlpatterns = [
    path("exchange/", views.overview, name="overview"),
    path("exchange/retry/", views.retry_now, name="retry"),
    path("exchange/policy/", views.policy_edit, name="policy"),
    path("exchange/hub/batches/", views.hub_batches, name="hub_batches"),
    path("exchange/hub/members/", views.member_list, name="members"),
    path("exchange/hub/members/<int:pk>/", views.member_edit, name="member_edit"),
    path("exchange/hub/feed/", regional_views.hub_feed, name="hub_feed"),
    path("exchange/hub/records/", regional_views.regional_record_list, name="regional_list"),
    path(
        "exchange/hub/records/<int:pk>/",
        regional_views.regional_record_detail,
        name="regional_detail",
    ),
    path("exchange/hub/statistics/", regional_views.member_statistics, name="statistics"),
    path("seizures/regional/", regional_views.received_record_list, name="received_list"),
    path(
        "seizures/regional/<int:pk>/",
        regional_views.received_record_detail,
        name="received_detail",
    ),
]
