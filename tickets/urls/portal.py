from django.urls import path

from tickets.views import attachments, chat, portal

app_name = "portal"
urlpatterns = [
    path("", portal.ticket_list, name="tickets"),
    path("new/", portal.ticket_new, name="new"),
    path("tickets/<int:pk>/", portal.ticket_detail, name="ticket"),
    path("tickets/<int:pk>/reply/", portal.ticket_reply, name="reply"),
    path("tickets/<int:pk>/status/", portal.ticket_status, name="status"),
    path("attachments/<int:pk>/", attachments.attachment_download, name="attachment"),
    path("chat/", chat.portal_chat, name="chat"),
]
