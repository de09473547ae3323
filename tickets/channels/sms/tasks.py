"""Celery shell for outbound SMS: load by id, send once, retry network trouble with backoff."""

from celery import shared_task

from tickets.channels.sms import outbound


@shared_task(
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=1800,
    retry_jitter=True,
    max_retries=8,
    soft_time_limit=30,
    time_limit=40,
)
def send_sms_reply(message_id: int) -> str:
    return outbound.sms_reply_send(message_id=message_id)
