"""SLA listens to the ticket event stream; `tickets` does not know it exists."""

import logging

from sla import tasks
from tickets import events
from tickets.models import TicketEvent

logger = logging.getLogger(__name__)

# The events that move a clock. Others (tags, assignment, SLA's own) wait for
# the next relevant one: the per-ticket cursor applies them in order then.
CLOCK_EVENTS = frozenset(
    {
        events.CREATED,
        events.MESSAGE_ADDED,
        events.STATUS_CHANGED,
        events.REOPENED,
        events.PRIORITY_CHANGED,
        events.CATEGORY_CHANGED,
    }
)


def on_ticket_event(sender, event: TicketEvent, **kwargs) -> None:
    if event.type in CLOCK_EVENTS:
        tasks.sync_ticket.delay(event.ticket_id)
