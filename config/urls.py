from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config.api import router
from guanjia.intake.api import HotlineTranscriptView, OwnerRequestView, device_webhook
from guanjia.org.api import TokenLogin

admin.site.site_header = _("管家 Guanjia 管理后台")
admin.site.site_title = _("管家 Guanjia")
admin.site.index_title = _("物业客服管理")

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/requests/", OwnerRequestView.as_view(), name="owner-requests"),
    path("api/v1/hotline/transcripts/", HotlineTranscriptView.as_view(), name="hotline-transcripts"),
    path("api/v1/", include(router.urls)),
    path("channels/iot/<slug:estate_code>/", device_webhook, name="device-webhook"),
    path("channels/wechat/", include("guanjia.intake.wechat.urls")),
    path("intake/", include("guanjia.intake.urls")),
    path("intake/mail/", include("guanjia.intake.email.urls")),
    path("api/v1/auth/token/", TokenLogin.as_view(), name="api-token"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("tickets/", include("guanjia.tickets.urls")),
    path("", include("guanjia.web.urls")),
]
