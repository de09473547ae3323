"""The recovery panel on the agent ticket page, opening a case by hand from it, the queue
filter, and what the panel costs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recovery import selectors, services
from recovery.models import RecoveryCase
from tests.recovery.conftest import file_ticket
from tickets import services as ticket_services
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "recovery-panel"}


def ticket_page(client, ticket) -> str:
    response = client.get(reverse("agent:ticket", args=[ticket.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_panel_shows_score_reasons_chance_playbook_and_history(client, agent, customer):
    old = file_ticket(customer, subject="Earlier trouble")
    earlier = services.case_open(actor=agent, ticket=old, failure_type="overcharge").case
    services.case_update(actor=agent, case=earlier, status="resolved", outcome="recovered")
    ticket = file_ticket(customer, subject="Lamp arrived late")
    case = services.case_open(
        actor=agent, ticket=ticket, failure_type="late_delivery", facts={"days_late": 5}
    ).case
    client.force_login(agent)

    page = ticket_page(client, ticket)

    assert f"Severity {case.severity} of 100" in page
    assert "Arrived 5 days late." in page  # a reason, with its points
    assert "1 earlier failure in the past 12 months." in page
    assert f"Chance of recovery: {case.recovery_chance}%" in page
    assert "Playbook: Late item" in page
    assert 'type="checkbox" name="done"' in page
    assert "Listen, and ask what the delay cost them" in page
    assert f'href="{reverse("manager:recovery_case", args=[earlier.pk])}"' in page  # history
    assert "Open case" in page  # the button to open one by hand


def test_a_ticket_without_a_case_offers_to_open_one(client, agent, ticket):
    client.force_login(agent)

    page = ticket_page(client, ticket)

    assert "No recovery case for this ticket." in page
    assert "Open a case by hand" in page
    assert 'name="recovery-failure_type"' in page


def test_an_agent_opens_a_case_by_hand_from_the_panel(client, on_commit, agent, ticket):
    client.force_login(agent)
    url = reverse("manager:recovery_ticket_case_open", args=[ticket.pk])

    with on_commit():
        response = client.post(
            url,
            {
                "recovery-failure_type": "defective_product",
                "recovery-product": "Aurora desk lamp",
                "recovery-amount": "49.00",
                "recovery-currency": "EUR",
                "recovery-description": "The switch broke on day one.",
            },
            **HTMX,
        )

    assert response.status_code == 200
    case = RecoveryCase.objects.get()
    assert case.opened_by == agent
    assert case.facts == {
        "description": "The switch broke on day one.",
        "product": "Aurora desk lamp",
        "amount": "49.00",
        "currency": "EUR",
    }
    body = response.content.decode()
    assert "Recovery case opened." in body  # messages swapped in out of band
    assert "Playbook: Defective product" in body


def test_a_bad_hand_made_case_is_refused_with_the_reason(client, agent, ticket):
    client.force_login(agent)
    url = reverse("manager:recovery_ticket_case_open", args=[ticket.pk])

    response = client.post(
        url,
        {"recovery-failure_type": "bad_luck", "recovery-currency": "EUR"},
        **HTMX,
    )
    no_amount = client.post(
        url,
        {"recovery-failure_type": "overcharge", "recovery-currency": "EUR"},
        **HTMX,
    )

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert no_amount.status_code == 400
    assert "A currency needs an amount." in no_amount.content.decode()
    assert not RecoveryCase.objects.exists()


def test_customers_and_other_customers_tickets_are_refused(client, agent, customer, other_ticket):
    panel = reverse("manager:recovery_ticket_panel", args=[other_ticket.pk])
    client.force_login(customer)
    assert client.get(panel).status_code == 403
    assert (
        client.post(
            reverse("manager:recovery_ticket_case_open", args=[other_ticket.pk]),
            {"recovery-failure_type": "overcharge"},
        ).status_code
        == 403
    )
    client.force_login(agent)
    assert client.get(panel).status_code == 200
    assert client.get(reverse("manager:recovery_ticket_panel", args=[999999])).status_code == 404


def test_a_ticket_whose_report_joined_another_tickets_case_shows_that_case(client, agent, customer):
    first = file_ticket(customer, subject="Order 4471 late")
    case = services.case_open(actor=agent, ticket=first, failure_type="late_delivery").case
    second = file_ticket(customer, subject="Order 4471 still late")
    services.case_open(actor=agent, ticket=second, failure_type="late_delivery")
    client.force_login(agent)

    page = ticket_page(client, second)

    assert f"This ticket's report joined the case on {first.reference}." in page
    assert f'href="{reverse("manager:recovery_case", args=[case.pk])}"' in page


def test_the_queue_filter_finds_tickets_with_a_case_in_work(agent, customer):
    calm = file_ticket(customer, subject="Calm")
    troubled = file_ticket(customer, subject="Troubled")
    critical = file_ticket(customer, subject="Critical")
    services.case_open(actor=agent, ticket=troubled, failure_type="handoffs")
    severe = services.case_open(actor=agent, ticket=critical, failure_type="defective_product").case
    RecoveryCase.objects.filter(pk=severe.pk).update(severity=90)
    tickets = Ticket.objects.all()

    assert set(selectors.filter_tickets(tickets, "open")) == {troubled, critical}
    assert list(selectors.filter_tickets(tickets, "critical")) == [critical]
    assert set(selectors.filter_tickets(tickets, "")) == {calm, troubled, critical}


def test_the_agent_queue_accepts_the_recovery_filter(client, agent, customer):
    troubled = file_ticket(customer, subject="Troubled one")
    file_ticket(customer, subject="Calm one")
    services.case_open(actor=agent, ticket=troubled, failure_type="handoffs")
    client.force_login(agent)

    page = client.get(reverse("agent:queue"), {"view": "open", "recovery": "open"})

    assert page.status_code == 200
    body = page.content.decode()
    assert "Troubled one" in body
    assert "Calm one" not in body


def test_the_panel_costs_the_same_however_long_the_customers_history(rf, agent, customer):
    def cost(n_earlier):
        RecoveryCase.objects.all().delete()
        for i in range(n_earlier):
            past = services.case_open(
                actor=agent,
                ticket=file_ticket(customer, subject=f"Past {i}"),
                failure_type="overcharge",
            ).case
            services.case_update(actor=agent, case=past, status="closed", outcome="recovered")
        ticket = file_ticket(customer, subject="Now")
        services.case_open(actor=agent, ticket=ticket, failure_type="handoffs")
        request = rf.get("/")
        request.user = agent
        with CaptureQueriesContext(connection) as queries:
            selectors.panel_context(request, ticket)
        return len(queries)

    # The case (ticket, customer, playbook, root cause joined; its signals counted)
    # together with the customer's past failures; the case's steps (who ticked joined).
    assert cost(1) == cost(8) == 2


def test_without_a_case_the_panel_costs_one_query(rf, agent, ticket):
    request = rf.get("/")
    request.user = agent

    with CaptureQueriesContext(connection) as queries:
        context = selectors.panel_context(request, ticket)

    assert context["case"] is None
    assert len(queries) == 1


def test_a_reply_from_the_workspace_keeps_the_panel(client, on_commit, agent, ticket):
    services.case_open(actor=agent, ticket=ticket, failure_type="handoffs")
    client.force_login(agent)

    with on_commit():
        ticket_services.message_add(actor=agent, ticket=ticket, body="On it.")
    page = ticket_page(client, ticket)

    assert page.count('id="recovery-panel"') == 1
