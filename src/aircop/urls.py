from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from django.views.i18n import set_language

from aircop.api import api
from aircop.messaging import files
from aircop.web.views.monitoring import healthz, metrics_view

# The admin signs in through our two-step sign-in, never through its own form.
admin.site.login = login_not_required(RedirectView.as_view(pattern_name="web:login", query_string=True))
admin.site.site_header = _("AIRCOP administration")
admin.site.site_title = "AIRCOP"

# A failure of the database or the file store is answered 503 / 507 with Retry-After, not 500.
handler500 = "aircop.core.failures.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics_view, name="metrics"),
    path("api/v1/", api.urls),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("files/attachments/<int:attachment_id>/", files.download, name="attachment_download"),
    path("files/attachments/<int:attachment_id>/thumbnail/", files.thumbnail, name="attachment_thumbnail"),
    path("alerts/", include("aircop.messaging.urls")),
    path("seizures/", include("aircop.seizures.urls")),
    path("analytics/", include("aircop.analytics.urls")),
    path("passengers/", include("aircop.passengers.urls")),
    path("watchlists/", include("aircop.screening.urls")),
    path("hits/", include("aircop.screening.urls_hits")),
    path("check/", include("aircop.screening.urls_check")),
    path("rules/", include("aircop.screening.urls_rules")),
    path("operations/", include("aircop.operations.urls")),
    path("capacity/", include("aircop.capacity.urls")),
    path("", include("aircop.web.urls")),
]
