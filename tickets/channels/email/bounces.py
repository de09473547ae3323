"""Addresses mail cannot reach, and what the ticket timeline records about email delivery.

A hard bounce (a delivery report saying "failed" with a 5.x.x status for one
of our messages, or the SMTP server refusing the recipient outright) marks
the address; mail arriving from it later clears the mark. Each bounce and
each failed send is also an event on the ticket, so its people can see why
the customer did not get an answer.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from tickets import events
from tickets.models import BouncedAddress, Ticket

BOUNCED = "email.bounced"  # data: address, status, reason, message_id (ours that bounced)
SEND_FAILED = "email.send_failed"  # data: message_id, attempt, error, final (no more retries)

events.register_types(BOUNCED, SEND_FAILED)


def address_mark_bounced(
    *,
    email: str,
    reason: str,
    status: str = "",
    ticket: Ticket | None = None,
    message_id: int | None = None,
) -> BouncedAddress:
    """Marks `email` as bouncing and, when the bounce is about a ticket's mail, records it there."""
    email = email.strip().lower()[:254]
    reason = reason[:255]
    now = timezone.now()
    with transaction.atomic():
        row, created = BouncedAddress.objects.select_for_update().get_or_create(
            email=email,
            defaults={"bounce_count": 1, "reason": reason, "last_bounced_at": now},
        )
        if not created:
            row.bouncing = True
            row.bounce_count += 1
            row.reason = reason
            row.last_bounced_at = now
            row.cleared_at = None
            row.save(
                update_fields=[
                    "bouncing",
                    "bounce_count",
                    "reason",
                    "last_bounced_at",
                    "cleared_at",
                ]
            )
        if ticket is not None:
            events.record(
                ticket=ticket,
                actor=None,
                type=BOUNCED,
                data={
                    "address": email,
                    "status": status,
                    "reason": reason,
                    "message_id": message_id,
                },
            )
    return row


def address_clear_bounce(*, email: str) -> None:
    """Mail came from the address: it is alive again. One UPDATE, and none when nothing is marked."""
    BouncedAddress.objects.filter(email=email.strip().lower(), bouncing=True).update(
        bouncing=False, cleared_at=timezone.now()
    )


def bouncing_addresses(emails: Iterable[str]) -> set[str]:
    """Which of `emails` are marked as bouncing (for pages that warn before replying)."""
    wanted = {e.strip().lower() for e in emails if e}
    if not wanted:
        return set()
    return set(
        BouncedAddress.objects.filter(email__in=wanted, bouncing=True).values_list(
            "email", flat=True
        )
    )


def send_failure_record(*, ticket: Ticket, message_id: int, error: str, attempt: int, final: bool):
    """A failed attempt to email a reply: visible on the ticket while the task retries."""
    with transaction.atomic():
        return events.record(
            ticket=ticket,
            actor=None,
            type=SEND_FAILED,
            data={
                "message_id": message_id,
                "attempt": attempt,
                "error": error[:500],
                "final": final,
            },
        )
