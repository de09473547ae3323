from django.urls import path

from tickets.api import views

app_name = "tickets_api"

urlpatterns = [
    path("tickets/", views.TicketListView.as_view(), name="ticket-list"),
    path("tickets/<int:ticket_id>/", views.TicketDetailView.as_view(), name="ticket-detail"),
    path(
        "tickets/<int:ticket_id>/messages/",
        views.TicketMessageListView.as_view(),
        name="ticket-messages",
    ),
]
