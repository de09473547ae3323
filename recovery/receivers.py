"""Recovery listens to the ticket event stream; `tickets` does not know it exists.

The one receiver is quick: a look at the event's type and data, then a task.
"""

from recovery import detectors, tasks
from tickets.models import TicketEvent


def on_ticket_event(sender, event: TicketEvent, **kwargs) -> None:
    if detectors.wanted(event):
        tasks.detect.delay(event.pk)
