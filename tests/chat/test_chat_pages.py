"""The chat pages: the portal's chat (which works without JavaScript too), the agents'
chat queue and chat page."""

import pytest
from django.urls import reverse

from tests import factories
from tests.chat.conftest import client_for
from tickets import services
from tickets.channels.chat import services as chat_services
from tickets.models import Channel, Status, Ticket

pytestmark = pytest.mark.django_db


def test_a_customer_starts_a_chat_from_the_portal_without_javascript(customer):
    client = client_for(customer)

    empty = client.get(reverse("portal:chat"))
    response = client.post(reverse("portal:chat"), {"body": "My order is late\nOrder 1234"})
    page = client.get(reverse("portal:chat"))

    assert empty.status_code == 200
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.subject, ticket.requester) == (
        Channel.CHAT,
        "My order is late",
        customer,
    )
    assert "Order 1234" in page.content.decode()
    assert f'data-chat-ticket="{ticket.pk}"' in page.content.decode()


def test_a_second_line_continues_the_same_chat(customer):
    client = client_for(customer)
    client.post(reverse("portal:chat"), {"body": "Hello"})
    client.post(reverse("portal:chat"), {"body": "Anyone?"})

    assert Ticket.objects.count() == 1
    assert list(Ticket.objects.get().messages.values_list("body", flat=True)) == [
        "Hello",
        "Anyone?",
    ]


def test_after_a_chat_is_solved_the_next_line_starts_a_new_one(customer, agent):
    first = chat_services.chat_say(actor=customer, body="Hello").ticket
    services.ticket_update(actor=agent, ticket=first, status=Status.SOLVED)

    client_for(customer).post(reverse("portal:chat"), {"body": "Another question"})

    assert Ticket.objects.filter(channel=Channel.CHAT).count() == 2


def test_an_empty_line_is_refused(customer):
    response = client_for(customer).post(reverse("portal:chat"), {"body": ""})

    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_agents_see_the_chats_waiting_for_them(agent, customer):
    chat_services.chat_say(actor=customer, body="Waiting here")
    taken = chat_services.chat_say(actor=factories.CustomerFactory(), body="Taken").ticket
    services.ticket_update(actor=agent, ticket=taken, assignee=agent)
    factories.TicketFactory(requester=customer, subject="An email ticket")

    page = client_for(agent).get(reverse("agent:chats")).content.decode()

    waiting_section, mine_section = page.split('id="mine-heading"')
    assert "Waiting here" in waiting_section
    assert "Taken" not in waiting_section
    assert "Taken" in mine_section
    assert "An email ticket" not in page


def test_the_chat_queue_refreshes_as_a_fragment_for_htmx(agent, customer):
    chat_services.chat_say(actor=customer, body="Waiting here")

    response = client_for(agent).get(reverse("agent:chats"), HTTP_HX_REQUEST="true")

    assert "Waiting here" in response.content.decode()
    assert "<html" not in response.content.decode()


def test_an_agent_picks_a_chat_up(agent, customer):
    chat = chat_services.chat_say(actor=customer, body="Help").ticket
    client = client_for(agent)

    page = client.get(reverse("agent:chat", args=[chat.pk]))
    response = client.post(reverse("agent:chat-pickup", args=[chat.pk]))

    assert page.status_code == 200
    assert "Pick up this chat" in page.content.decode()
    assert response.status_code == 302
    chat.refresh_from_db()
    assert chat.assignee == agent


def test_the_agent_chat_page_is_for_chats_only(agent, customer):
    ticket = factories.TicketFactory(requester=customer)

    response = client_for(agent).get(reverse("agent:chat", args=[ticket.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("name", ["agent:chats", "agent:chat"])
def test_customers_find_no_agent_chat_pages(customer, name):
    chat = chat_services.chat_say(actor=customer, body="Help").ticket
    args = [chat.pk] if name == "agent:chat" else []

    assert client_for(customer).get(reverse(name, args=args)).status_code == 404
    assert (
        client_for(customer).post(reverse("agent:chat-pickup", args=[chat.pk])).status_code == 404
    )


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("portal:chat"))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_ticket_page_links_a_chat_to_its_live_page(agent, customer):
    chat = chat_services.chat_say(actor=customer, body="Help").ticket

    page = client_for(agent).get(reverse("agent:ticket", args=[chat.pk])).content.decode()

    assert reverse("agent:chat", args=[chat.pk]) in page
