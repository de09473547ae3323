"""One timeline per customer: every ticket and contact, across channels, for staff only."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.chat.conftest import client_for
from tickets.channels.phone.services import call_log
from tickets.models import Channel, Message

pytestmark = pytest.mark.django_db


def contact(ticket, *, author, body, channel, minutes_ago, internal=False):
    return Message.objects.create(
        ticket=ticket,
        author=author,
        body=body,
        channel=channel,
        internal=internal,
        created_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


@pytest.fixture
def history(customer, agent):
    """A customer who wrote by email, chatted, texted and was called."""
    email = factories.TicketFactory(
        requester=customer, channel=Channel.EMAIL, subject="Broken blender", first_message="x"
    )
    Message.objects.filter(ticket=email).delete()
    contact(email, author=customer, body="It arrived cracked", channel="email", minutes_ago=50)
    contact(email, author=agent, body="Sorry! A new one", channel="web", minutes_ago=40)
    chat = factories.TicketFactory(requester=customer, channel=Channel.CHAT, subject="Chat")
    Message.objects.filter(ticket=chat).delete()
    contact(chat, author=customer, body="Live question", channel="chat", minutes_ago=30)
    sms = factories.TicketFactory(requester=customer, channel=Channel.SMS, subject="Text")
    Message.objects.filter(ticket=sms).delete()
    contact(sms, author=customer, body="Texted question", channel="sms", minutes_ago=20)
    call_log(
        actor=agent,
        ticket=email,
        direction="outbound",
        duration_minutes=7,
        summary="Called to confirm the address",
    )
    return email


def test_staff_see_every_contact_newest_first_with_its_channel(agent, customer, history):
    page = client_for(agent).get(reverse("agent:customer", args=[customer.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    order = [
        "Called to confirm the address",
        "Texted question",
        "Live question",
        "Sorry! A new one",
        "It arrived cracked",
    ]
    positions = [html.index(body) for body in order]
    assert positions == sorted(positions)
    for channel in ('data-channel="phone"', 'data-channel="sms"', 'data-channel="chat"'):
        assert channel in html
    assert "Outbound call" in html and "7 minutes" in html
    assert "Broken blender" in html  # the tickets list


def test_someone_elses_contacts_are_not_on_the_page(agent, customer, history, other_customer):
    theirs = factories.TicketFactory(requester=other_customer, first_message="Not yours")

    html = client_for(agent).get(reverse("agent:customer", args=[customer.pk])).content.decode()

    assert "Not yours" not in html
    assert theirs.subject not in html


def test_customers_find_nothing(customer, other_customer):
    assert client_for(customer).get(reverse("agent:customer", args=[customer.pk])).status_code == (
        404
    )
    assert client_for(other_customer).get(
        reverse("agent:customer", args=[customer.pk])
    ).status_code == (404)


def test_anonymous_visitors_are_sent_to_log_in(client, customer):
    url = reverse("agent:customer", args=[customer.pk])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_only_customers_have_a_customer_page(agent, manager):
    assert client_for(agent).get(reverse("agent:customer", args=[manager.pk])).status_code == 404
    assert client_for(agent).get(reverse("agent:customer", args=[999_999])).status_code == 404


def test_the_ticket_page_links_the_requester_to_their_timeline(agent, customer):
    ticket = factories.TicketFactory(requester=customer)

    html = client_for(agent).get(reverse("agent:ticket", args=[ticket.pk])).content.decode()

    assert f'href="{reverse("agent:customer", args=[customer.pk])}"' in html


def test_contacts_are_paginated(agent, customer):
    ticket = factories.TicketFactory(requester=customer, first_message="Oldest")
    for i in range(30):
        contact(ticket, author=customer, body=f"Line {i}", channel="web", minutes_ago=-i)

    client = client_for(agent)
    first = client.get(reverse("agent:customer", args=[customer.pk])).content.decode()
    second = client.get(reverse("agent:customer", args=[customer.pk]) + "?page=2")

    assert "Line 29" in first and "Oldest" not in first
    assert "Oldest" in second.content.decode()


def make_contacts(customer, agent, n):
    tickets = [
        factories.TicketFactory(requester=customer, channel=channel)
        for channel in (Channel.EMAIL, Channel.CHAT, Channel.SMS)
    ]
    for i in range(n):
        ticket = tickets[i % 3]
        if i % 5 == 0:
            call_log(
                actor=agent, ticket=ticket, direction="inbound", duration_minutes=i, summary="C"
            )
        else:
            author = customer if i % 2 else agent
            contact(ticket, author=author, body=f"#{i}", channel=ticket.channel, minutes_ago=i)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# The customer page: session, user, the customer (+ organisation), their
# tickets (+ assignee), the COUNT for the paginator, one page of contacts
# (+ ticket and author), the call details of the page's calls = 7, however
# many contacts and tickets they have.
CUSTOMER_PAGE_BUDGET = 7


def test_the_customer_page_runs_the_same_queries_for_10_and_100_contacts(
    agent, customer, django_assert_max_num_queries
):
    client = client_for(agent)
    url = reverse("agent:customer", args=[customer.pk])

    make_contacts(customer, agent, 10)
    few = count_queries(client, url)
    make_contacts(customer, agent, 90)
    many = count_queries(client, url)

    assert few == many
    with django_assert_max_num_queries(CUSTOMER_PAGE_BUDGET):
        client.get(url)
