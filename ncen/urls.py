from django.contrib import admin
from django.urls import include, path, reverse_lazy
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from .views import accounts, audit, health, home, notifications, users

app_urls = (
    [
        path("", home.home, name="home"),
        path("sign-in/", accounts.SignInView.as_view(), name="login"),
        path("sign-out/", accounts.SignOutView.as_view(), name="logout"),
        path("sign-in/verify/", accounts.second_factor_verify, name="second_factor_verify"),
        path("account/second-factor/", accounts.second_factor_enrol, name="second_factor_enrol"),
        path(
            "password/set/<uidb64>/<token>/",
            accounts.PasswordSetView.as_view(),
            name="password_set",
        ),
        path("account/", accounts.account, name="account"),
        path("account/api-token/", accounts.api_token_rotate, name="api_token_rotate"),
        path("users/", users.user_list, name="user_list"),
        path("users/invite/", users.user_invite, name="user_invite"),
        path("users/<int:pk>/", users.user_detail, name="user_detail"),
        path("users/<int:pk>/deactivate/", users.user_deactivate, name="user_deactivate"),
        path("users/<int:pk>/reactivate/", users.user_reactivate, name="user_reactivate"),
        path(
            "users/<int:pk>/reset-password/", users.user_password_reset, name="user_password_reset"
        ),
        path("audit/", audit.audit_list, name="audit_list"),
        path("notifications/", notifications.notification_list, name="notifications"),
        path("notifications/read/", notifications.notifications_read, name="notifications_read"),
    ],
    "ncen",
)

urlpatterns = [
    path("api/v1/", include("ncen.api.urls")),
    path("", include(app_urls)),
    path("", include("seizures.urls")),
    path("", include("exchange.urls")),
    path("", include("persons.urls")),
    path("", include("reports.urls")),
    path("", include("analysis.urls")),
    path("", include("indicators.urls")),
    path("healthz/", health.healthz, name="healthz"),
    path("readyz/", health.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Platform superusers sign in through the same page, lockout and second factor.
    path("admin/login/", RedirectView.as_view(url=reverse_lazy("ncen:login"), query_string=True)),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
