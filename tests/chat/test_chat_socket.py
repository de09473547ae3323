"""/ws/chat/: a customer's live chat with the agents who answer it."""

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth.models import AnonymousUser

from tests import factories
from tests.chat.conftest import websocket
from tickets import services
from tickets.models import Channel, Message, Status, Ticket

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("settle"),
]


async def connected(user):
    communicator = websocket(user, "/ws/chat/")
    ok, _ = await communicator.connect()
    assert ok
    return communicator


async def receive(communicator, kind: str) -> dict:
    """The next message of this kind (a socket may hear others in between)."""
    for _ in range(10):
        message = await communicator.receive_json_from(timeout=5)
        if message["type"] == kind:
            return message
    raise AssertionError(f"no {kind}")


async def start_chat(customer, body="Hello, my parcel is late"):
    socket = await connected(customer)
    await socket.send_json_to({"type": "chat.message", "body": body})
    joined = await receive(socket, "chat.joined")
    first = await receive(socket, "chat.message")
    return socket, joined["ticket_id"], first


async def test_a_customer_and_an_agent_chat_live(customer, agent):
    # Given a customer who starts a chat
    customer_socket, ticket_id, first = await start_chat(customer)
    ticket = await sync_to_async(Ticket.objects.get)(pk=ticket_id)
    assert (ticket.channel, ticket.status, ticket.requester_id) == (
        Channel.CHAT,
        Status.NEW,
        customer.pk,
    )
    assert first["message"]["body"] == "Hello, my parcel is late"
    assert first["message"]["from_customer"] is True

    # When an agent joins and answers
    agent_socket = await connected(agent)
    await agent_socket.send_json_to({"type": "chat.join", "ticket_id": ticket_id})
    assert (await receive(agent_socket, "chat.joined"))["ticket_id"] == ticket_id
    await agent_socket.send_json_to(
        {"type": "chat.message", "ticket_id": ticket_id, "body": "Let me check that for you."}
    )

    # Then both see the answer, and the customer's next line too
    for socket in (customer_socket, agent_socket):
        line = await receive(socket, "chat.message")
        assert line["ticket_id"] == ticket_id
        assert line["message"]["body"] == "Let me check that for you."
        assert line["message"]["author"] == "Alex Agent"
        assert line["message"]["from_customer"] is False
    await customer_socket.send_json_to(
        {"type": "chat.message", "ticket_id": ticket_id, "body": "Thanks!"}
    )
    for socket in (customer_socket, agent_socket):
        assert (await receive(socket, "chat.message"))["message"]["body"] == "Thanks!"

    # and the transcript is the ticket's timeline, every line through the services
    bodies = await sync_to_async(
        lambda: list(Message.objects.filter(ticket_id=ticket_id).values_list("body", "channel"))
    )()
    assert bodies == [
        ("Hello, my parcel is late", Channel.CHAT),
        ("Let me check that for you.", Channel.CHAT),
        ("Thanks!", Channel.CHAT),
    ]
    ticket = await sync_to_async(Ticket.objects.get)(pk=ticket_id)
    assert ticket.status == Status.OPEN  # answered: no longer waiting
    await customer_socket.disconnect()
    await agent_socket.disconnect()


async def test_a_customer_rejoins_their_chat_when_they_come_back(customer):
    socket, ticket_id, _ = await start_chat(customer)
    await socket.disconnect()

    again = await connected(customer)

    assert await receive(again, "chat.joined") == {"type": "chat.joined", "ticket_id": ticket_id}
    await again.send_json_to({"type": "chat.message", "body": "Still there?"})
    line = await receive(again, "chat.message")
    assert (line["ticket_id"], line["message"]["body"]) == (ticket_id, "Still there?")
    assert await sync_to_async(Ticket.objects.count)() == 1
    await again.disconnect()


async def test_another_customer_cannot_join_or_overhear_a_chat(customer, other_customer):
    customer_socket, ticket_id, _ = await start_chat(customer)
    intruder = await connected(other_customer)

    await intruder.send_json_to({"type": "chat.join", "ticket_id": ticket_id})
    refused = await receive(intruder, "chat.error")
    await customer_socket.send_json_to(
        {"type": "chat.message", "ticket_id": ticket_id, "body": "My card ends 4242"}
    )
    await receive(customer_socket, "chat.message")

    assert refused["ticket_id"] == ticket_id
    assert await intruder.receive_nothing(timeout=0.3)
    # Writing "into" the chat starts the intruder's own chat instead
    await intruder.send_json_to({"type": "chat.message", "ticket_id": ticket_id, "body": "Hi"})
    own = await receive(intruder, "chat.message")
    assert own["ticket_id"] != ticket_id
    assert await sync_to_async(Message.objects.filter(ticket_id=ticket_id).count)() == 2
    await customer_socket.disconnect()
    await intruder.disconnect()


async def test_a_colleague_who_shares_tickets_still_cannot_join_the_chat(customer):
    organisation = customer.organisation
    organisation.shares_tickets = True
    await sync_to_async(organisation.save)()
    colleague = await sync_to_async(factories.CustomerFactory)(organisation=organisation)
    customer_socket, ticket_id, _ = await start_chat(customer)

    colleague_socket = await connected(colleague)
    await colleague_socket.send_json_to({"type": "chat.join", "ticket_id": ticket_id})

    assert (await receive(colleague_socket, "chat.error"))["ticket_id"] == ticket_id
    await customer_socket.disconnect()
    await colleague_socket.disconnect()


async def test_an_anonymous_visitor_is_refused():
    communicator = websocket(AnonymousUser(), "/ws/chat/")
    ok, code = await communicator.connect()
    assert not ok
    assert code == 4401


async def test_an_agent_must_join_before_answering_and_only_chats(agent, customer):
    email_ticket = await sync_to_async(factories.TicketFactory)(requester=customer)
    socket = await connected(agent)

    await socket.send_json_to({"type": "chat.message", "ticket_id": email_ticket.pk, "body": "x"})
    assert (await receive(socket, "chat.error"))["ticket_id"] == email_ticket.pk
    await socket.send_json_to({"type": "chat.join", "ticket_id": email_ticket.pk})
    assert (await receive(socket, "chat.error"))["detail"] == "No such chat."
    assert await sync_to_async(Message.objects.count)() == 1
    await socket.disconnect()


async def test_an_empty_line_is_refused_with_the_reason(customer):
    socket = await connected(customer)

    await socket.send_json_to({"type": "chat.message", "body": "   "})

    assert (await receive(socket, "chat.error"))["detail"] == "Message cannot be empty."
    assert await sync_to_async(Ticket.objects.count)() == 0
    await socket.disconnect()


async def test_the_customer_hears_when_an_agent_picks_the_chat_up(customer, agent):
    socket, ticket_id, _ = await start_chat(customer)
    ticket = await sync_to_async(Ticket.objects.get)(pk=ticket_id)

    await sync_to_async(services.ticket_update)(actor=agent, ticket=ticket, assignee=agent)

    notice = await receive(socket, "chat.notice")
    assert notice["code"] == "agent_joined"
    assert "Alex Agent" in notice["text"]
    await socket.disconnect()


async def test_a_reply_from_the_ticket_page_reaches_the_chat_but_a_note_does_not(customer, agent):
    socket, ticket_id, _ = await start_chat(customer)
    ticket = await sync_to_async(Ticket.objects.get)(pk=ticket_id)

    await sync_to_async(services.message_add)(
        actor=agent, ticket=ticket, body="Staff only: VIP", internal=True
    )
    await sync_to_async(services.message_add)(actor=agent, ticket=ticket, body="Hello from us")

    line = await receive(socket, "chat.message")
    assert line["message"]["body"] == "Hello from us"
    await socket.disconnect()
