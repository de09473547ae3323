"""A ticket's conversation through the API: notes stay internal, replies reach the customer."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from tickets import services
from tickets.models import Message, Status

pytestmark = pytest.mark.django_db


def messages_of(ticket) -> str:
    return f"/api/v1/tickets/{ticket.pk}/messages/"


def bodies(response) -> list[str]:
    return [row["body"] for row in response.json()["results"]]


def test_it_never_returns_internal_notes_to_customers(client_for, customer, agent, ticket):
    services.message_add(actor=agent, ticket=ticket, body="Customer seems upset", internal=True)
    services.message_add(actor=agent, ticket=ticket, body="We are on it.")

    as_customer = client_for(customer).get(messages_of(ticket))
    as_agent = client_for(agent).get(messages_of(ticket))

    assert bodies(as_customer) == ["It smokes.", "We are on it."]
    assert "upset" not in as_customer.content.decode()
    assert bodies(as_agent) == ["It smokes.", "Customer seems upset", "We are on it."]
    assert [row["internal"] for row in as_agent.json()["results"]] == [False, True, False]


def test_it_shows_authors_by_email_to_staff_and_staff_by_name_to_customers(
    client_for, customer, agent, ticket
):
    services.message_add(actor=agent, ticket=ticket, body="We are on it.")

    as_customer = client_for(customer).get(messages_of(ticket)).json()["results"]
    as_agent = client_for(agent).get(messages_of(ticket)).json()["results"]

    assert [row["author"] for row in as_customer] == ["customer@example.com", "Alex Agent"]
    assert [row["author"] for row in as_agent] == ["customer@example.com", "agent@example.com"]
    assert as_agent[1]["author_name"] == "Alex Agent"
    assert set(as_agent[0]) == {
        "id",
        "body",
        "author",
        "author_name",
        "internal",
        "channel",
        "created_at",
        "attachments",
    }


def test_it_lets_the_customer_reply(client_for, customer, ticket):
    response = client_for(customer).post(
        messages_of(ticket), {"body": "Still smoking."}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["body"], body["author"], body["internal"], body["channel"]) == (
        "Still smoking.",
        customer.email,
        False,
        "api",
    )


def test_a_customer_reply_reopens_a_solved_ticket(client_for, customer, agent, ticket):
    services.ticket_change_status(actor=agent, ticket=ticket, status=Status.SOLVED)

    client_for(customer).post(messages_of(ticket), {"body": "Not fixed."}, format="json")

    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN


def test_it_refuses_internal_notes_from_customers(client_for, customer, ticket):
    response = client_for(customer).post(
        messages_of(ticket), {"body": "psst", "internal": True}, format="json"
    )

    assert response.status_code == 403
    assert not Message.objects.filter(body="psst").exists()


def test_it_lets_an_agent_add_an_internal_note_without_emailing(
    client_for, agent, ticket, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(agent).post(
            messages_of(ticket), {"body": "Check the fuser.", "internal": True}, format="json"
        )

    assert response.status_code == 201
    assert response.json()["internal"] is True
    assert mail.outbox == []


def test_an_agent_reply_is_emailed_to_the_requester_after_commit(
    client_for, customer, agent, ticket, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(agent).post(
            messages_of(ticket), {"body": "Unplug it, please."}, format="json"
        )

    assert response.status_code == 201
    assert [m.to for m in mail.outbox] == [[customer.email]]
    assert "Unplug it, please." in mail.outbox[0].body


def test_it_answers_409_on_a_closed_ticket(client_for, customer, agent, ticket):
    services.ticket_change_status(actor=agent, ticket=ticket, status=Status.CLOSED)

    response = client_for(customer).post(messages_of(ticket), {"body": "Hello?"}, format="json")

    assert response.status_code == 409
    assert "closed" in response.json()["detail"]


def test_it_accepts_attachments_with_multipart(client_for, customer, ticket):
    upload = SimpleUploadedFile("screen shot.png", b"\x89PNG fake", content_type="image/png")

    response = client_for(customer).post(
        messages_of(ticket), {"body": "Screenshot attached.", "attachments": [upload]}
    )

    assert response.status_code == 201
    [attachment] = response.json()["attachments"]
    assert attachment["filename"] == "screen_shot.png"
    assert (attachment["size"], attachment["content_type"]) == (9, "image/png")
    assert set(attachment) == {"id", "filename", "size", "content_type"}


def test_it_refuses_too_many_attachments(client_for, customer, ticket, settings):
    settings.MAX_ATTACHMENTS_PER_MESSAGE = 1
    uploads = [SimpleUploadedFile(f"f{i}.txt", b"x", content_type="text/plain") for i in range(2)]

    response = client_for(customer).post(
        messages_of(ticket), {"body": "Two files.", "attachments": uploads}
    )

    assert response.status_code == 400
    assert "attachments" in response.json()


def test_it_refuses_an_attachment_over_the_size_limit(client_for, customer, ticket, settings):
    settings.MAX_ATTACHMENT_BYTES = 4
    upload = SimpleUploadedFile("big.txt", b"12345", content_type="text/plain")

    response = client_for(customer).post(
        messages_of(ticket), {"body": "Big file.", "attachments": [upload]}
    )

    assert response.status_code == 400
    assert not Message.objects.filter(body="Big file.").exists()
