from django.urls import path

from aircop.analytics import views

app_name = "analytics"

urlpatterns = [
    path("", views.seizures_dashboard, name="dashboard"),
]
