"""The events tickets emit, and how other apps hear of them.

Every service that changes a ticket writes a `TicketEvent` row in its
transaction and calls `record()`. After the transaction commits,
`ticket_event` is sent with the saved row. `sla`, `surveys` and `recovery`
connect receivers to it; `tickets` never imports them. Receivers must be
quick (queue a Celery task or write a row) and must not send mail themselves.
"""

import logging
from typing import Any

from django.db import transaction
from django.dispatch import Signal

from tickets.models import Ticket, TicketEvent

logger = logging.getLogger(__name__)

# Sent after commit with `event=<TicketEvent>`.
ticket_event = Signal()

CREATED = "ticket.created"
MESSAGE_ADDED = "ticket.message_added"  # data: message_id, internal, from_customer, channel
STATUS_CHANGED = "ticket.status_changed"  # data: from, to
REOPENED = "ticket.reopened"  # data: from
PRIORITY_CHANGED = "ticket.priority_changed"  # data: from, to
CATEGORY_CHANGED = "ticket.category_changed"  # data: from, to
ASSIGNED = "ticket.assigned"  # data: from, to (user ids), handoff (bool)
TEAM_CHANGED = "ticket.team_changed"  # data: from, to (team ids), handoff (bool)
TAGS_CHANGED = "ticket.tags_changed"  # data: added, removed
SUBJECT_CHANGED = "ticket.subject_changed"  # data: from, to

TYPES = {
    CREATED,
    MESSAGE_ADDED,
    STATUS_CHANGED,
    REOPENED,
    PRIORITY_CHANGED,
    CATEGORY_CHANGED,
    ASSIGNED,
    TEAM_CHANGED,
    TAGS_CHANGED,
    SUBJECT_CHANGED,
}


def register_types(*types: str) -> None:
    """Other apps add their own event types (`sla.breached`, ...) to the one stream."""
    for name in types:
        assert "." in name and not name.startswith("ticket."), f"namespace event type {name!r}"
        TYPES.add(name)


def record(*, ticket: Ticket, actor: Any, type: str, data: dict | None = None) -> TicketEvent:
    """Writes the event row and announces it once the transaction commits.

    Precondition: called inside the caller's `transaction.atomic` block.
    `actor` None means the system (automation, SLA clock).
    """
    assert type in TYPES, f"unknown ticket event type {type!r}"
    event = TicketEvent.objects.create(
        ticket=ticket,
        actor=actor if getattr(actor, "pk", None) else None,
        type=type,
        data=data or {},
    )
    transaction.on_commit(lambda: announce(event))
    return event


def record_many(items: list[tuple[Ticket, Any, str, dict]]) -> list[TicketEvent]:
    """Like `record` for many (ticket, actor, type, data) at once: one INSERT, each announced after commit."""
    rows = []
    for ticket, actor, type, data in items:
        assert type in TYPES, f"unknown ticket event type {type!r}"
        rows.append(
            TicketEvent(
                ticket=ticket,
                actor=actor if getattr(actor, "pk", None) else None,
                type=type,
                data=data or {},
            )
        )
    created = TicketEvent.objects.bulk_create(rows)
    transaction.on_commit(lambda: [announce(event) for event in created])
    return created


def announce(event: TicketEvent) -> None:
    """Sends `ticket_event`; a failing receiver is logged and never undoes or blocks the change."""
    for receiver, result in ticket_event.send_robust(sender=TicketEvent, event=event):
        if isinstance(result, Exception):
            logger.error(
                "receiver %r failed on %s #%s", receiver, event.type, event.pk, exc_info=result
            )
