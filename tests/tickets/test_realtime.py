"""/ws/agent/: agents hear about ticket changes; nobody else may listen."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from tickets import services
from tickets.consumers import AgentConsumer

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def communicator_for(user) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(AgentConsumer.as_asgi(), "/ws/agent/")
    communicator.scope["user"] = user
    return communicator


async def test_an_agent_hears_when_a_ticket_is_filed(agent, customer):
    communicator = communicator_for(agent)
    connected, _ = await communicator.connect()
    assert connected

    ticket = await database_sync_to_async(services.ticket_create)(
        actor=customer, requester=customer, subject="Live", body="Hello"
    )

    message = await communicator.receive_json_from(timeout=5)
    assert message == {"type": "ticket.changed", "ticket_id": ticket.pk, "event": "ticket.created"}
    await communicator.disconnect()


async def test_a_customer_cannot_listen(customer):
    communicator = communicator_for(customer)
    connected, code = await communicator.connect()
    assert not connected
    assert code == 4403


async def test_an_anonymous_visitor_cannot_listen():
    from django.contrib.auth.models import AnonymousUser

    communicator = communicator_for(AnonymousUser())
    connected, _ = await communicator.connect()
    assert not connected
