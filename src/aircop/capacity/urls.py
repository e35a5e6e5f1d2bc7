from django.urls import path

from aircop.capacity import views, views_equipment, views_library, views_people

app_name = "capacity"

urlpatterns = [
    path("", views.activity_list, name="activities"),
    path("activities/new/", views.activity_new, name="activity_new"),
    path("activities/<int:activity_id>/", views.activity_detail, name="activity"),
    path("activities/<int:activity_id>/edit/", views.activity_edit, name="activity_edit"),
    path(
        "activities/<int:activity_id>/participants/add/", views_people.participant_add, name="participant_add"
    ),
    path(
        "activities/<int:activity_id>/participants/import/",
        views_people.participants_import,
        name="participants_import",
    ),
    path(
        "activities/<int:activity_id>/participants/<int:attendance_id>/remove/",
        views_people.participant_remove,
        name="participant_remove",
    ),
    path("participants/<int:participant_id>/", views_people.participant_detail, name="participant"),
    path("trainers/", views_people.trainer_list, name="trainers"),
    path("trainers/new/", views_people.trainer_new, name="trainer_new"),
    path("trainers/<int:trainer_id>/", views_people.trainer_detail, name="trainer"),
    path("trainers/<int:trainer_id>/edit/", views_people.trainer_edit, name="trainer_edit"),
    path("library/", views_library.library_list, name="library"),
    path("library/new/", views_library.document_new, name="document_new"),
    path("library/<int:document_id>/", views_library.document_detail, name="document"),
    path("library/<int:document_id>/edit/", views_library.document_edit, name="document_edit"),
    path("library/<int:document_id>/download/", views_library.document_download, name="document_download"),
    path("equipment/", views_equipment.equipment_list, name="equipment"),
    path("equipment/new/", views_equipment.equipment_new, name="equipment_new"),
    path("equipment/<int:equipment_id>/edit/", views_equipment.equipment_edit, name="equipment_edit"),
    path("equipment/unit/<slug:code>/", views_equipment.unit_equipment, name="unit_equipment"),
]
