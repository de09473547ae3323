from django.urls import path

from tickets.views import agent, attachments

app_name = "agent"
urlpatterns = [
    path("", agent.queue, name="queue"),
    path("tickets/<int:pk>/", agent.ticket_detail, name="ticket"),
    path("tickets/<int:pk>/reply/", agent.ticket_reply, name="reply"),
    path("tickets/<int:pk>/update/", agent.ticket_update, name="update"),
    path("attachments/<int:pk>/", attachments.attachment_download, name="attachment"),
]
