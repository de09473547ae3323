"""The ticket API through HTTP: filing, reading, access and changes.

Three people are involved throughout: the owner customer (`customer`),
an outsider (`other_customer`) and a member of staff (`agent`), plus a
`manager` and an organisation `colleague` where sharing matters.
"""

import pytest
from django.urls import reverse

from accounts.models import Role, User
from tests import factories
from tickets import services
from tickets.models import Message, Status, TicketEvent

pytestmark = pytest.mark.django_db

LIST = "/api/v1/tickets/"


def detail(ticket) -> str:
    return f"/api/v1/tickets/{ticket.pk}/"


def messages_of(ticket) -> str:
    return f"/api/v1/tickets/{ticket.pk}/messages/"


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


# --- filing -------------------------------------------------------------------------


def test_it_lets_a_customer_file_a_ticket(client_for, customer):
    response = client_for(customer).post(
        LIST, {"subject": "Printer on fire", "body": "It smokes."}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert body["reference"] == f"HD-{body['id']}"
    assert body["subject"] == "Printer on fire"
    assert body["status"] == Status.NEW
    assert body["priority"] == "normal"
    assert body["category"] == "general"
    assert body["channel"] == "api"
    assert body["requester"] == "customer@example.com"
    assert body["assignee"] is None
    assert body["url"] == f"http://testserver/api/v1/tickets/{body['id']}/"
    assert {"created_at", "updated_at"} <= set(body)
    first = Message.objects.get(ticket_id=body["id"])
    assert (first.body, first.author, first.internal) == ("It smokes.", customer, False)


def test_it_refuses_anonymous_requests(api_client, ticket):
    assert api_client.get(LIST).status_code == 401
    assert api_client.get(detail(ticket)).status_code == 401
    assert api_client.post(LIST, {"subject": "x", "body": "y"}, format="json").status_code == 401


@pytest.mark.parametrize(
    "extra",
    [
        {"priority": "urgent"},
        {"category": "billing"},
        {"tags": ["vip"]},
        {"channel": "phone"},
        {"requester_name": "Someone"},
    ],
)
def test_it_refuses_triage_fields_from_customers(client_for, customer, extra):
    response = client_for(customer).post(
        LIST, {"subject": "Help", "body": "Please", **extra}, format="json"
    )

    assert response.status_code == 403
    assert not customer.requested_tickets.exists()


def test_it_refuses_a_customer_filing_for_someone_else(client_for, customer):
    response = client_for(customer).post(
        LIST,
        {"subject": "Help", "body": "Please", "requester": "victim@example.net"},
        format="json",
    )

    assert response.status_code == 403
    assert not User.objects.filter(email="victim@example.net").exists()


def test_it_lets_a_customer_name_themselves_as_requester(client_for, customer):
    response = client_for(customer).post(
        LIST,
        {"subject": "Help", "body": "Please", "requester": "Customer@Example.com"},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["requester"] == customer.email


def test_it_creates_the_customer_when_an_agent_files_for_an_unknown_address(client_for, agent):
    response = client_for(agent).post(
        LIST,
        {
            "subject": "Charged twice",
            "body": "Caller says order 1234 was charged twice.",
            "requester": "New.Person@Example.net",
            "requester_name": "New Person",
            "priority": "high",
            "category": "overcharge",
            "channel": "phone",
            "tags": ["refund", "Phone Call"],
        },
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    created = User.objects.get(email="new.person@example.net")
    assert (created.role, created.full_name, created.has_usable_password()) == (
        Role.CUSTOMER,
        "New Person",
        False,
    )
    assert body["requester"] == "new.person@example.net"
    assert body["requester_name"] == "New Person"
    assert (body["priority"], body["category"], body["channel"]) == ("high", "overcharge", "phone")
    assert body["tags"] == ["phone-call", "refund"]
    event = TicketEvent.objects.get(ticket_id=body["id"], type="ticket.created")
    assert event.actor == agent


def test_it_files_for_an_existing_customer_without_creating_another(client_for, agent, customer):
    response = client_for(agent).post(
        LIST,
        {"subject": "Follow-up", "body": "Called back.", "requester": "CUSTOMER@example.com"},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["requester"] == customer.email
    assert User.objects.filter(email__iexact="customer@example.com").count() == 1


def test_it_accepts_attachments_when_filing_with_multipart(client_for, customer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 fake", content_type="application/pdf")

    response = client_for(customer).post(
        LIST, {"subject": "Receipt", "body": "See attached.", "attachments": [upload]}
    )

    assert response.status_code == 201
    first = Message.objects.get(ticket_id=response.json()["id"])
    assert [(a.filename, a.size) for a in first.attachments.all()] == [("receipt.pdf", 13)]


# --- reading and access -----------------------------------------------------------


def test_it_lists_only_what_each_person_may_see(
    client_for, customer, other_customer, agent, manager
):
    mine = factories.TicketFactory(requester=customer)
    theirs = factories.TicketFactory(requester=other_customer)

    assert ids(client_for(customer).get(LIST)) == [mine.pk]
    assert ids(client_for(other_customer).get(LIST)) == [theirs.pk]
    assert set(ids(client_for(agent).get(LIST))) == {mine.pk, theirs.pk}
    assert set(ids(client_for(manager).get(LIST))) == {mine.pk, theirs.pk}


def test_it_paginates_the_list(client_for, agent, customer):
    factories.TicketFactory.create_batch(3, requester=customer)

    response = client_for(agent).get(LIST, {"page_size": 2})

    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"].startswith("http://testserver/api/v1/tickets/?")
    assert body["previous"] is None


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", detail),
        ("patch", detail),
        ("get", messages_of),
        ("post", messages_of),
    ],
)
def test_it_answers_404_for_another_customers_ticket(
    client_for, other_customer, ticket, method, path
):
    payload = {"status": "solved"} if method == "patch" else {"body": "Let me in"}

    response = getattr(client_for(other_customer), method)(path(ticket), payload, format="json")

    assert response.status_code == 404
    assert set(response.json()) == {"detail"}
    assert ticket.subject not in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW
    assert ticket.messages.count() == 1


def test_it_answers_404_for_a_ticket_that_does_not_exist(client_for, agent):
    assert client_for(agent).get("/api/v1/tickets/999999/").status_code == 404
    assert client_for(agent).get("/api/v1/tickets/99999999999999999999999/").status_code == 404


def test_it_shows_shared_organisation_tickets_to_colleagues(
    client_for, customer, colleague, ticket
):
    customer.organisation.shares_tickets = True
    customer.organisation.save(update_fields=["shares_tickets"])

    assert client_for(colleague).get(detail(ticket)).status_code == 200
    assert ids(client_for(colleague).get(LIST)) == [ticket.pk]
    assert client_for(colleague).get(messages_of(ticket)).status_code == 200


def test_it_keeps_tickets_private_when_the_organisation_does_not_share(
    client_for, colleague, ticket
):
    assert client_for(colleague).get(detail(ticket)).status_code == 404
    assert ids(client_for(colleague).get(LIST)) == []


def test_it_shows_customers_staff_by_name_and_hides_staff_only_fields(
    client_for, customer, agent, team, ticket
):
    services.ticket_update(actor=agent, ticket=ticket, assignee=agent, team=team, tags=["vip"])

    as_customer = client_for(customer).get(detail(ticket)).json()
    as_agent = client_for(agent).get(detail(ticket)).json()

    assert as_customer["assignee"] == "Alex Agent"
    assert as_customer["assignee_name"] == "Alex Agent"
    assert not {"team", "tags", "handoff_count"} & set(as_customer)
    assert as_agent["assignee"] == "agent@example.com"
    assert (as_agent["team"], as_agent["tags"], as_agent["handoff_count"]) == (
        "Support",
        ["vip"],
        0,
    )


# --- changing -------------------------------------------------------------------------


def test_it_lets_an_agent_change_a_ticket(client_for, agent, manager, team, ticket):
    response = client_for(agent).patch(
        detail(ticket),
        {
            "subject": "Printer on fire (2nd floor)",
            "status": "pending",
            "priority": "urgent",
            "category": "defective_product",
            "assignee": "MANAGER@example.com",
            "team": "support",
            "tags": ["hardware", "fire"],
        },
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert body["subject"] == "Printer on fire (2nd floor)"
    assert (body["status"], body["priority"], body["category"]) == (
        "pending",
        "urgent",
        "defective_product",
    )
    assert (body["assignee"], body["team"], body["tags"]) == (
        manager.email,
        "Support",
        ["fire", "hardware"],
    )
    types = set(TicketEvent.objects.filter(ticket=ticket).values_list("type", flat=True))
    assert {
        "ticket.subject_changed",
        "ticket.status_changed",
        "ticket.priority_changed",
        "ticket.category_changed",
        "ticket.assigned",
        "ticket.team_changed",
        "ticket.tags_changed",
    } <= types


def test_it_unassigns_with_null(client_for, agent, ticket):
    services.ticket_update(actor=agent, ticket=ticket, assignee=agent)

    response = client_for(agent).patch(detail(ticket), {"assignee": None}, format="json")

    assert response.status_code == 200
    assert response.json()["assignee"] is None


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"assignee": "nobody@example.com"}, "assignee"),
        ({"assignee": "customer@example.com"}, "assignee"),
        ({"team": "No such team"}, "team"),
    ],
)
def test_it_answers_400_for_unknown_people_and_teams(client_for, agent, ticket, payload, field):
    response = client_for(agent).patch(detail(ticket), payload, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_it_lets_a_customer_solve_and_reopen_their_ticket(client_for, customer, ticket):
    client = client_for(customer)

    solved = client.patch(detail(ticket), {"status": "solved"}, format="json")
    reopened = client.patch(detail(ticket), {"status": "open"}, format="json")

    assert (solved.status_code, solved.json()["status"]) == (200, "solved")
    assert (reopened.status_code, reopened.json()["status"]) == (200, "open")
    assert TicketEvent.objects.filter(ticket=ticket, type="ticket.reopened").count() == 1


@pytest.mark.parametrize(
    "payload",
    [
        {"priority": "urgent"},
        {"subject": "Mine now"},
        {"assignee": "agent@example.com"},
        {"status": "closed"},
        {"status": "pending"},
    ],
)
def test_it_refuses_other_changes_from_customers(client_for, customer, agent, ticket, payload):
    response = client_for(customer).patch(detail(ticket), payload, format="json")

    assert response.status_code == 403
    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority, ticket.subject) == (
        Status.NEW,
        "normal",
        "Printer on fire",
    )


