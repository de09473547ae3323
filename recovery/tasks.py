"""Celery shells for service recovery: load by id, call one service."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from recovery import services

RETRY = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(**RETRY, soft_time_limit=60, time_limit=90)
def detect(event_id: int) -> int:
    """Runs the detectors on one ticket event; returns how many signals it recorded.

    Idempotent: a detector that already reported the event is skipped, and
    a racing duplicate is refused by the signal's unique source.
    """
    return sum(opened.signal is not None for opened in services.event_detect(event_id=event_id))


@shared_task(soft_time_limit=600, time_limit=660)
def rescore_open_cases() -> int:
    """Every 15 minutes (beat): rescores active cases whose score has gone stale."""
    return services.cases_rescore_stale()


@shared_task(**RETRY, soft_time_limit=60, time_limit=90)
def polish_apology(case_id: int) -> bool:
    """After a draft: lets the configured language model rewrite it (keeps the draft on failure)."""
    return services.case_apology_polish(case_id=case_id)


@shared_task(**RETRY, soft_time_limit=60, time_limit=90)
def schedule_follow_up(case_id: int) -> bool:
    """A case was resolved: schedule its follow-up survey (idempotent per case)."""
    return services.case_follow_up_schedule(case_id=case_id) is not None


@shared_task(**RETRY, soft_time_limit=60, time_limit=90)
def record_follow_up_answer(case_id: int, kind: str, score: int) -> bool:
    """The follow-up survey was answered: record the case's outcome."""
    return services.case_follow_up_answered(case_id=case_id, kind=kind, score=score) is not None
