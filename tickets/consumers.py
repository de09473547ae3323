"""Websockets: `/ws/agent/` for agents' pages, `/ws/chat/` for live chat.

Consumers authenticate, check access through the ticket selectors, join
groups and forward; every write goes through the services. Group names and
what is pushed to them live in `tickets.realtime`.
"""

import time
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helpdesk.errors import ApplicationError, NotFound
from tickets import realtime, selectors
from tickets.channels.chat import selectors as chat_selectors
from tickets.channels.chat import services as chat_services
from tickets.models import Channel, Ticket

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
MAX_SUBSCRIPTIONS = 20  # ticket pages one agent socket may watch at once


def _ticket_id(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        number = int(value)
    except ValueError:
        return None
    return number if 0 < number < 2**63 else None


class AgentConsumer(AsyncJsonWebsocketConsumer):
    """`/ws/agent/`: staff only.

    Every socket hears `ticket.changed` for all tickets (queues refresh). A
    ticket page also sends `{"type": "subscribe", "ticket_id": N}` to join the
    ticket's group: it then hears who else is viewing or replying there
    (`presence`), and tells them in turn with `{"type": "typing", "ticket_id":
    N, "active": true|false}` and a `{"type": "heartbeat"}` every 20 seconds.
    """

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_agent:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.user = user
        self.watching: set[int] = set()
        await self.channel_layer.group_add(realtime.AGENTS_GROUP, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(realtime.AGENTS_GROUP, self.channel_name)
        for ticket_id in list(getattr(self, "watching", ())):
            await self._unsubscribe(ticket_id)

    async def receive_json(self, content: Any, **kwargs) -> None:
        if not isinstance(content, dict):
            return
        kind = content.get("type")
        ticket_id = _ticket_id(content.get("ticket_id"))
        if kind == "subscribe" and ticket_id:
            await self._subscribe(ticket_id)
        elif kind == "unsubscribe" and ticket_id in self.watching:
            await self._unsubscribe(ticket_id)
        elif kind == "typing" and ticket_id in self.watching:
            await self._present(ticket_id, typing=bool(content.get("active", True)))
        elif kind == "heartbeat":
            for watched in list(self.watching):
                await self._present(watched, typing=False, announce=False)

    async def _subscribe(self, ticket_id: int) -> None:
        if ticket_id not in self.watching:
            if len(self.watching) >= MAX_SUBSCRIPTIONS or not await self._may_see(ticket_id):
                await self.send_json({"type": "error", "ticket_id": ticket_id})
                return
            self.watching.add(ticket_id)
            await self.channel_layer.group_add(realtime.ticket_group(ticket_id), self.channel_name)
        await self._present(ticket_id, typing=False)

    async def _unsubscribe(self, ticket_id: int) -> None:
        self.watching.discard(ticket_id)
        await self.channel_layer.group_discard(realtime.ticket_group(ticket_id), self.channel_name)
        await realtime.presence_clear(ticket_id=ticket_id, channel_name=self.channel_name)
        await realtime.presence_broadcast(ticket_id=ticket_id)

    async def _present(self, ticket_id: int, *, typing: bool, announce: bool = True) -> None:
        await realtime.presence_set(
            ticket_id=ticket_id,
            channel_name=self.channel_name,
            user_id=self.user.pk,
            name=self.user.display_name,
            typing=typing,
        )
        if announce:
            await realtime.presence_broadcast(ticket_id=ticket_id)

    @database_sync_to_async
    def _may_see(self, ticket_id: int) -> bool:
        try:
            selectors.ticket_get_for(user=self.user, ticket_id=ticket_id)
        except ApplicationError:
            return False
        return True

    async def ticket_changed(self, message: dict) -> None:
        await self.send_json(
            {"type": "ticket.changed", "ticket_id": message["ticket_id"], "event": message["event"]}
        )

    async def presence_changed(self, message: dict) -> None:
        """Everyone on the ticket but this agent (in any of their tabs)."""
        others = [
            {"name": agent["name"], "typing": agent["typing"]}
            for agent in message["agents"]
            if agent["user_id"] != self.user.pk
        ]
        await self.send_json(
            {"type": "presence", "ticket_id": message["ticket_id"], "agents": others}
        )


class ChatConsumer(AsyncJsonWebsocketConsumer):
    """`/ws/chat/`: a customer's live chat, and the agents answering it.

    A customer's socket joins the groups of their own active chats only.
    Staff join a chat with `{"type": "chat.join", "ticket_id": N}`. Either
    side writes with `{"type": "chat.message", "body": "...", "ticket_id": N}`
    (a customer may leave out `ticket_id`: their first line starts a chat).

    The socket receives `chat.joined`, `chat.message` (a public line, from the
    group, after commit), `chat.notice` (an agent joined; nobody picked the
    chat up in time) and `chat.error`. Notices are put in words here, in the
    reader's language.
    """

    RATE_WINDOW = 10.0  # seconds
    RATE_LIMIT = 20  # lines per window and socket

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        if not user.is_active:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.user = user
        self.chats: set[int] = set()
        self.sent_at: list[float] = []
        await self.accept()
        if not user.is_agent:
            for ticket_id in await database_sync_to_async(chat_selectors.chat_ids_for_customer)(
                user=user
            ):
                await self._join(ticket_id)

    async def disconnect(self, code: int) -> None:
        for ticket_id in list(getattr(self, "chats", ())):
            await self.channel_layer.group_discard(
                realtime.chat_group(ticket_id), self.channel_name
            )

    async def receive_json(self, content: Any, **kwargs) -> None:
        if not isinstance(content, dict):
            return
        kind = content.get("type")
        ticket_id = _ticket_id(content.get("ticket_id"))
        if kind == "chat.join" and ticket_id:
            if await self._chat_for(ticket_id) is None:
                await self._error(gettext_lazy("No such chat."), ticket_id)
            else:
                await self._join(ticket_id)
        elif kind == "chat.leave" and ticket_id in self.chats:
            self.chats.discard(ticket_id)
            await self.channel_layer.group_discard(
                realtime.chat_group(ticket_id), self.channel_name
            )
        elif kind == "chat.message":
            await self._say(content.get("body"), ticket_id)

    async def _join(self, ticket_id: int) -> None:
        self.chats.add(ticket_id)
        await self.channel_layer.group_add(realtime.chat_group(ticket_id), self.channel_name)
        await self.send_json({"type": "chat.joined", "ticket_id": ticket_id})

    async def _say(self, body: Any, ticket_id: int | None) -> None:
        now = time.monotonic()
        self.sent_at = [t for t in self.sent_at if now - t < self.RATE_WINDOW]
        if len(self.sent_at) >= self.RATE_LIMIT:
            await self._error(
                gettext_lazy("You are sending messages too quickly. Please wait a moment.")
            )
            return
        self.sent_at.append(now)
        if self.user.is_agent and ticket_id not in self.chats:
            await self._error(gettext_lazy("Join the chat before answering it."), ticket_id)
            return
        if ticket_id not in self.chats:
            # A customer's stale or foreign id: their own current chat, or a new one.
            ticket_id = None
        try:
            line = await self._write(body if isinstance(body, str) else "", ticket_id)
        except ApplicationError as error:
            await self._error(error.message, ticket_id)
            return
        if line.ticket.pk not in self.chats:
            # A chat this socket was not in yet (its first line, or one begun in
            # another tab): the group push happened before this socket joined,
            # so show the line here. Later lines come back through the group.
            await self._join(line.ticket.pk)
            await self.send_json(
                {
                    "type": "chat.message",
                    "ticket_id": line.ticket.pk,
                    "message": realtime.chat_message_payload(line.message),
                }
            )

    async def _chat_for(self, ticket_id: int) -> Ticket | None:
        return await database_sync_to_async(self._chat_for_sync)(ticket_id)

    def _chat_for_sync(self, ticket_id: int) -> Ticket | None:
        """The chat ticket if this person may take part: staff any, a customer their own."""
        try:
            ticket = selectors.ticket_get_for(user=self.user, ticket_id=ticket_id)
        except ApplicationError:
            return None
        if ticket.channel != Channel.CHAT:
            return None
        if not self.user.is_agent and ticket.requester_id != self.user.pk:
            return None
        return ticket

    @database_sync_to_async
    def _write(self, body: str, ticket_id: int | None) -> chat_services.ChatLine:
        with translation.override(self.user.language):
            ticket = None
            if ticket_id is not None:
                ticket = self._chat_for_sync(ticket_id)
                if ticket is None:
                    raise NotFound(_("No such chat."))
            elif not self.user.is_agent:
                ticket = chat_selectors.chat_current_for(user=self.user)
            return chat_services.chat_say(actor=self.user, body=body, ticket=ticket)

    async def _error(self, detail: str, ticket_id: int | None = None) -> None:
        """`detail` may be lazy: it is put in words here, in the reader's language."""
        with translation.override(self.user.language):
            text = str(detail)
        await self.send_json({"type": "chat.error", "ticket_id": ticket_id, "detail": text})

    async def chat_message(self, message: dict) -> None:
        await self.send_json(
            {
                "type": "chat.message",
                "ticket_id": message["ticket_id"],
                "message": message["message"],
            }
        )

    async def chat_notice(self, message: dict) -> None:
        with translation.override(self.user.language):
            text = self._notice_text(message)
        await self.send_json(
            {
                "type": "chat.notice",
                "ticket_id": message["ticket_id"],
                "code": message["code"],
                "text": text,
            }
        )

    def _notice_text(self, message: dict) -> str:
        if message["code"] == realtime.NOTICE_TIMED_OUT:
            if self.user.is_agent:
                return _(
                    "Nobody picked this chat up in time: the customer was told we will answer by email."
                )
            return _(
                "All our agents are busy right now. We have your message and will answer by "
                "email at %(email)s, so you can close this window."
            ) % {"email": self.user.email}
        if message["code"] == realtime.NOTICE_AGENT_JOINED:
            return _("%(name)s joined the chat.") % {"name": message.get("name", "")}
        return ""