def test_it_answers_400_for_a_move_the_workflow_forbids(client_for, agent, ticket):
    client = client_for(agent)
    client.patch(detail(ticket), {"status": "closed"}, format="json")

    response = client.patch(detail(ticket), {"status": "open"}, format="json")

    assert response.status_code == 400
    assert "status" in response.json()


def test_an_empty_patch_changes_nothing(client_for, customer, ticket):
    response = client_for(customer).patch(detail(ticket), {}, format="json")

    assert response.status_code == 200
    assert not TicketEvent.objects.filter(ticket=ticket).exclude(type="ticket.created").exists()


# --- filtering, search and ordering ---------------------------------------------------


@pytest.fixture
def spread(customer, other_customer, agent, team):
    """Four tickets that differ in every filterable way."""
    a = factories.TicketFactory(requester=customer, subject="Login fails")
    b = factories.TicketFactory(requester=other_customer, subject="Refund please")
    c = factories.TicketFactory(requester=customer, subject="Parcel late")
    d = factories.TicketFactory(requester=other_customer, subject="Dark mode?")
    services.ticket_update(actor=agent, ticket=a, status="open", priority="low", assignee=agent)
    services.ticket_update(actor=agent, ticket=b, priority="urgent", category="billing", team=team)
    services.ticket_update(actor=agent, ticket=c, status="solved", tags=["courier"])
    services.ticket_update(actor=agent, ticket=d, priority="high", category="feature_request")
    return a, b, c, d


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "open"}, "a"),
        ({"status": ["open", "solved"]}, "ac"),
        ({"priority": "urgent"}, "b"),
        ({"category": "feature_request"}, "d"),
        ({"requester": "CUSTOMER@example.com"}, "ac"),
        ({"assignee": "agent@example.com"}, "a"),
        ({"assignee": "none"}, "bcd"),
        ({"team": "support"}, "b"),
        ({"tag": "courier"}, "c"),
        ({"search": "refund"}, "b"),
        ({"search": "other@example"}, "bd"),
        ({"channel": "email"}, ""),
    ],
)
def test_it_filters_the_list(client_for, agent, spread, query, expected):
    by_name = dict(zip("abcd", spread, strict=True))

    response = client_for(agent).get(LIST, query)

    assert response.status_code == 200
    assert set(ids(response)) == {by_name[name].pk for name in expected}


