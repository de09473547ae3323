"""Agents' pages hear when a ticket's recovery case opens or changes (Channels)."""

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from recovery import services
from tests.recovery.conftest import file_ticket
from tickets.realtime import AGENTS_GROUP

pytestmark = pytest.mark.django_db


@pytest.fixture
def agents_channel(settings):
    # These tests read the layer from sync code across several event loops, which
    # the Redis layer's per-loop queues do not allow; the push itself is layer-agnostic
    # (tests/tickets/test_realtime.py and tests/chat cover Redis through consumers).
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(AGENTS_GROUP, channel)
    yield layer, channel
    async_to_sync(layer.group_discard)(AGENTS_GROUP, channel)


def recovery_notices(layer, channel) -> list[dict]:
    async def drain():
        received = []
        while True:
            try:
                received.append(await asyncio.wait_for(layer.receive(channel), 0.05))
            except TimeoutError:
                return received

    return [m for m in async_to_sync(drain)() if m["event"].startswith("recovery.")]


def test_opening_a_case_tells_the_agents(on_commit, agents_channel, agent, ticket):
    layer, channel = agents_channel

    with on_commit():
        case = services.case_open(actor=agent, ticket=ticket, failure_type="handoffs").case

    assert recovery_notices(layer, channel) == [
        {"type": "ticket.changed", "ticket_id": ticket.pk, "event": "recovery.case_opened"}
    ]

    with on_commit():
        services.case_step_set_done(
            actor=agent, case=case, step_id=case.steps.first().pk, done=True
        )

    assert recovery_notices(layer, channel) == [
        {"type": "ticket.changed", "ticket_id": ticket.pk, "event": "recovery.case_changed"}
    ]


def test_a_report_joining_from_another_ticket_tells_both_tickets_pages(
    on_commit, agents_channel, agent, customer
):
    layer, channel = agents_channel
    first = file_ticket(customer, subject="Order 1234")
    services.case_open(actor=agent, ticket=first, failure_type="late_delivery")
    second = file_ticket(customer, subject="Order 1234 again")

    with on_commit():
        services.case_open(actor=agent, ticket=second, failure_type="late_delivery")

    touched = {notice["ticket_id"] for notice in recovery_notices(layer, channel)}
    assert touched == {first.pk, second.pk}


def test_nothing_is_pushed_before_the_commit(agents_channel, agent, ticket):
    layer, channel = agents_channel

    services.case_open(actor=agent, ticket=ticket, failure_type="handoffs")  # never committed

    assert recovery_notices(layer, channel) == []
