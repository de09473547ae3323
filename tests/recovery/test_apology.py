"""Apology drafts on cases: drafted on open and on new facts, edited by agents (panel,
case page, API), never sent without an agent, sent once as an emailed public reply."""

import pytest
from django.core import mail
from django.urls import reverse

from recovery import services
from recovery.models import RecoveryCase
from tests import factories
from tests.recovery.conftest import file_ticket
from tickets.models import Message

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "recovery-panel"}


def open_late(agent, customer, **facts):
    ticket = file_ticket(customer, subject="Lamp arrived late")
    facts = {"order_number": "L-77", "days_late": 5, **facts}
    return services.case_open(
        actor=agent, ticket=ticket, failure_type="late_delivery", facts=facts
    ).case


def test_it_drafts_the_apology_when_the_case_opens(agent, customer):
    case = open_late(agent, customer)

    first_name = customer.first_name
    assert first_name in case.apology_subject
    assert f"Dear {first_name}," in case.apology_body or first_name in case.apology_body
    assert "L-77" in case.apology_body and "5 days" in case.apology_body
    assert not case.apology_edited and case.apology_sent_at is None
    assert Message.objects.filter(ticket=case.ticket).count() == 1  # nothing sent


def test_it_drafts_in_the_customers_language(agent, spanish_customer):
    case = open_late(agent, spanish_customer)

    assert "5 días" in case.apology_body
    assert "L-77" in case.apology_body


def test_new_facts_redraft_an_unedited_apology(agent, customer):
    case = open_late(agent, customer)

    case = services.case_update(
        actor=agent, case=case, facts={"order_number": "L-77", "days_late": 9}
    )

    assert "9 days" in case.apology_body
    assert case.events.filter(type="case.apology_drafted").count() == 2


def test_new_facts_leave_an_agents_edit_alone(agent, customer):
    case = open_late(agent, customer)
    services.case_update(actor=agent, case=case, apology_body="My own words, 5 days late.")

    case = services.case_update(
        actor=agent, case=case, facts={"order_number": "L-77", "days_late": 9}
    )

    assert case.apology_body == "My own words, 5 days late."
    assert case.apology_edited


def test_an_agent_edits_the_draft_in_the_panel(client, agent, customer):
    case = open_late(agent, customer)
    client.force_login(agent)

    response = client.post(
        reverse("manager:recovery_case_apology", args=[case.pk]),
        {"ticket": case.ticket_id, "apology-subject": "About L-77", "apology-body": "Dear you."},
        **HTMX,
    )

    assert response.status_code == 200
    assert "Apology saved." in response.content.decode()
    case.refresh_from_db()
    assert (case.apology_subject, case.apology_body) == ("About L-77", "Dear you.")
    assert case.apology_edited


def test_an_empty_apology_is_refused_with_the_form(client, agent, customer):
    case = open_late(agent, customer)
    client.force_login(agent)

    response = client.post(
        reverse("manager:recovery_case_apology", args=[case.pk]),
        {"ticket": case.ticket_id, "apology-subject": "x", "apology-body": ""},
        **HTMX,
    )

    assert response.status_code == 400
    case.refresh_from_db()
    assert not case.apology_edited


def test_redraft_throws_the_edit_away(client, agent, customer):
    case = open_late(agent, customer)
    drafted = case.apology_body
    services.case_update(actor=agent, case=case, apology_body="Mine.")
    client.force_login(agent)

    response = client.post(
        reverse("manager:recovery_case_apology", args=[case.pk]), {"action": "redraft"}
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.apology_body == drafted and not case.apology_edited


def test_sending_posts_a_public_reply_that_is_emailed(client, agent, customer, on_commit):
    case = open_late(agent, customer)
    client.force_login(agent)

    with on_commit():
        response = client.post(
            reverse("manager:recovery_case_apology_send", args=[case.pk]),
            {"ticket": case.ticket_id},
            **HTMX,
        )

    assert response.status_code == 200
    case.refresh_from_db()
    assert case.apology_sent_at is not None
    reply = Message.objects.filter(ticket=case.ticket, author=agent).get()
    assert reply.body == case.apology_body and not reply.internal
    assert [m.to for m in mail.outbox] == [[customer.email]]
    assert "L-77" in mail.outbox[0].body
    sent = case.events.get(type="case.apology_sent")
    assert sent.data == {"message_id": reply.pk, "ticket_id": case.ticket_id}


def test_an_apology_is_sent_only_once(client, agent, customer):
    case = open_late(agent, customer)
    client.force_login(agent)
    url = reverse("manager:recovery_case_apology_send", args=[case.pk])

    client.post(url)
    again = client.post(url)

    assert again.status_code == 302
    assert Message.objects.filter(ticket=case.ticket, author=agent).count() == 1


def test_a_sent_apology_can_no_longer_be_edited(api_client, agent, customer):
    case = open_late(agent, customer)
    services.case_apology_send(actor=agent, case=case)
    api_client.force_authenticate(agent)

    response = api_client.patch(
        f"/api/v1/recovery/cases/{case.pk}/", {"apology": {"body": "New"}}, format="json"
    )

    assert response.status_code == 409


def test_the_api_edits_and_sends(api_client, agent, customer, on_commit):
    case = open_late(agent, customer)
    api_client.force_authenticate(agent)

    edited = api_client.patch(
        f"/api/v1/recovery/cases/{case.pk}/",
        {"apology": {"body": "Hello, your order L-77 was late."}},
        format="json",
    )
    with on_commit():
        sent = api_client.post(f"/api/v1/recovery/cases/{case.pk}/apology/send/")

    assert edited.status_code == 200 and edited.json()["apology"]["edited"] is True
    assert sent.status_code == 200, sent.content
    assert sent.json()["apology"]["sent_at"]
    assert len(mail.outbox) == 1


def test_customers_cannot_send_or_edit(client, api_client, agent, customer):
    case = open_late(agent, customer)
    client.force_login(customer)
    api_client.force_authenticate(customer)

    page = client.post(reverse("manager:recovery_case_apology_send", args=[case.pk]))
    api = api_client.post(f"/api/v1/recovery/cases/{case.pk}/apology/send/")

    assert page.status_code == 403
    assert api.status_code in (403, 404)
    assert RecoveryCase.objects.get(pk=case.pk).apology_sent_at is None


def test_an_outsider_agent_sees_the_draft_on_the_case_page(client, agent, customer):
    case = open_late(agent, customer)
    colleague = factories.AgentFactory()
    client.force_login(colleague)

    page = client.get(reverse("manager:recovery_case", args=[case.pk])).content.decode()

    assert "Send apology" in page
    assert "L-77" in page
