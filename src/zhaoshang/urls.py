from django.contrib.auth import views as auth_views
from django.urls import include, path

from zhaoshang.api.urls import api
from zhaoshang.core import pickers
from zhaoshang.core import views as core_views
from zhaoshang.dashboard import views as dashboard_views
from zhaoshang.org import views as org_views
from zhaoshang.org import views_security as org_security_views

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", org_views.account, name="account"),
    # Account security: forced password change, two-factor set-up and the code after the password.
    path("accounts/password/", org_security_views.password_change, name="password-change"),
    path("accounts/notifications/", core_views.notification_preferences, name="notification-preferences"),
    path("accounts/2fa/", org_security_views.two_factor, name="two-factor"),
    path("accounts/2fa/verify/", org_security_views.two_factor_verify, name="two-factor-verify"),
    path("org/", include("zhaoshang.org.urls")),
    path("enterprises/", include("zhaoshang.core.urls_imports")),
    path("enterprises/", include("zhaoshang.enterprises.urls")),
    path("evaluation/", include("zhaoshang.evaluation.urls")),
    path("projects/library/", include("zhaoshang.promotion.urls")),
    path("projects/", include("zhaoshang.projects.urls")),
    path("chains/", include("zhaoshang.chains.urls")),
    path("outreach/", include("zhaoshang.outreach.urls")),
    path("audit/", core_views.audit_log, name="audit-log"),
    path("audit/verify/", core_views.audit_verify, name="audit-verify"),
    path("jobs/<int:pk>/", core_views.job_detail, name="job-detail"),
    path("jobs/<int:pk>/progress/", core_views.job_progress, name="job-progress"),
    path("notifications/", core_views.inbox, name="inbox"),
    path("notifications/read/", core_views.inbox_mark_read, name="inbox-mark-read"),
    path("notifications/<int:pk>/", core_views.open_notification, name="notification-open"),
    path("healthz", core_views.healthz, name="healthz"),
    path("industries/options/", pickers.industry_options, name="industry-options"),
    path("api/", api.urls),
]

handler403 = "zhaoshang.core.views.permission_denied"
