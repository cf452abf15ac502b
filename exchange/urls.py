from django.urls import path

from . import views

app_name = "exchange"
urlpatterns = [
    path("exchange/", views.overview, name="overview"),
    path("exchange/retry/", views.retry_now, name="retry"),
    path("exchange/policy/", views.policy_edit, name="policy"),
    path("exchange/hub/batches/", views.hub_batches, name="hub_batches"),
    path("exchange/hub/members/", views.member_list, name="members"),
    path("exchange/hub/members/<int:pk>/", views.member_edit, name="member_edit"),
]
