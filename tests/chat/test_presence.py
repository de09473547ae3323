"""Presence on /ws/agent/: agents on the same ticket see each other viewing and typing."""

import pytest
from asgiref.sync import sync_to_async

from tests import factories
from tests.chat.conftest import websocket

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("settle"),
]


async def on_ticket(user, ticket_id: int):
    """An agent's ticket page: connected and subscribed to the ticket."""
    communicator = websocket(user, "/ws/agent/")
    ok, _ = await communicator.connect()
    assert ok
    await communicator.send_json_to({"type": "subscribe", "ticket_id": ticket_id})
    return communicator


async def presence(communicator) -> list[dict]:
    for _ in range(10):
        message = await communicator.receive_json_from(timeout=5)
        if message["type"] == "presence":
            return message["agents"]
    raise AssertionError("no presence")


@pytest.fixture
def sam(db):
    return factories.AgentFactory(full_name="Sam Support")


@pytest.fixture
def ticket(db, customer):
    return factories.TicketFactory(requester=customer)


async def test_two_agents_on_one_ticket_see_each_other_viewing_and_typing(agent, sam, ticket):
    # Given Alex on the ticket, alone
    alex_page = await on_ticket(agent, ticket.pk)
    assert await presence(alex_page) == []

    # When Sam opens it too, each sees the other
    sam_page = await on_ticket(sam, ticket.pk)
    assert await presence(sam_page) == [{"name": "Alex Agent", "typing": False}]
    assert await presence(alex_page) == [{"name": "Sam Support", "typing": False}]

    # and when Sam types a reply, Alex sees it, until Sam stops
    await sam_page.send_json_to({"type": "typing", "ticket_id": ticket.pk, "active": True})
    assert await presence(alex_page) == [{"name": "Sam Support", "typing": True}]
    await sam_page.send_json_to({"type": "typing", "ticket_id": ticket.pk, "active": False})
    assert await presence(alex_page) == [{"name": "Sam Support", "typing": False}]

    # Then Sam leaving the page leaves Alex alone again
    await sam_page.disconnect()
    assert await presence(alex_page) == []
    await alex_page.disconnect()


async def test_one_agent_in_two_tabs_counts_once_and_stays_while_a_tab_is_open(agent, sam, ticket):
    sam_page = await on_ticket(sam, ticket.pk)
    await presence(sam_page)
    first_tab = await on_ticket(agent, ticket.pk)
    await presence(first_tab)
    assert await presence(sam_page) == [{"name": "Alex Agent", "typing": False}]
    second_tab = await on_ticket(agent, ticket.pk)
    assert await presence(sam_page) == [{"name": "Alex Agent", "typing": False}]

    await first_tab.disconnect()

    assert await presence(sam_page) == [{"name": "Alex Agent", "typing": False}]
    await second_tab.disconnect()
    assert await presence(sam_page) == []
    await sam_page.disconnect()


async def test_agents_on_another_ticket_hear_nothing(agent, sam, ticket, customer):
    other = await sync_to_async(factories.TicketFactory)(requester=customer)
    alex_page = await on_ticket(agent, ticket.pk)
    await presence(alex_page)

    sam_page = await on_ticket(sam, other.pk)
    await presence(sam_page)

    assert await alex_page.receive_nothing(timeout=0.3)
    await alex_page.disconnect()
    await sam_page.disconnect()


async def test_a_ticket_page_hears_when_its_ticket_changes(agent, ticket, customer):
    from tickets import services

    page = await on_ticket(agent, ticket.pk)
    await presence(page)

    await sync_to_async(services.message_add)(actor=customer, ticket=ticket, body="More info")

    notices = [await page.receive_json_from(timeout=5) for _ in range(2)]
    # The agents group (queues) and the ticket's own group both carry it.
    assert {"type": "ticket.changed", "ticket_id": ticket.pk, "event": "ticket.message_added"} in (
        notices
    )
    await page.disconnect()


async def test_subscribing_to_a_ticket_that_does_not_exist_is_refused(agent):
    page = await on_ticket(agent, 999_999)

    assert await page.receive_json_from(timeout=5) == {"type": "error", "ticket_id": 999_999}
    await page.disconnect()


async def test_a_customer_cannot_listen_for_presence(customer, ticket):
    communicator = websocket(customer, "/ws/agent/")
    ok, code = await communicator.connect()
    assert not ok
    assert code == 4403
