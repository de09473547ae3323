"""Every read of tickets, already scoped to what the user may see.

Views and API never call `Ticket.objects.get` on a user-supplied id: they call
`ticket_get_for`, which answers NotFound both for a missing ticket and for
one the user may not see.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from accounts.models import User
from helpdesk.errors import NotFound
from tickets.models import (
    ACTIVE_STATUSES,
    PRIORITY_RANK,
    Attachment,
    Message,
    Status,
    Ticket,
    TicketEvent,
    parse_reference,
)


class QueueView:
    MINE = "mine"
    UNASSIGNED = "unassigned"
    TEAM = "team"
    OPEN = "open"
    RECENT = "recent"
    ALL = "all"

    ALL_VIEWS = (MINE, UNASSIGNED, TEAM, OPEN, RECENT, ALL)


SORTS = {
    "updated": ("-updated_at", "-id"),
    "oldest": ("updated_at", "id"),
    "created": ("-created_at", "-id"),
    "priority": ("-priority_rank", "-updated_at", "-id"),
}


def ticket_list_for(*, user: User) -> QuerySet[Ticket]:
    """Tickets the user may see, with what a list row shows loaded in a constant number of queries."""
    return (
        Ticket.objects.visible_to(user)
        .select_related("requester", "assignee", "team", "organisation")
        .prefetch_related("tags")
    )


def ticket_queue(
    *,
    user: User,
    view: str = QueueView.OPEN,
    status: str = "",
    priority: str = "",
    channel: str = "",
    category: str = "",
    q: str = "",
    sort: str = "updated",
) -> QuerySet[Ticket]:
    """An agent queue: one of the named views, narrowed by filters, in the chosen order."""
    tickets = ticket_list_for(user=user)
    if view == QueueView.MINE:
        tickets = tickets.filter(assignee=user, status__in=ACTIVE_STATUSES)
    elif view == QueueView.UNASSIGNED:
        tickets = tickets.filter(assignee__isnull=True, status__in=ACTIVE_STATUSES)
    elif view == QueueView.TEAM:
        tickets = tickets.filter(team__in=user.teams.all(), status__in=ACTIVE_STATUSES)
    elif view == QueueView.OPEN:
        tickets = tickets.filter(status__in=ACTIVE_STATUSES)
    # RECENT and ALL: every status, newest activity first.
    if status:
        tickets = tickets.filter(status=status)
    if priority:
        tickets = tickets.filter(priority=priority)
    if channel:
        tickets = tickets.filter(channel=channel)
    if category:
        tickets = tickets.filter(category=category)
    if q:
        tickets = ticket_search(tickets, q)
    if sort == "priority":
        tickets = tickets.alias(priority_rank=_priority_rank())
    return tickets.order_by(*SORTS.get(sort, SORTS["updated"]))


def _priority_rank() -> Case:
    return Case(
        *[When(priority=p, then=Value(rank)) for p, rank in PRIORITY_RANK.items()],
        output_field=IntegerField(),
    )


def ticket_search(tickets: QuerySet[Ticket], q: str) -> QuerySet[Ticket]:
    """By reference (HD-12 or 12), subject or requester email."""
    q = q.strip()[:200]
    condition = Q(subject__icontains=q) | Q(requester__email__icontains=q)
    pk = parse_reference(q) or (int(q) if q.isdigit() and len(q) < 12 else None)
    if pk:
        condition |= Q(pk=pk)
    return tickets.filter(condition)


def ticket_get_for(*, user: User, ticket_id: Any) -> Ticket:
    try:
        pk = int(ticket_id)
    except (TypeError, ValueError):
        raise NotFound(_("No such ticket.")) from None
    ticket = ticket_list_for(user=user).filter(pk=pk).first()
    if ticket is None:
        raise NotFound(_("No such ticket."))
    return ticket


def message_list_for(*, user: User, ticket: Ticket) -> QuerySet[Message]:
    """Messages on `ticket` the user may see (no internal notes for customers)."""
    messages = (
        Message.objects.filter(ticket=ticket)
        .select_related("author")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
    )
    if not user.is_agent:
        messages = messages.filter(internal=False)
    return messages.order_by("created_at", "id")


def attachment_get_for(*, user: User, attachment_id: Any) -> Attachment:
    try:
        pk = int(attachment_id)
    except (TypeError, ValueError):
        raise NotFound(_("No such file.")) from None
    attachment = (
        Attachment.objects.filter(pk=pk, message__in=Message.objects.visible_to(user))
        .select_related("message")
        .first()
    )
    if attachment is None:
        raise NotFound(_("No such file."))
    return attachment


@dataclass(frozen=True)
class TimelineEntry:
    kind: str  # "message" or "event"
    created_at: datetime
    item: Message | TicketEvent


# Events the timeline shows between messages; the rest are for machines.
TIMELINE_EVENT_TYPES = (
    "ticket.status_changed",
    "ticket.priority_changed",
    "ticket.category_changed",
    "ticket.assigned",
    "ticket.team_changed",
    "ticket.tags_changed",
    "ticket.subject_changed",
)


def ticket_timeline(*, user: User, ticket: Ticket) -> list[TimelineEntry]:
    """Messages and, for staff, system events, oldest first. Two queries plus prefetches."""
    entries = [
        TimelineEntry("message", m.created_at, m)
        for m in message_list_for(user=user, ticket=ticket)
    ]
    if user.is_agent:
        ticket_events = TicketEvent.objects.filter(
            ticket=ticket, type__in=TIMELINE_EVENT_TYPES
        ).select_related("actor")
        entries += [TimelineEntry("event", e.created_at, e) for e in ticket_events]
    entries.sort(key=lambda entry: (entry.created_at, entry.kind == "event"))
    return entries


def customer_other_tickets(*, user: User, ticket: Ticket, limit: int = 10) -> list[Ticket]:
    return list(
        Ticket.objects.visible_to(user)
        .filter(requester_id=ticket.requester_id)
        .exclude(pk=ticket.pk)
        .order_by("-created_at")[:limit]
    )


def status_counts_for(*, user: User) -> dict[str, int]:
    rows = Ticket.objects.visible_to(user).values("status").annotate(n=Count("id"))
    counts = {status: 0 for status in Status.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts
