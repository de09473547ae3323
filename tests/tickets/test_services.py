"""The ticket services through their public functions: rules, events, mail."""

import pytest
from django.core import mail

from helpdesk.errors import ApplicationError, Conflict, PermissionDenied
from tickets import services
from tickets.models import Status, TicketEvent

pytestmark = pytest.mark.django_db


def event_types(ticket):
    return list(TicketEvent.objects.filter(ticket=ticket).values_list("type", flat=True))


def test_it_creates_a_ticket_with_its_first_message_and_event(customer):
    ticket = services.ticket_create(
        actor=customer, requester=customer, subject=" Broken ", body="It broke."
    )

    assert ticket.subject == "Broken"
    assert ticket.status == Status.NEW
    assert ticket.organisation == customer.organisation
    assert ticket.reference == f"HD-{ticket.pk}"
    assert [m.body for m in ticket.messages.all()] == ["It broke."]
    assert event_types(ticket) == ["ticket.created"]


def test_it_refuses_triage_fields_from_customers(customer):
    with pytest.raises(PermissionDenied):
        services.ticket_create(
            actor=customer, requester=customer, subject="x", body="y", priority="urgent"
        )


@pytest.mark.parametrize("subject", ["", "   ", "x" * 256, 42])
def test_it_refuses_bad_subjects(customer, subject):
    with pytest.raises(ApplicationError) as error:
        services.ticket_create(actor=customer, requester=customer, subject=subject, body="y")
    assert error.value.field == "subject"


def test_an_agent_reply_opens_the_ticket_and_emails_the_requester(
    customer, agent, django_capture_on_commit_callbacks
):
    ticket = services.ticket_create(
        actor=customer, requester=customer, subject="Help", body="Please"
    )

    with django_capture_on_commit_callbacks(execute=True):
        reply = services.message_add(actor=agent, ticket=ticket, body="On it.")

    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert ticket.first_replied_at == reply.created_at
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [customer.email]
    assert f"[{ticket.reference}]" in sent.subject
    assert "On it." in sent.body
    assert sent.alternatives[0].mimetype == "text/html"
    reply.refresh_from_db()
    assert sent.extra_headers["Message-ID"] == reply.email_message_id
    assert reply.emailed_at is not None


def test_an_internal_note_is_not_emailed(customer, agent, django_capture_on_commit_callbacks):
    ticket = services.ticket_create(
        actor=customer, requester=customer, subject="Help", body="Please"
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.message_add(actor=agent, ticket=ticket, body="secret", internal=True)

    assert mail.outbox == []


def test_a_customer_cannot_write_internal_notes(customer):
    ticket = services.ticket_create(
        actor=customer, requester=customer, subject="Help", body="Please"
    )
    with pytest.raises(PermissionDenied):
        services.message_add(actor=customer, ticket=ticket, body="x", internal=True)


def test_a_customer_reply_reopens_a_solved_ticket(customer, agent):
    ticket = services.ticket_create(
        actor=customer, requester=customer, subject="Help", body="Please"
    )
    services.ticket_update(actor=agent, ticket=ticket, status=Status.SOLVED)

    services.message_add(actor=customer, ticket=ticket, body="Still broken")

    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert ticket.solved_at is None
    assert "ticket.reopened" in event_types(ticket)


def test_nobody_writes_on_a_closed_ticket(customer, agent):
    ticket = services.ticket_create(
        actor=customer, requester=customer, subject="Help", body="Please"
    )
    services.ticket_update(actor=agent, ticket=ticket, status=Status.CLOSED)
    with pytest.raises(Conflict):
        services.message_add(actor=customer, ticket=ticket, body="hello?")


def test_it_refuses_a_transition_the_workflow_does_not_allow(customer, agent):
    ticket = services.ticket_create(
        actor=customer, requester=customer, subject="Help", body="Please"
    )
    services.ticket_update(actor=agent, ticket=ticket, status=Status.SOLVED)
    with pytest.raises(ApplicationError):
        services.ticket_update(actor=agent, ticket=ticket, status=Status.PENDING)


def test_reassignment_counts_a_handoff_and_notifies_the_new_assignee(
    customer, agent, manager, django_capture_on_commit_callbacks
):
    ticket = services.ticket_create(
        actor=customer, requester=customer, subject="Help", body="Please"
    )
    services.ticket_assign(actor=manager, ticket=ticket, assignee=manager)

    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_assign(actor=manager, ticket=ticket, assignee=agent)

    ticket.refresh_from_db()
    assert ticket.assignee == agent
    assert ticket.handoff_count == 1
    assert [m.to for m in mail.outbox] == [[agent.email]]


def test_tags_are_normalised_and_changes_recorded(customer, agent):
    ticket = services.ticket_create(
        actor=customer, requester=customer, subject="Help", body="Please"
    )

    services.ticket_update(actor=agent, ticket=ticket, tags=["VIP", "refund request", "vip"])

    assert sorted(ticket.tags.values_list("name", flat=True)) == ["refund-request", "vip"]
    event = TicketEvent.objects.get(ticket=ticket, type="ticket.tags_changed")
    assert event.data == {"added": ["vip", "refund-request"], "removed": []}


def test_customers_may_only_reopen_or_solve(customer):
    ticket = services.ticket_create(
        actor=customer, requester=customer, subject="Help", body="Please"
    )
    with pytest.raises(PermissionDenied):
        services.ticket_change_status(actor=customer, ticket=ticket, status=Status.ON_HOLD)
    services.ticket_change_status(actor=customer, ticket=ticket, status=Status.SOLVED)
    services.ticket_change_status(actor=customer, ticket=ticket, status=Status.OPEN)
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN


@pytest.mark.parametrize("channel", ["chat", "sms"])
def test_replies_in_a_live_channel_are_not_emailed(
    customer, agent, channel, django_capture_on_commit_callbacks
):
    ticket = services.ticket_create(
        actor=agent, requester=customer, subject="Live", body="Hi", channel=channel
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.message_add(actor=agent, ticket=ticket, body="Hello there")
    assert mail.outbox == []


def test_a_chat_that_went_on_by_email_is_answered_by_email(
    customer, agent, django_capture_on_commit_callbacks
):
    from tickets import events

    ticket = services.ticket_create(
        actor=customer, requester=customer, subject="Chat", body="Anyone?", channel="chat"
    )
    events.record(ticket=ticket, actor=None, type="chat.timed_out", data={})
    with django_capture_on_commit_callbacks(execute=True):
        services.message_add(actor=agent, ticket=ticket, body="Sorry for the wait")
    assert [m.to for m in mail.outbox] == [[customer.email]]
