from django.urls import path

from aircop.seizures import views, views_import

app_name = "seizures"

urlpatterns = [
    path("", views.seizure_list, name="list"),
    path("new/", views.seizure_new, name="new"),
    path("import/", views_import.import_start, name="import"),
    path("import/<int:task_id>/", views_import.import_progress, name="import_progress"),
    path("import/<int:task_id>/status/", views_import.import_status, name="import_status"),
    path("<int:seizure_id>/", views.seizure_detail, name="detail"),
    path("<int:seizure_id>/edit/", views.seizure_edit, name="edit"),
    path("<int:seizure_id>/submit/", views.seizure_submit, name="submit"),
    path("<int:seizure_id>/validate/", views.seizure_validate, name="validate"),
    path("<int:seizure_id>/reopen/", views.seizure_reopen, name="reopen"),
    path("<int:seizure_id>/photos/", views.photo_add, name="photo_add"),
    path("photos/<int:photo_id>/", views.photo_file, name="photo"),
    path("photos/<int:photo_id>/thumbnail/", views.photo_thumbnail, name="photo_thumbnail"),
]