def test_it_searches_by_reference(client_for, agent, spread):
    target = spread[2]

    assert ids(client_for(agent).get(LIST, {"search": target.reference})) == [target.pk]
    assert ids(client_for(agent).get(LIST, {"search": target.reference.lower()})) == [target.pk]


def test_it_filters_by_time(client_for, agent, customer):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    old = factories.TicketFactory(requester=customer, updated_at=now - timedelta(days=10))
    new = factories.TicketFactory(requester=customer, updated_at=now)
    since = (now - timedelta(days=1)).isoformat()

    assert ids(client_for(agent).get(LIST, {"updated_after": since})) == [new.pk]
    assert ids(client_for(agent).get(LIST, {"updated_before": since})) == [old.pk]


def test_it_orders_by_priority(client_for, agent, spread):
    a, b, c, d = spread

    response = client_for(agent).get(LIST, {"ordering": "-priority"})

    # urgent, high, normal, low
    assert ids(response) == [b.pk, d.pk, c.pk, a.pk]


def test_it_ignores_staff_only_filters_for_customers(client_for, customer, spread):
    a, _b, c, _d = spread

    response = client_for(customer).get(LIST, {"tag": "courier"})

    assert set(ids(response)) == {a.pk, c.pk}


def test_it_names_the_detail_route():
    assert reverse("tickets_api:ticket-detail", kwargs={"ticket_id": 7}) == "/api/v1/tickets/7/"
