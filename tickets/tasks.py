"""Celery shells: load by id, check the work is still due, call one function."""

import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from tickets import mail
from tickets.models import Message, TicketEvent

logger = logging.getLogger(__name__)

RETRY = {
    "autoretry_for": (OSError,),
    "retry_backoff": 30,
    "retry_backoff_max": 1800,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(**RETRY)
def send_reply_email(message_id: int) -> str:
    """Emails a public reply to the requester, once.

    The row lock plus `emailed_at` make a retried or duplicated task a no-op
    once the mail went out.
    """
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(of=("self",))
            .select_related("ticket__requester", "author")
            .filter(pk=message_id, internal=False, emailed_at__isnull=True)
            .first()
        )
        if message is None:
            return "skipped"
        if not message.email_message_id:
            message.email_message_id = mail.new_message_id()
        mail.build_reply_email(message).send()
        message.emailed_at = timezone.now()
        message.save(update_fields=["email_message_id", "emailed_at"])
    return "sent"


@shared_task(**RETRY)
def send_assignment_email(event_id: int) -> str:
    event = (
        TicketEvent.objects.select_related("ticket__assignee", "actor").filter(pk=event_id).first()
    )
    if event is None:
        return "skipped"
    email = mail.build_assignment_email(event)
    if email is None:
        return "stale"
    email.send()
    return "sent"
