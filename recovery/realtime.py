"""Tells agents' browsers that a ticket's recovery case changed, over Channels.

Same group and message shape as `tickets.realtime`: the agent page reloads
its panels on a `ticket.changed` notice, and the queue refreshes. The push
carries ids only; the page fetches what changed through the normal views.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from recovery import events
from recovery.models import RecoveryCaseEvent
from tickets.realtime import AGENTS_GROUP, ticket_group

logger = logging.getLogger(__name__)

CASE_OPENED = "recovery.case_opened"
CASE_CHANGED = "recovery.case_changed"


def on_case_event(sender, event: RecoveryCaseEvent, **kwargs) -> None:
    """After commit: one notice per ticket the change touches (the case's, and the
    ticket whose signal just joined it)."""
    if event.type == events.APOLOGY_DRAFTED:
        return  # always written alongside another change to the case, which pushes
    layer = get_channel_layer()
    if layer is None:
        return
    name = CASE_OPENED if event.type == events.OPENED else CASE_CHANGED
    ticket_ids = {event.case.ticket_id}
    joined = (event.data or {}).get("ticket_id")
    if event.type == events.SIGNAL_ADDED and isinstance(joined, int):
        ticket_ids.add(joined)
    for ticket_id in sorted(ticket_ids):
        payload = {"type": "ticket.changed", "ticket_id": ticket_id, "event": name}
        try:
            async_to_sync(layer.group_send)(AGENTS_GROUP, payload)
            async_to_sync(layer.group_send)(ticket_group(ticket_id), payload)
        except Exception:
            # A live push is a convenience: a channel-layer outage must not fail the change.
            logger.warning("could not push %s for ticket %s", name, ticket_id, exc_info=True)
