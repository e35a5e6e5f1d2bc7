from django.urls import path, re_path

from aircop.analytics import views, views_programme

app_name = "analytics"

urlpatterns = [
    path("", views.seizures_dashboard, name="dashboard"),
    path("programme/", views_programme.programme_page, name="programme"),
    re_path(r"^programme\.(?P<fmt>html|pdf)$", views_programme.programme_report, name="programme_report"),
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
