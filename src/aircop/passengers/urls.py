from django.urls import path

from aircop.passengers import views

app_name = "passengers"

urlpatterns = [
    path("", views.flight_list, name="flights"),
    path("flights/<int:flight_id>/", views.flight_detail, name="flight"),
    path("upload/", views.upload, name="upload"),
    path("upload/<int:task_id>/", views.upload_progress, name="upload_progress"),
    path("upload/<int:task_id>/status/", views.upload_status, name="upload_status"),
]
