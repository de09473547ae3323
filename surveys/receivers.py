"""Surveys listen to the ticket event stream; `tickets` does not know they exist."""

from surveys import tasks
from tickets import events
from tickets.models import Status, TicketEvent


def on_ticket_event(sender, event: TicketEvent, **kwargs) -> None:
    """A solve schedules a survey; a reopen withdraws the ones not sent yet."""
    if event.type == events.STATUS_CHANGED and (event.data or {}).get("to") == Status.SOLVED:
        tasks.schedule_after_solve.delay(event.pk)
    elif event.type == events.REOPENED:
        tasks.cancel_for_ticket.delay(event.ticket_id)
