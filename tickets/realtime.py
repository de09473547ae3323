"""Pushes "this ticket changed" to agents' browsers over Channels.

The push carries ids only; the page fetches the fragment it needs through the
normal, permission-checked views.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from tickets.models import TicketEvent

logger = logging.getLogger(__name__)

AGENTS_GROUP = "agents"


def ticket_group(ticket_id: int) -> str:
    return f"ticket-{ticket_id}"


def on_ticket_event(sender, event: TicketEvent, **kwargs) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    payload = {"type": "ticket.changed", "ticket_id": event.ticket_id, "event": event.type}
    try:
        async_to_sync(layer.group_send)(AGENTS_GROUP, payload)
        async_to_sync(layer.group_send)(ticket_group(event.ticket_id), payload)
    except Exception:
        # A live push is a convenience: a channel-layer outage must not fail the change.
        logger.warning(
            "could not push %s for ticket %s", event.type, event.ticket_id, exc_info=True
        )
