from django.urls import path

from aircop.screening import views_check

app_name = "check"
urlpatterns = [path("", views_check.check_page, name="check")]
