"""Writes for live chat: every line goes through `tickets.services`.

A customer's first line opens a ticket with channel "chat" (`ticket_create`);
later lines, theirs and the agents', are `message_add` with channel "chat".
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.models import User
from helpdesk.errors import ApplicationError, PermissionDenied
from tickets import events, services
from tickets.channels.chat import selectors as chat_selectors
from tickets.models import ACTIVE_STATUSES, Channel, Message, Status, Ticket

TIMED_OUT = chat_selectors.TIMED_OUT  # data: timeout_seconds
events.register_types(TIMED_OUT)

DEFAULT_PICKUP_TIMEOUT_SECONDS = 120


def pickup_timeout() -> timedelta:
    """How long a chat may wait for an agent before the customer is told we will email."""
    return timedelta(
        seconds=getattr(settings, "CHAT_PICKUP_TIMEOUT_SECONDS", DEFAULT_PICKUP_TIMEOUT_SECONDS)
    )


@dataclass(frozen=True)
class ChatLine:
    ticket: Ticket
    message: Message
    started: bool  # this line opened the chat


def _subject(body: str) -> str:
    first_line = next((line.strip() for line in body.splitlines() if line.strip()), "")
    return Truncator(first_line).chars(80) or _("Chat")


def chat_say(*, actor: User, body: str, ticket: Ticket | None = None) -> ChatLine:
    """One line of chat.

    A customer without `ticket` (or whose `ticket` has ended) starts a new
    chat; staff answer on a given chat ticket. Precondition: `ticket` came
    from a selector scoped to `actor`.
    """
    if actor.is_agent:
        if ticket is None or ticket.channel != Channel.CHAT:
            raise ApplicationError(_("Choose a chat to answer."), field="ticket")
        message = services.message_add(actor=actor, ticket=ticket, body=body, channel=Channel.CHAT)
        return ChatLine(ticket, message, started=False)
    if ticket is not None and (ticket.channel != Channel.CHAT or ticket.requester_id != actor.pk):
        raise PermissionDenied(_("This is not your chat."))
    if ticket is not None and ticket.status in ACTIVE_STATUSES:
        message = services.message_add(actor=actor, ticket=ticket, body=body, channel=Channel.CHAT)
        return ChatLine(ticket, message, started=False)
    with transaction.atomic():
        ticket = services.ticket_create(
            actor=actor, requester=actor, subject=_subject(body), body=body, channel=Channel.CHAT
        )
        message = Message.objects.select_related("author", "ticket").get(ticket=ticket)
    return ChatLine(ticket, message, started=True)


def chat_time_out(*, ticket_id: int) -> bool:
    """Records, once, that nobody picked this chat up in time; True when it did.

    The event tells the chat (tickets.realtime) that the conversation goes on
    by email: the next public reply is emailed as usual. Re-checks everything
    under the row lock, so a late pick-up or a second scan changes nothing.
    """
    timeout = pickup_timeout()
    with transaction.atomic():
        ticket = (
            Ticket.objects.select_for_update()
            .filter(
                pk=ticket_id,
                channel=Channel.CHAT,
                status=Status.NEW,
                assignee__isnull=True,
                created_at__lte=timezone.now() - timeout,
            )
            .first()
        )
        if ticket is None or chat_selectors.chat_timed_out(ticket=ticket):
            return False
        events.record(
            ticket=ticket,
            actor=None,
            type=TIMED_OUT,
            data={"timeout_seconds": int(timeout.total_seconds())},
        )
    return True


def chats_time_out_waiting() -> int:
    """Times out every chat past the pick-up timeout; how many it timed out."""
    cutoff = timezone.now() - pickup_timeout()
    return sum(
        chat_time_out(ticket_id=pk) for pk in chat_selectors.chat_ids_past_pickup(cutoff=cutoff)
    )
