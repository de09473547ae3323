"""Who reaches which page: anonymous visitors, customers, other customers, staff."""

import pytest
from django.urls import reverse

from tests.web.conftest import client_for
from tickets import services
from tickets.models import Status

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name, needs_pk",
    [
        ("agent:queue", False),
        ("agent:ticket", True),
        ("portal:tickets", False),
        ("portal:new", False),
        ("portal:ticket", True),
        ("portal:attachment", True),
        ("agent:attachment", True),
    ],
)
def test_it_sends_anonymous_visitors_to_the_login_page(client, ticket, name, needs_pk):
    url = reverse(name, args=[ticket.pk] if needs_pk else [])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_it_sends_an_expired_htmx_request_to_the_login_page_as_a_whole(client, ticket):
    response = client.post(
        reverse("portal:reply", args=[ticket.pk]),
        {"body": "hello"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver/portal/tickets/{ticket.pk}/",
    )

    assert response["HX-Redirect"] == f"/accounts/login/?next=/portal/tickets/{ticket.pk}/"


@pytest.mark.parametrize("name, needs_pk", [("agent:queue", False), ("agent:ticket", True)])
def test_it_hides_the_agent_workspace_from_customers(customer_client, ticket, name, needs_pk):
    response = customer_client.get(reverse(name, args=[ticket.pk] if needs_pk else []))

    assert response.status_code == 404


def test_customers_cannot_post_agent_actions(customer_client, ticket):
    reply = customer_client.post(reverse("agent:reply", args=[ticket.pk]), {"body": "x"})
    update = customer_client.post(reverse("agent:update", args=[ticket.pk]), {"status": "closed"})

    assert (reply.status_code, update.status_code) == (404, 404)
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW
    assert ticket.messages.count() == 1


def test_it_sends_staff_from_the_portal_to_the_agent_workspace(agent_client, ticket):
    assert agent_client.get("/portal/")["Location"] == "/agent/"
    response = agent_client.get(reverse("portal:ticket", args=[ticket.pk]))
    assert response["Location"] == reverse("agent:ticket", args=[ticket.pk])


def test_another_customers_ticket_is_not_found(other_client, ticket):
    page = other_client.get(reverse("portal:ticket", args=[ticket.pk]))
    reply = other_client.post(reverse("portal:reply", args=[ticket.pk]), {"body": "mine now"})
    status = other_client.post(reverse("portal:status", args=[ticket.pk]), {"status": "solved"})

    assert (page.status_code, reply.status_code, status.status_code) == (404, 404, 404)
    assert "Printer on fire" not in page.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW
    assert ticket.messages.count() == 1


def test_a_missing_ticket_is_not_found(customer_client, agent_client):
    assert customer_client.get("/portal/tickets/999999/").status_code == 404
    assert agent_client.get("/agent/tickets/999999/").status_code == 404


def test_internal_notes_never_reach_the_portal(customer_client, agent, ticket):
    services.message_add(
        actor=agent, ticket=ticket, body="Customer seems upset; refund?", internal=True
    )
    services.message_add(actor=agent, ticket=ticket, body="We are looking into it.")

    html = customer_client.get(reverse("portal:ticket", args=[ticket.pk])).content.decode()
    fragment = customer_client.get(
        reverse("portal:ticket", args=[ticket.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()

    for page in (html, fragment):
        assert "We are looking into it." in page
        assert "refund?" not in page
        assert "Internal note" not in page


def test_colleagues_see_each_others_tickets_when_their_organisation_shares(
    customer, organisation, ticket
):
    from tests.factories import CustomerFactory

    colleague = CustomerFactory(organisation=organisation)
    colleague_client = client_for(colleague)
    url = reverse("portal:ticket", args=[ticket.pk])
    assert colleague_client.get(url).status_code == 404

    organisation.shares_tickets = True
    organisation.save()

    assert colleague_client.get(url).status_code == 200
    assert "Printer on fire" in colleague_client.get("/portal/").content.decode()
