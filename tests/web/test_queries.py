"""Query budgets: list and ticket pages run a constant number of queries as rows grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.web.conftest import upload
from tickets import services
from tickets.models import Tag

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def make_queue_tickets(n, *, agent, team, requesters, tags):
    for i in range(n):
        ticket = factories.TicketFactory(
            requester=requesters[i % len(requesters)], assignee=agent, team=team
        )
        ticket.tags.set(tags)


# The queue page: session, user, COUNT for the paginator, the page of tickets
# (with requester, assignee, team and organisation joined), their tags (one
# prefetch query) = 5, whatever the number of tickets.
QUEUE_BUDGET = 5


@pytest.mark.parametrize("view", ["open", "mine", "team", "recent"])
def test_the_queue_runs_the_same_queries_for_10_and_200_tickets(
    agent_client, agent, team, django_assert_max_num_queries, view
):
    requesters = factories.CustomerFactory.create_batch(5)
    tags = [Tag.objects.create(name="vip"), Tag.objects.create(name="refund")]
    url = reverse("agent:queue") + f"?view={view}&sort=priority&priority=normal"

    make_queue_tickets(10, agent=agent, team=team, requesters=requesters, tags=tags)
    with_10 = count_queries(agent_client, url)
    make_queue_tickets(190, agent=agent, team=team, requesters=requesters, tags=tags)
    with_200 = count_queries(agent_client, url)

    assert with_10 == with_200
    with django_assert_max_num_queries(QUEUE_BUDGET):
        agent_client.get(url)


# The portal list: session, user, COUNT, the page of tickets (the tags
# prefetch of the shared list selector adds one) = 5.
PORTAL_BUDGET = 5


def test_the_portal_list_runs_the_same_queries_for_10_and_200_tickets(
    customer_client, customer, django_assert_max_num_queries
):
    url = reverse("portal:tickets")

    factories.TicketFactory.create_batch(10, requester=customer)
    with_10 = count_queries(customer_client, url)
    factories.TicketFactory.create_batch(190, requester=customer)
    with_200 = count_queries(customer_client, url)

    assert with_10 == with_200
    with django_assert_max_num_queries(PORTAL_BUDGET):
        customer_client.get(url)


def grow_conversation(ticket, *, customer, agent, team, rounds):
    for i in range(rounds):
        services.message_add(
            actor=customer, ticket=ticket, body=f"Question {i}", attachments=[upload(f"q{i}.txt")]
        )
        services.message_add(actor=agent, ticket=ticket, body=f"Answer {i}")
        services.message_add(actor=agent, ticket=ticket, body=f"Note {i}", internal=True)
        services.ticket_update(
            actor=agent,
            ticket=ticket,
            assignee=agent if i % 2 else None,
            team=team if i % 2 else None,
            tags=[f"round-{i}"],
        )


# The agent ticket page: session, user, the ticket (+ its tags), messages (+
# their attachments), events, the people and teams events name (one each),
# the customer's other tickets, the assignee and team choices = 12; plus the
# panels other apps register (SLA: the ticket's clock and its targets, 2;
# recovery: the ticket's open case with this customer's history, 1, and its
# playbook steps when there is a case, 1; knowledge base: suggested articles,
# 1 on SQLite's search fallback, 2 on PostgreSQL's probe + ranked query)
# = 18 at most, however long the conversation.
AGENT_TICKET_BUDGET = 18


def test_the_agent_ticket_page_runs_the_same_queries_however_long_the_timeline(
    agent_client, agent, customer, team, ticket, django_assert_max_num_queries
):
    url = reverse("agent:ticket", args=[ticket.pk])

    grow_conversation(ticket, customer=customer, agent=agent, team=team, rounds=2)
    short = count_queries(agent_client, url)
    grow_conversation(ticket, customer=customer, agent=agent, team=team, rounds=20)
    long = count_queries(agent_client, url)

    assert short == long
    with django_assert_max_num_queries(AGENT_TICKET_BUDGET):
        agent_client.get(url)


# The portal ticket page: session, user, the ticket (+ its tags), messages (+
# their attachments) = 6; customers see no events.
PORTAL_TICKET_BUDGET = 6


def test_the_portal_ticket_page_runs_the_same_queries_however_long_the_timeline(
    customer_client, agent, customer, team, ticket, django_assert_max_num_queries
):
    url = reverse("portal:ticket", args=[ticket.pk])

    grow_conversation(ticket, customer=customer, agent=agent, team=team, rounds=2)
    short = count_queries(customer_client, url)
    grow_conversation(ticket, customer=customer, agent=agent, team=team, rounds=20)
    long = count_queries(customer_client, url)

    assert short == long
    with django_assert_max_num_queries(PORTAL_TICKET_BUDGET):
        customer_client.get(url)
