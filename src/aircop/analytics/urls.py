from django.urls import path, re_path

from aircop.analytics import views

app_name = "analytics"

urlpatterns = [
    path("", views.seizures_dashboard, name="dashboard"),
    re_path(r"^reports/strategic\.(?P<fmt>html|pdf)$", views.strategic_report, name="report_strategic"),
    re_path(
        r"^reports/seizure/(?P<seizure_id>[0-9]+)\.(?P<fmt>html|pdf)$",
        views.seizure_report,
        name="report_seizure",
    ),
    re_path(
        r"^reports/alert/(?P<alert_id>[0-9]+)\.(?P<fmt>html|pdf)$", views.alert_report, name="report_alert"
    ),
]
