from django.urls import path

from tickets.channels.phone import views as phone
from tickets.views import agent, attachments, chat, customers

app_name = "agent"
urlpatterns = [
    path("", agent.queue, name="queue"),
    path("tickets/<int:pk>/", agent.ticket_detail, name="ticket"),
    path("tickets/<int:pk>/reply/", agent.ticket_reply, name="reply"),
    path("tickets/<int:pk>/update/", agent.ticket_update, name="update"),
    path("tickets/<int:pk>/calls/", phone.call_log_on_ticket, name="ticket-call"),
    path("attachments/<int:pk>/", attachments.attachment_download, name="attachment"),
    path("chats/", chat.agent_chats, name="chats"),
    path("chats/<int:pk>/", chat.agent_chat, name="chat"),
    path("chats/<int:pk>/pickup/", chat.agent_chat_pickup, name="chat-pickup"),
    path("customers/<int:pk>/", customers.customer_detail, name="customer"),
    path("customers/<int:pk>/calls/", phone.call_log_for_customer, name="customer-call"),
]
