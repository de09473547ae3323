"""Celery shells for the SLA engine."""

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from sla import services
from sla.models import SlaNotice

RETRY = {
    "autoretry_for": (OSError,),
    "retry_backoff": 30,
    "retry_backoff_max": 1800,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(**RETRY)
def sync_ticket(ticket_id: int) -> int:
    """Applies a ticket's new events to its clocks (idempotent: a per-ticket cursor)."""
    return services.ticket_sla_sync(ticket_id=ticket_id)


@shared_task(soft_time_limit=1800, time_limit=1900)
def recompute_open_tickets() -> int:
    """Re-times open clocks after a policy change, ticket by ticket (each in its own transaction)."""
    from sla.models import OPEN_STATES, SlaTarget

    ticket_ids = (
        SlaTarget.objects.filter(state__in=OPEN_STATES)
        .values_list("ticket_id", flat=True)
        .distinct()
        .iterator()
    )
    count = 0
    for ticket_id in ticket_ids:
        services.ticket_sla_recompute(ticket_id=ticket_id)
        count += 1
    return count


@shared_task(soft_time_limit=50, time_limit=55)
def scan() -> dict:
    """Every minute (beat): claim due warnings and breaches."""
    return services.sla_scan()


@shared_task(**RETRY)
def send_sla_notices(notice_ids: list[int]) -> int:
    """Sends each notice not sent yet; a retry after a partial failure resumes where it stopped."""
    return sum(send_sla_notice(notice_id) == "sent" for notice_id in notice_ids)


def send_sla_notice(notice_id: int) -> str:
    """Emails one warning or breach notice, once (row lock + `sent_at`)."""
    with transaction.atomic():
        notice = (
            SlaNotice.objects.select_for_update(of=("self",))
            .select_related("recipient", "target__ticket")
            .filter(pk=notice_id, sent_at__isnull=True)
            .first()
        )
        if notice is None:
            return "skipped"
        ticket = notice.target.ticket
        recipient = notice.recipient
        context = {
            "notice": notice,
            "ticket": ticket,
            "target": notice.target,
            "recipient": recipient,
            "ticket_url": settings.SITE_URL + reverse("agent:ticket", args=[ticket.pk]),
        }
        with translation.override(recipient.language or settings.LANGUAGE_CODE):
            subject = render_to_string("sla/email/notice_subject.txt", context).strip()
            text = render_to_string("sla/email/notice.txt", context)
        email = EmailMultiAlternatives(
            subject=" ".join(subject.splitlines()),
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[recipient.email],
            headers={"Auto-Submitted": "auto-generated"},
        )
        email.send()
        notice.sent_at = timezone.now()
        notice.save(update_fields=["sent_at"])
    return "sent"
