"""SMS: the inbound webhook (auth, dedupe, new ticket or reply) and replies texted back once."""

import hmac
import json
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.models import Role, User
from tests import factories
from tests.chat.conftest import SMS_TOKEN, client_for
from tickets import services
from tickets.channels.sms.ingest import _seen_key
from tickets.channels.sms.tasks import send_sms_reply
from tickets.models import Channel, Message, Status, Ticket, TicketEvent

pytestmark = pytest.mark.django_db

URL = "/hooks/sms/"


def text(client, *, token=SMS_TOKEN, **fields):
    payload = {
        "from": "+34600111222",
        "to": "+34900000000",
        "body": "My parcel has not arrived",
        "message_id": "SM-1",
    } | fields
    headers = {"X-Sms-Token": token} if token else {}
    return client.post(URL, json.dumps(payload), content_type="application/json", headers=headers)


# --- authentication --------------------------------------------------------------


def test_the_hook_has_its_documented_address():
    assert reverse("sms:hook") == URL


def test_it_answers_401_without_a_token(client):
    response = text(client, token="")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not Ticket.objects.exists()


def test_it_answers_403_for_a_wrong_token(client):
    response = text(client, token="guess")

    assert response.status_code == 403
    assert not Ticket.objects.exists()


def test_it_compares_tokens_in_constant_time(client):
    with mock.patch.object(hmac, "compare_digest", wraps=hmac.compare_digest) as compare:
        text(client)

    compare.assert_called_once_with(SMS_TOKEN.encode(), SMS_TOKEN.encode())


def test_it_takes_the_token_as_a_bearer_token_too(client):
    response = client.post(
        URL,
        json.dumps({"from": "+34600111222", "body": "Hi", "message_id": "SM-9"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {SMS_TOKEN}"},
    )

    assert response.status_code == 201


def test_the_hook_is_off_without_a_configured_token(client, settings):
    settings.SMS_WEBHOOK_TOKEN = ""

    assert text(client, token="").status_code == 403
    assert text(client).status_code == 403


def test_it_only_takes_posts(client):
    assert client.get(URL, headers={"X-Sms-Token": SMS_TOKEN}).status_code == 405


# --- filing ----------------------------------------------------------------------


def test_a_text_from_an_unknown_number_opens_a_ticket_for_a_new_customer(client):
    response = text(client, **{"from": "+34 600 111 222"})

    assert response.status_code == 201
    ticket = Ticket.objects.get()
    assert response.json() == {
        "outcome": "created",
        "ticket": ticket.reference,
        "message": ticket.messages.get().pk,
    }
    assert (ticket.channel, ticket.status, ticket.subject) == (
        Channel.SMS,
        Status.NEW,
        "My parcel has not arrived",
    )
    customer = ticket.requester
    assert (customer.phone, customer.email, customer.role) == (
        "+34600111222",
        "sms-34600111222@sms.invalid",
        Role.CUSTOMER,
    )
    message = ticket.messages.get()
    assert (message.channel, message.email_message_id) == (Channel.SMS, "sms:SM-1")


def test_a_text_from_a_known_customer_is_theirs(client, customer):
    User.objects.filter(pk=customer.pk).update(phone="+34600111222")

    text(client)

    assert Ticket.objects.get().requester == customer


def test_a_second_text_is_a_reply_on_the_open_sms_ticket(client):
    text(client, message_id="SM-1")
    response = text(client, message_id="SM-2", body="Order 1234")

    assert response.status_code == 200
    assert response.json()["outcome"] == "replied"
    ticket = Ticket.objects.get()
    assert list(ticket.messages.values_list("body", flat=True)) == [
        "My parcel has not arrived",
        "Order 1234",
    ]


def test_a_text_after_the_ticket_was_solved_opens_a_new_one(client, agent):
    text(client, message_id="SM-1")
    services.ticket_update(actor=agent, ticket=Ticket.objects.get(), status=Status.SOLVED)

    response = text(client, message_id="SM-2", body="Another thing")

    assert response.json()["outcome"] == "created"
    assert Ticket.objects.count() == 2


def test_a_text_does_not_land_on_the_customers_email_ticket(client, customer):
    User.objects.filter(pk=customer.pk).update(phone="+34600111222")
    factories.TicketFactory(requester=customer, channel=Channel.EMAIL)

    assert text(client).json()["outcome"] == "created"


def test_a_text_delivered_twice_is_filed_once(client):
    first = text(client)
    again = text(client)

    assert again.status_code == 200
    assert again.json() == {
        "outcome": "duplicate",
        "ticket": first.json()["ticket"],
        "message": first.json()["message"],
    }
    assert Message.objects.count() == 1


def test_the_database_still_knows_a_duplicate_the_cache_forgot(client):
    text(client)
    cache.delete(_seen_key("SM-1"))

    assert text(client).json()["outcome"] == "duplicate"
    assert Message.objects.count() == 1


def test_a_failed_filing_lets_the_providers_retry_through(client):
    with (
        mock.patch("tickets.services.ticket_create", side_effect=OSError("disk full")),
        pytest.raises(OSError),
    ):
        text(client)

    assert text(client).json()["outcome"] == "created"


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"from": "not a number"}, "from"),
        ({"from": "600111222"}, "from"),
        ({"body": ""}, "body"),
        ({"body": ["a list"]}, "body"),
        ({"body": "x" * 5001}, "body"),
        ({"message_id": ""}, "message_id"),
        ({"message_id": 42}, "message_id"),
    ],
)
def test_a_malformed_payload_answers_400_with_the_field(client, fields, field):
    response = text(client, **fields)

    assert response.status_code == 400
    assert response.json()["field"] == field
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'"text"', b"\xff\xfe"])
def test_a_body_that_is_not_a_json_object_answers_400(client, body):
    response = client.post(
        URL, body, content_type="application/json", headers={"X-Sms-Token": SMS_TOKEN}
    )

    assert response.status_code == 400


