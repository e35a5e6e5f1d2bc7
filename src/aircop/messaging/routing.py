from django.urls import path

from aircop.messaging.consumers import EventsConsumer

websocket_urlpatterns = [path("ws/events", EventsConsumer.as_asgi())]
