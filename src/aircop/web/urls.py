from django.urls import path

from aircop.web.views import auth, pages

app_name = "web"

urlpatterns = [
    path("", pages.home, name="home"),
    path("login/", auth.login_view, name="login"),
    path("login/verify/", auth.verify_view, name="login-verify"),
    path("login/enrol/", auth.enrol_view, name="login-enrol"),
    path("logout/", auth.logout_view, name="logout"),
    path("network/", pages.directory, name="directory"),
    path("network/units/<slug:code>/", pages.unit_detail, name="unit"),
    path("network/units/<slug:code>/members/", pages.unit_members, name="unit-members"),
    path("account/", pages.account, name="account"),
    path("account/tokens/<int:token_id>/revoke/", pages.revoke_token, name="revoke-token"),
    path("audit/", pages.audit_log, name="audit"),
]
