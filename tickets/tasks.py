"""Celery shells: load by id, check the work is still due, call one function."""

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from tickets import mail
from tickets.channels.email import bounces, outbound
from tickets.models import Message, TicketEvent

logger = logging.getLogger(__name__)

RETRY = {
    # SMTPException is an OSError since Python 3.4; named so nobody has to know that.
    "autoretry_for": (OSError, smtplib.SMTPException),
    "retry_backoff": 30,
    "retry_backoff_max": 1800,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(bind=True, **RETRY)
def send_reply_email(self, message_id: int) -> str:
    """Emails a public reply to the requester, once.

    The row lock plus `emailed_at` make a retried or duplicated task a no-op
    once the mail went out. A failed attempt is recorded on the ticket and
    retried with backoff; a recipient the server refuses permanently (5xx)
    is a hard bounce: the address is marked and the task does not retry.
    """
    try:
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
    except smtplib.SMTPRecipientsRefused as exc:
        refused = outbound.refused_recipients(exc)
        if not refused:
            _record_send_failure(self, message_id, exc)
            raise
        message = Message.objects.select_related("ticket").get(pk=message_id)
        for address, code, reason in refused:
            bounces.address_mark_bounced(
                email=address,
                reason=f"{code} {reason}",
                status=str(code),
                ticket=message.ticket,
                message_id=message.pk,
            )
        return "bounced"
    except (OSError, smtplib.SMTPException) as exc:
        _record_send_failure(self, message_id, exc)
        raise
    return "sent"


def _record_send_failure(task, message_id: int, error: Exception) -> None:
    """Outside the rolled-back transaction, so the event survives the retry."""
    message = Message.objects.select_related("ticket").filter(pk=message_id).first()
    if message is None:
        return
    attempt = task.request.retries + 1
    final = task.request.retries >= task.max_retries
    logger.warning("reply %s not sent (attempt %s): %s", message_id, attempt, error)
    bounces.send_failure_record(
        ticket=message.ticket,
        message_id=message_id,
        error=f"{error.__class__.__name__}: {error}",
        attempt=attempt,
        final=final,
    )


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


POLL_LOCK = "tickets.poll_mailbox.lock"
POLL_LOCK_SECONDS = 330  # the hard time limit: a killed pass frees the lock by expiry


@shared_task(soft_time_limit=300, time_limit=POLL_LOCK_SECONDS)
def poll_mailbox() -> str:
    """One pass over IMAP_URL (beat runs it every minute); nothing to do when it is unset.

    No autoretry: the next beat tick is the retry, and messages are marked
    seen only once filed or definitively skipped, so nothing is lost.
    """
    if not getattr(settings, "IMAP_URL", ""):
        return "disabled"
    from tickets.channels.email import imap  # imports the services, which import this module

    # One pass at a time: a slow pass must not be joined by the next tick's.
    if not cache.add(POLL_LOCK, "1", timeout=POLL_LOCK_SECONDS):
        return "busy"
    try:
        reports = imap.mailbox_poll_all()
    finally:
        cache.delete(POLL_LOCK)
    return "; ".join(report.summary() for report in reports)
