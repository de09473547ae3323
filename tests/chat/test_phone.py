"""Phone: agents log calls on a ticket or as a new one, through the services."""

import pytest
from django.urls import reverse

from tests import factories
from tests.chat.conftest import client_for
from tickets.channels.phone.services import call_log
from tickets.models import Channel, Message, Ticket, TicketEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(customer):
    return factories.TicketFactory(requester=customer, channel=Channel.EMAIL)


def call(direction="inbound", duration_minutes=12, summary="Explained the refund steps."):
    return {"direction": direction, "duration_minutes": duration_minutes, "summary": summary}


def test_an_agent_logs_a_call_on_the_ticket_page(
    agent, ticket, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(agent).post(
            reverse("agent:ticket-call", args=[ticket.pk]), call(direction="outbound")
        )

    assert response.status_code == 302
    message = ticket.messages.latest("id")
    assert (message.body, message.channel, message.internal, message.author) == (
        "Explained the refund steps.",
        Channel.PHONE,
        True,
        agent,
    )
    event = TicketEvent.objects.get(ticket=ticket, type="call.logged")
    assert event.actor == agent
    assert event.data == {"message_id": message.pk, "direction": "outbound", "duration_minutes": 12}
    assert mailoutbox == []  # the customer was on the phone: nothing is emailed


def test_the_ticket_page_offers_the_call_form(agent, ticket):
    page = client_for(agent).get(reverse("agent:ticket", args=[ticket.pk])).content.decode()

    assert reverse("agent:ticket-call", args=[ticket.pk]) in page


def test_a_bad_call_is_refused_with_the_reason(agent, ticket):
    client = client_for(agent)

    response = client.post(
        reverse("agent:ticket-call", args=[ticket.pk]), call(duration_minutes=-3), follow=True
    )

    assert "greater than or equal to 0" in response.content.decode()
    assert not TicketEvent.objects.filter(type="call.logged").exists()
    assert ticket.messages.count() == 1


def test_an_agent_logs_a_call_as_a_new_ticket_from_the_customer_page(agent, customer):
    response = client_for(agent).post(
        reverse("agent:customer-call", args=[customer.pk]),
        call() | {"ticket": "new", "subject": "Called about a refund"},
    )

    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.subject, ticket.channel, ticket.requester) == (
        "Called about a refund",
        Channel.PHONE,
        customer,
    )
    message = ticket.messages.get()
    assert (message.body, message.channel) == ("Explained the refund steps.", Channel.PHONE)
    assert TicketEvent.objects.get(type="call.logged").data["message_id"] == message.pk


def test_a_new_ticket_from_a_call_needs_a_subject(agent, customer):
    response = client_for(agent).post(
        reverse("agent:customer-call", args=[customer.pk]), call() | {"ticket": "new"}
    )

    assert response.status_code == 400
    assert "A new ticket needs a subject." in response.content.decode()
    assert not Ticket.objects.exists()


def test_an_agent_logs_a_call_on_one_of_the_customers_tickets_from_their_page(
    agent, customer, ticket
):
    client_for(agent).post(
        reverse("agent:customer-call", args=[customer.pk]), call() | {"ticket": str(ticket.pk)}
    )

    assert ticket.messages.filter(channel=Channel.PHONE).count() == 1


def test_the_customer_page_offers_only_their_own_open_tickets(agent, customer, ticket):
    someone_elses = factories.TicketFactory()

    response = client_for(agent).post(
        reverse("agent:customer-call", args=[customer.pk]),
        call() | {"ticket": str(someone_elses.pk)},
    )

    assert response.status_code == 400
    assert not Message.objects.filter(channel=Channel.PHONE).exists()


def test_customers_cannot_log_calls(customer, ticket):
    client = client_for(customer)

    on_ticket = client.post(reverse("agent:ticket-call", args=[ticket.pk]), call())
    on_page = client.post(
        reverse("agent:customer-call", args=[customer.pk]),
        call() | {"ticket": "new", "subject": "x"},
    )

    assert (on_ticket.status_code, on_page.status_code) == (404, 404)
    assert not TicketEvent.objects.filter(type="call.logged").exists()


def test_the_service_refuses_customers_and_bad_values(customer, agent, ticket):
    from helpdesk.errors import ApplicationError, PermissionDenied

    with pytest.raises(PermissionDenied):
        call_log(actor=customer, ticket=ticket, **call())
    with pytest.raises(ApplicationError):
        call_log(actor=agent, ticket=ticket, **call(direction="sideways"))
    with pytest.raises(ApplicationError):
        call_log(actor=agent, ticket=ticket, **call(duration_minutes=True))
    with pytest.raises(ApplicationError):
        call_log(actor=agent, requester=agent, subject="x", **call())
    assert not TicketEvent.objects.filter(type="call.logged").exists()
