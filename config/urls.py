from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from cases import views as case_views
from common import views as common_views
from organisations import views as organisation_views

admin.site.site_header = "枫桥 管理后台"
admin.site.site_title = "枫桥"

urlpatterns = [
    path("", organisation_views.home, name="home"),
    path("healthz", common_views.healthz, name="healthz"),
    path("approvals/", common_views.approvals, name="approvals"),
    path("favicon.ico", common_views.favicon, name="favicon"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("organisations/", include("organisations.urls")),
    path("audit/", include("audit.urls")),
    path("cases/", include("cases.urls_reports")),
    path("deadlines/", include("deadlines.urls")),
    path("notifications/", include("notifications.urls")),
    path("jobs/", include("jobs.urls")),
    path("cases/", include("cases.urls")),
    path("mediation/", include("mediation.urls")),
    path("enforcement/", include("enforcement.urls")),
    path("credit/", include("credit.urls")),
    # the public credit lookup (公示查询): no login, challenge and rate limits
    path("gs/", include("credit.public.urls")),
    path("r/<str:token>/", case_views.rate, name="rate"),
    path("", include("documents.urls")),
    path("api/", include("config.api_router")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
]

# No /media/ route in any environment: uploaded files are served only by views that check
# scope and audit the read (cases:attachment_download, through common.downloads).

handler400 = "common.views.bad_request"
handler403 = "common.views.permission_denied"
handler404 = "common.views.page_not_found"
handler500 = "common.views.server_error"
