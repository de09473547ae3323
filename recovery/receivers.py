"""Recovery listens to the ticket event stream; `tickets` does not know it exists.

The one receiver is quick: a look at the event's type and data, then a task.
"""

from recovery import detectors, tasks
from tickets.models import TicketEvent


def on_ticket_event(sender, event: TicketEvent, **kwargs) -> None:
    if detectors.wanted(event):
        tasks.detect.delay(event.pk)


def on_case_event(sender, event, **kwargs) -> None:
    """A case resolved: its follow-up survey is scheduled by a task."""
    from recovery import events as case_events
    from recovery.models import CaseStatus

    if event.type == case_events.STATUS_CHANGED and event.data.get("to") == CaseStatus.RESOLVED:
        tasks.schedule_follow_up.delay(event.case_id)


def on_survey_answered(sender, survey, response, **kwargs) -> None:
    """A recovery follow-up survey answered: the case's outcome, by a task."""
    if getattr(survey, "origin", "") == "recovery" and survey.origin_id:
        tasks.record_follow_up_answer.delay(survey.origin_id, survey.kind, response.score)
