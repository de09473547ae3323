from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from helpdesk import views

api_v1 = [
    path("auth/", include("accounts.api.urls")),
    path("", include("tickets.api.urls")),
    path("kb/", include("knowledge_base.api.urls")),
    path("recovery/", include("recovery.api.urls")),
    path("surveys/", include("surveys.api.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("accounts/", include("accounts.urls")),
    path("portal/", include("tickets.urls.portal")),
    path("agent/", include("tickets.urls.agent")),
    path("hooks/sms/", include("tickets.channels.sms.urls")),
    path("hooks/", include("tickets.urls.hooks")),
    path("kb/", include("knowledge_base.urls")),
    path("surveys/", include("surveys.urls")),
    path("manager/sla/", include("sla.urls")),
    path("manager/surveys/", include("surveys.manager_urls")),
    path("manager/", include("recovery.urls")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include(api_v1)),
]

handler400 = "helpdesk.views.bad_request"
handler403 = "helpdesk.views.permission_denied"
handler404 = "helpdesk.views.page_not_found"
handler500 = "helpdesk.views.server_error"
