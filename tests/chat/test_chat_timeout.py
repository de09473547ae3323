"""Chats nobody picks up in time: the customer is told, and the conversation goes on by email."""

import asyncio
from datetime import timedelta

import pytest
import time_machine
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.chat.conftest import client_for
from tickets import services
from tickets.channels.chat import services as chat_services
from tickets.channels.chat.tasks import expire_waiting_chats
from tickets.models import Channel, TicketEvent
from tickets.realtime import chat_group

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _two_minutes(settings):
    settings.CHAT_PICKUP_TIMEOUT_SECONDS = 120


def start_chat(customer, body="Is anyone there?"):
    return chat_services.chat_say(actor=customer, body=body).ticket


def run_the_beat_task(after: timedelta) -> int:
    with time_machine.travel(timezone.now() + after, tick=False):
        return expire_waiting_chats.delay().get()


def timeouts(ticket) -> int:
    return TicketEvent.objects.filter(ticket=ticket, type="chat.timed_out").count()


def test_it_leaves_a_chat_alone_within_the_timeout(customer):
    chat = start_chat(customer)

    assert run_the_beat_task(after=timedelta(seconds=100)) == 0
    assert timeouts(chat) == 0


def test_it_times_out_a_chat_nobody_picked_up_once(customer):
    chat = start_chat(customer)

    assert run_the_beat_task(after=timedelta(seconds=121)) == 1
    assert run_the_beat_task(after=timedelta(seconds=200)) == 0

    event = TicketEvent.objects.get(ticket=chat, type="chat.timed_out")
    assert event.actor is None
    assert event.data == {"timeout_seconds": 120}


def test_it_reads_the_timeout_from_the_settings(customer, settings):
    settings.CHAT_PICKUP_TIMEOUT_SECONDS = 600
    chat = start_chat(customer)

    assert run_the_beat_task(after=timedelta(seconds=300)) == 0
    assert run_the_beat_task(after=timedelta(seconds=601)) == 1
    assert timeouts(chat) == 1


def test_a_chat_picked_up_or_answered_in_time_never_times_out(customer, agent):
    picked_up = start_chat(customer, "First")
    answered = start_chat(factories.CustomerFactory(), "Second")
    services.ticket_update(actor=agent, ticket=picked_up, assignee=agent)
    services.message_add(actor=agent, ticket=answered, body="Hi!", channel=Channel.CHAT)
    web_ticket = factories.TicketFactory(requester=customer, channel=Channel.WEB)

    assert run_the_beat_task(after=timedelta(hours=1)) == 0
    assert timeouts(picked_up) == timeouts(answered) == timeouts(web_ticket) == 0


def test_the_chat_hears_the_notice(customer, django_capture_on_commit_callbacks):
    chat = start_chat(customer)
    layer = get_channel_layer()

    def expire():
        with django_capture_on_commit_callbacks(execute=True):
            run_the_beat_task(after=timedelta(seconds=121))

    # One event loop for the whole exchange: the Redis layer's receive buffers
    # belong to the loop that made them.
    async def exchange():
        channel = await layer.new_channel()
        await layer.group_add(chat_group(chat.pk), channel)
        try:
            await sync_to_async(expire)()
            return await asyncio.wait_for(layer.receive(channel), 5)
        finally:
            await layer.group_discard(chat_group(chat.pk), channel)

    assert async_to_sync(exchange)() == {
        "type": "chat.notice",
        "ticket_id": chat.pk,
        "code": "timed_out",
    }


def test_the_customers_chat_page_says_we_will_answer_by_email(customer):
    start_chat(customer)
    run_the_beat_task(after=timedelta(seconds=121))

    page = client_for(customer).get(reverse("portal:chat"))

    assert "will answer by email at customer@example.com" in page.content.decode()


def test_an_agents_later_answer_goes_by_the_normal_reply_email(
    customer, agent, mailoutbox, django_capture_on_commit_callbacks
):
    chat = start_chat(customer, "Where is my refund?")
    run_the_beat_task(after=timedelta(seconds=121))

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(agent).post(
            reverse("agent:reply", args=[chat.pk]), {"body": "Your refund left today."}
        )

    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [["customer@example.com"]]
    assert "Your refund left today." in mailoutbox[0].body
