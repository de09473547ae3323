from django.urls import path

from tickets.consumers import AgentConsumer, ChatConsumer

websocket_urlpatterns = [
    path("ws/agent/", AgentConsumer.as_asgi()),
    path("ws/chat/", ChatConsumer.as_asgi()),
]
