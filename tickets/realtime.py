"""Pushes over Channels: "this ticket changed" to agents, live chat lines, and presence.

Three kinds of group:

- `agents`: every agent's `/ws/agent/` socket; queues refresh on `ticket.changed`.
- `ticket-<id>` (`ticket_group`): agents' ticket pages that subscribed to one
  ticket; they hear `ticket.changed` and `presence.changed`.
- `chat-<id>` (`chat_group`): the customer's and the answering agents'
  `/ws/chat/` sockets for one chat ticket; they hear `chat.message` and
  `chat.notice`. Separate from `ticket-<id>` on purpose: customers never
  hear about internal notes or other staff-only changes.

`ticket.changed` carries ids only (the page fetches the fragment it needs
through the normal, permission-checked views). `chat.message` carries the
text of a public message, which the chat group's members may all read.
"""

import logging
import time
from dataclasses import dataclass

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache

from accounts.models import User
from tickets import events
from tickets.models import Channel, Message, TicketEvent

logger = logging.getLogger(__name__)

AGENTS_GROUP = "agents"

# Event types announced to a live chat as a notice, by their code (see ChatConsumer).
CHAT_TIMED_OUT = "chat.timed_out"
NOTICE_TIMED_OUT = "timed_out"
NOTICE_AGENT_JOINED = "agent_joined"


def ticket_group(ticket_id: int) -> str:
    return f"ticket-{ticket_id}"


def chat_group(ticket_id: int) -> str:
    return f"chat-{ticket_id}"


def _send(group: str, payload: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, payload)
    except Exception:
        # A live push is a convenience: a channel-layer outage must not fail the change.
        logger.warning("could not push %s to %s", payload.get("type"), group, exc_info=True)


def on_ticket_event(sender, event: TicketEvent, **kwargs) -> None:
    """After commit: tells agents' pages, and a live chat what it should show."""
    payload = {"type": "ticket.changed", "ticket_id": event.ticket_id, "event": event.type}
    _send(AGENTS_GROUP, payload)
    _send(ticket_group(event.ticket_id), payload)
    if event.ticket.channel == Channel.CHAT:
        _push_to_chat(event)


# --- live chat --------------------------------------------------------------------


def chat_message_payload(message: Message) -> dict:
    """What a chat socket shows of one public message. Precondition: not internal."""
    author = message.author
    return {
        "id": message.pk,
        "body": message.body,
        "author": author.display_name if author else "",
        "from_customer": message.author_id == message.ticket.requester_id,
        "created_at": message.created_at.isoformat(),
    }


def _push_to_chat(event: TicketEvent) -> None:
    """Public messages, the timeout and an agent picking the chat up reach the chat group.

    The ticket's first message is not pushed: nobody can be in the group of a
    ticket that did not exist yet; the consumer that filed it shows it itself.
    """
    group = chat_group(event.ticket_id)
    data = event.data or {}
    if event.type == events.MESSAGE_ADDED and not data.get("internal"):
        message = (
            Message.objects.select_related("author", "ticket")
            .filter(pk=data.get("message_id"), internal=False)
            .first()
        )
        if message is not None:
            payload = chat_message_payload(message)
            _send(group, {"type": "chat.message", "ticket_id": event.ticket_id, "message": payload})
    elif event.type == CHAT_TIMED_OUT:
        _send(
            group, {"type": "chat.notice", "ticket_id": event.ticket_id, "code": NOTICE_TIMED_OUT}
        )
    elif event.type == events.ASSIGNED and data.get("to"):
        agent = User.objects.filter(pk=data["to"]).only("full_name", "email").first()
        if agent is not None:
            _send(
                group,
                {
                    "type": "chat.notice",
                    "ticket_id": event.ticket_id,
                    "code": NOTICE_AGENT_JOINED,
                    "name": agent.display_name,
                },
            )


# --- presence: who is viewing or replying on a ticket ----------------------------------
#
# Kept in the Django cache (locmem in development, Redis in production), one
# key per open socket and ticket, each expiring unless the page's heartbeat
# renews it, plus one index key per ticket listing those sockets. A socket that
# dies without saying goodbye simply expires. Two sockets joining at the same
# instant may overwrite each other's index entry; the next heartbeat puts it back.

PRESENCE_TTL = 60  # seconds; the page sends a heartbeat every 20
TYPING_TTL = 8  # seconds a "typing" signal lasts unless renewed


@dataclass(frozen=True)
class Presence:
    user_id: int
    name: str
    typing: bool


def _index_key(ticket_id: int) -> str:
    return f"presence:{ticket_id}"


def _entry_key(ticket_id: int, channel_name: str) -> str:
    return f"presence:{ticket_id}:{channel_name}"


async def presence_set(
    *, ticket_id: int, channel_name: str, user_id: int, name: str, typing: bool = False
) -> None:
    """This socket's agent is on the ticket's page (and typing, if `typing`)."""
    entry = {
        "user_id": user_id,
        "name": name,
        "typing_until": time.time() + TYPING_TTL if typing else 0,
    }
    await cache.aset(_entry_key(ticket_id, channel_name), entry, PRESENCE_TTL)
    index = await cache.aget(_index_key(ticket_id)) or []
    if channel_name not in index:
        index = [*index, channel_name]
    await cache.aset(_index_key(ticket_id), index, PRESENCE_TTL)


async def presence_clear(*, ticket_id: int, channel_name: str) -> None:
    await cache.adelete(_entry_key(ticket_id, channel_name))
    index = await cache.aget(_index_key(ticket_id)) or []
    if channel_name in index:
        await cache.aset(
            _index_key(ticket_id), [c for c in index if c != channel_name], PRESENCE_TTL
        )


async def presence_list(*, ticket_id: int) -> list[Presence]:
    """The agents on the ticket's page now, one row per agent (several tabs count once)."""
    index = await cache.aget(_index_key(ticket_id)) or []
    if not index:
        return []
    keys = {_entry_key(ticket_id, channel): channel for channel in index}
    entries = await cache.aget_many(list(keys))
    now = time.time()
    people: dict[int, Presence] = {}
    for entry in entries.values():
        typing = entry["typing_until"] > now
        known = people.get(entry["user_id"])
        people[entry["user_id"]] = Presence(
            entry["user_id"], entry["name"], typing or bool(known and known.typing)
        )
    return sorted(people.values(), key=lambda p: (p.name, p.user_id))


async def presence_broadcast(*, ticket_id: int) -> None:
    """Tells the ticket's subscribed pages who is there now."""
    layer = get_channel_layer()
    if layer is None:
        return
    people = await presence_list(ticket_id=ticket_id)
    await layer.group_send(
        ticket_group(ticket_id),
        {
            "type": "presence.changed",
            "ticket_id": ticket_id,
            "agents": [{"user_id": p.user_id, "name": p.name, "typing": p.typing} for p in people],
        },
    )
