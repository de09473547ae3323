"""Celery shells for surveys: load by id, call one service. Each service checks
the work is still due and does it once, so retries and duplicates are safe."""

from celery import shared_task

from surveys import services

RETRY = {
    "autoretry_for": (OSError,),
    "retry_backoff": 30,
    "retry_backoff_max": 1800,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(**RETRY)
def schedule_after_solve(event_id: int) -> int | None:
    survey = services.survey_schedule_after_solve(event_id=event_id)
    return survey.pk if survey else None


@shared_task(**RETRY)
def cancel_for_ticket(ticket_id: int) -> int:
    return services.survey_cancel_for_ticket(ticket_id=ticket_id)


@shared_task(soft_time_limit=50, time_limit=55)
def dispatch() -> dict:
    """Every minute (beat): expire, then claim and queue due surveys and reminders."""
    return services.survey_dispatch()


@shared_task(**RETRY)
def send_survey(survey_id: int) -> str:
    return services.survey_send(survey_id=survey_id)


@shared_task(**RETRY)
def send_survey_reminder(survey_id: int) -> str:
    return services.survey_send_reminder(survey_id=survey_id)


@shared_task(**RETRY)
def alert_low_score(survey_id: int) -> str:
    return services.survey_alert_low_score(survey_id=survey_id)
