from django.urls import path

from aircop.screening import views_rules as views

app_name = "rules"

urlpatterns = [
    path("", views.rule_list, name="list"),
    path("new/", views.rule_new, name="new"),
    path("<slug:name>/", views.rule_detail, name="rule"),
    path("<slug:name>/edit/", views.rule_edit, name="edit"),
    path("<slug:name>/versions/", views.version_new, name="version_new"),
    path("<slug:name>/versions/<int:number>/test/", views.version_test, name="test"),
    path("<slug:name>/activate/", views.activate, name="activate"),
    path("<slug:name>/deactivate/", views.deactivate, name="deactivate"),
]
