"""Celery shell for live chat (beat entry `chat-pickup-timeout` in helpdesk/celery.py)."""

from celery import shared_task

from tickets.channels.chat import services


@shared_task(soft_time_limit=50, time_limit=55)
def expire_waiting_chats() -> int:
    """Tells customers whose chat nobody picked up that we will answer by email.

    Idempotent: each chat is timed out once (the event's absence is re-checked
    under the row lock), so overlapping runs do nothing twice.
    """
    return services.chats_time_out_waiting()
