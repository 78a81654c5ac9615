from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from guwen.accounts.views import home
from guwen.api import api
from guwen.core.views import favicon, healthz

admin.site.site_header = _("顾问 · 系统管理")
admin.site.site_title = _("顾问")
admin.site.index_title = _("系统管理")

urlpatterns = [
    # The API first: public intake is the hottest route, and Django tries patterns in order.
    path("api/v1/", api.urls),
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("accounts/", include("guwen.accounts.urls")),
    path("", include("guwen.accounts.directory.urls")),
    path("", include("guwen.notifications.urls")),
    path("", include("guwen.knowledge.urls")),
    path("", include("guwen.duty.urls")),
    path("", include("guwen.consultations.urls")),
    path("", include("guwen.mediation.urls")),
    path("", include("guwen.outreach.urls")),
    path("", include("guwen.subsidy.urls")),
    path("", include("guwen.reports.urls")),
    path("", include("guwen.evaluation.urls")),
    path("admin/", admin.site.urls),
]