# --- outbound --------------------------------------------------------------------


@pytest.fixture
def sms_ticket(client):
    text(client)
    return Ticket.objects.get()


def test_an_agents_public_reply_is_texted_once(
    sms_ticket, agent, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.message_add(actor=agent, ticket=sms_ticket, body="It ships today.")

    assert [(t.to, t.body) for t in sms_outbox] == [("+34600111222", "It ships today.")]
    # A retried or duplicated task sends nothing twice.
    assert send_sms_reply.delay(reply.pk).get() == "already sent"
    assert len(sms_outbox) == 1
    event = TicketEvent.objects.get(ticket=sms_ticket, type="sms.sent")
    assert event.data == {"message_id": reply.pk, "to": "+34600111222", "provider_id": "locmem-1"}


def test_a_reply_from_the_ticket_page_is_texted(
    sms_ticket, agent, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(agent).post(reverse("agent:reply", args=[sms_ticket.pk]), {"body": "On it."})

    assert [t.body for t in sms_outbox] == ["On it."]


def test_notes_and_the_customers_own_texts_are_not_texted(
    client, sms_ticket, agent, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.message_add(actor=agent, ticket=sms_ticket, body="VIP", internal=True)
        text(client, message_id="SM-2", body="Any news?")

    assert sms_outbox == []


def test_replies_on_other_channels_are_not_texted(
    customer, agent, sms_outbox, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=customer.pk).update(phone="+34600111222")
    ticket = factories.TicketFactory(requester=customer, channel=Channel.EMAIL)

    with django_capture_on_commit_callbacks(execute=True):
        services.message_add(actor=agent, ticket=ticket, body="By email only.")

    assert sms_outbox == []


def test_the_sender_is_chosen_by_setting(sms_ticket, agent, settings, caplog):
    settings.SMS_BACKEND = "tickets.channels.sms.backends.ConsoleBackend"
    reply = services.message_add(actor=agent, ticket=sms_ticket, body="Logged, not sent.")

    with caplog.at_level("INFO", logger="tickets.channels.sms.backends"):
        assert send_sms_reply.delay(reply.pk).get() == "sent"

    assert "Logged, not sent." in caplog.text
