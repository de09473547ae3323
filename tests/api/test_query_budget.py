"""Query budgets: the list endpoints cost the same with 10 rows as with 200.

Clients here use `force_authenticate`, so the counts leave out the one query
(two, at most once a minute) that token authentication adds to every request.
"""

import pytest

from tests import factories
from tickets import services

pytestmark = pytest.mark.django_db

# COUNT(*) for the page, the page of tickets with requester, assignee, team
# and organisation joined in, and one prefetch of the page's tags.
TICKET_LIST_QUERIES = 3

# The ticket (with its joins) and its tags, from the scoped selector; COUNT(*)
# for the page; the page of messages with authors joined in; one prefetch of
# their attachments.
MESSAGE_LIST_QUERIES = 5


def _tickets(n, *, customer, agent, team):
    tags = ["billing", "vip"]
    for _ in range(n):
        ticket = factories.TicketFactory(requester=customer, assignee=agent, team=team)
        ticket.tags.set(services._tags_for(tags))


@pytest.mark.parametrize("rows", [10, 200])
@pytest.mark.parametrize("viewer", ["agent", "customer"])
def test_the_ticket_list_runs_a_constant_number_of_queries(
    client_for, django_assert_num_queries, customer, agent, team, rows, viewer
):
    _tickets(rows, customer=customer, agent=agent, team=team)
    client = client_for({"agent": agent, "customer": customer}[viewer])

    with django_assert_num_queries(TICKET_LIST_QUERIES):
        response = client.get("/api/v1/tickets/", {"page_size": 100})

    assert len(response.json()["results"]) == min(rows, 100)


@pytest.mark.parametrize("rows", [10, 200])
@pytest.mark.parametrize("viewer", ["agent", "customer"])
def test_the_message_list_runs_a_constant_number_of_queries(
    client_for, django_assert_num_queries, customer, agent, ticket, rows, viewer, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    for i in range(rows - 1):  # the ticket already has its first message
        author, internal = (agent, i % 3 == 0) if i % 2 else (customer, False)
        services.message_add(
            actor=author,
            ticket=ticket,
            body=f"message {i}",
            internal=internal,
            attachments=[SimpleUploadedFile(f"{i}.txt", b"x")] if i % 5 == 0 else (),
        )
    client = client_for({"agent": agent, "customer": customer}[viewer])

    with django_assert_num_queries(MESSAGE_LIST_QUERIES):
        response = client.get(f"/api/v1/tickets/{ticket.pk}/messages/", {"page_size": 100})

    assert response.status_code == 200
    assert response.json()["results"]
