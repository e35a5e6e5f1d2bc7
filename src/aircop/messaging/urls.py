from django.urls import path

from aircop.messaging import views

app_name = "messaging"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("new/", views.compose, name="compose"),
    path("<int:alert_id>/", views.alert_page, name="alert"),
    path("<int:alert_id>/ack/", views.acknowledge, name="ack"),
    path("<int:alert_id>/update/", views.update, name="update"),
    path("<int:alert_id>/reply/", views.reply, name="reply"),
    path("<int:alert_id>/outcome/", views.outcome, name="outcome"),
    path("<int:alert_id>/forward/", views.forward, name="forward"),
    path("<int:alert_id>/attachments/", views.attach, name="attach"),
    path("<int:alert_id>/forward/<int:request_id>/decide/", views.decide, name="decide"),
]
