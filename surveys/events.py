"""What surveys announce to other apps (service recovery listens for low scores).

Sent after the answering transaction commits, with `survey=<Survey>` and
`response=<SurveyResponse>`. Receivers must be quick: queue a task or write a
row.
"""

from django.dispatch import Signal

survey_answered = Signal()
