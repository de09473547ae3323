"""Reads for live chat, scoped like every ticket read (`Ticket.objects.visible_to`)."""

from datetime import datetime

from django.db.models import QuerySet

from accounts.models import User
from tickets import selectors
from tickets.models import ACTIVE_STATUSES, Channel, Status, Ticket

TIMED_OUT = "chat.timed_out"


def chats_waiting(*, user: User) -> QuerySet[Ticket]:
    """Chats nobody has picked up: new and unassigned, the longest waiting first.

    Filters on status first, so the (status, -updated_at) index narrows it.
    """
    return (
        selectors.ticket_list_for(user=user)
        .filter(channel=Channel.CHAT, status=Status.NEW, assignee__isnull=True)
        .order_by("created_at", "id")
    )


def chats_assigned_to(*, user: User) -> QuerySet[Ticket]:
    return (
        selectors.ticket_list_for(user=user)
        .filter(channel=Channel.CHAT, assignee=user, status__in=ACTIVE_STATUSES)
        .order_by("-updated_at", "-id")
    )


def chat_current_for(*, user: User) -> Ticket | None:
    """The customer's own chat still going on (their latest active one), if any."""
    return (
        selectors.ticket_list_for(user=user)
        .filter(channel=Channel.CHAT, requester=user, status__in=ACTIVE_STATUSES)
        .order_by("-created_at", "-id")
        .first()
    )


def chat_ids_for_customer(*, user: User) -> list[int]:
    """The customer's own active chats: the only chat groups their socket joins."""
    return list(
        Ticket.objects.visible_to(user)
        .filter(channel=Channel.CHAT, requester=user, status__in=ACTIVE_STATUSES)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
    )


def chat_ids_past_pickup(*, cutoff: datetime, limit: int = 200) -> list[int]:
    """Chats still new and unassigned since before `cutoff` that were not timed out yet.

    System read for the beat task (no user scope). The status filter uses the
    (status, -updated_at) index; the rest narrows a handful of rows.
    """
    return list(
        Ticket.objects.filter(
            status=Status.NEW,
            channel=Channel.CHAT,
            assignee__isnull=True,
            created_at__lte=cutoff,
        )
        .exclude(events__type=TIMED_OUT)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


def chat_timed_out(*, ticket: Ticket) -> bool:
    return ticket.events.filter(type=TIMED_OUT).exists()
