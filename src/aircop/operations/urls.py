from django.urls import path, re_path

from aircop.operations import views, views_results, views_sitreps

app_name = "operations"

urlpatterns = [
    path("", views.operation_list, name="list"),
    path("new/", views.create, name="new"),
    path("<slug:name>/", views.detail, name="detail"),
    path("<slug:name>/edit/", views.edit, name="edit"),
    path("<slug:name>/live/", views.live, name="live"),
    path("<slug:name>/sitreps/", views_sitreps.sitreps, name="sitreps"),
    path("<slug:name>/sitreps/file/", views_sitreps.file, name="file"),
    path("<slug:name>/missing/", views_sitreps.missing, name="missing"),
    path("<slug:name>/results/", views_results.results, name="results"),
    re_path(r"^(?P<name>[-a-z0-9]+)/report\.(?P<fmt>html|pdf)$", views_results.report_view, name="report"),
]
