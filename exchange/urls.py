from django.urls import path

from . import views

app_name = "exchange"
urlpatterns = [
    path("exchange/policy/", views.policy_edit, name="policy"),
]
