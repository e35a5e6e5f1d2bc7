from django.urls import path

from aircop.screening import views_hits

app_name = "hits"

urlpatterns = [
    path("", views_hits.queue, name="queue"),
    path("<int:hit_id>/", views_hits.hit_page, name="hit"),
    path("<int:hit_id>/confirm/", views_hits.confirm, name="confirm"),
    path("<int:hit_id>/dismiss/", views_hits.dismiss, name="dismiss"),
    path("<int:hit_id>/outcome/", views_hits.outcome, name="outcome"),
]
