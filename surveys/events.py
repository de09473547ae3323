"""What surveys announce to other apps.

- `survey.low_score`, a ticket event (`tickets.events`): recorded on the
  survey's ticket, in the answering transaction, each time an answer is saved
  as low (CSAT <= 2, NPS <= 6, effort <= 2): the first answer, or a change of
  score or comment. data: survey_id, kind, score, comment, previous_score
  (None for a first answer). Service recovery listens for it; one survey may
  emit it more than once, so key on `survey_id`. Announced after commit
  through `tickets.events.ticket_event` like every ticket event.
- `survey_answered`, a Django signal: sent after the answering transaction
  commits, with `survey=<Survey>` and `response=<SurveyResponse>`.

Receivers must be quick: queue a task or write a row.
"""

from django.dispatch import Signal

from tickets import events as ticket_events

LOW_SCORE = "survey.low_score"
ticket_events.register_types(LOW_SCORE)

survey_answered = Signal()
