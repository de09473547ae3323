"""`call_log`: the one way a phone call reaches a ticket."""

from dataclasses import dataclass

from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from helpdesk.errors import ApplicationError, PermissionDenied
from tickets import events, services
from tickets.models import Channel, Message, Ticket

LOGGED = "call.logged"  # data: message_id, direction, duration_minutes
events.register_types(LOGGED)

MAX_DURATION_MINUTES = 24 * 60


class Direction(models.TextChoices):
    INBOUND = "inbound", gettext_lazy("Inbound (the customer called)")
    OUTBOUND = "outbound", gettext_lazy("Outbound (we called)")


@dataclass(frozen=True)
class LoggedCall:
    ticket: Ticket
    message: Message


def call_log(
    *,
    actor: User,
    direction: str,
    duration_minutes: int,
    summary: str,
    ticket: Ticket | None = None,
    requester: User | None = None,
    subject: str = "",
) -> LoggedCall:
    """Logs a call on `ticket`, or (without one) as a new ticket for `requester`.

    Staff only. Precondition: `ticket` came from a selector scoped to `actor`.
    """
    if not actor.is_agent:
        raise PermissionDenied(_("Only support staff may log calls."))
    if direction not in Direction.values:
        raise ApplicationError(
            _("“%(value)s” is not a valid choice.") % {"value": direction}, field="direction"
        )
    if (
        isinstance(duration_minutes, bool)
        or not isinstance(duration_minutes, int)
        or not 0 <= duration_minutes <= MAX_DURATION_MINUTES
    ):
        raise ApplicationError(
            _("The duration must be between 0 and %(max)d minutes.")
            % {"max": MAX_DURATION_MINUTES},
            field="duration_minutes",
        )
    if ticket is None and requester is None:
        raise ApplicationError(_("Choose the ticket or the customer the call was with."))

    with transaction.atomic():
        if ticket is not None:
            message = services.message_add(
                actor=actor, ticket=ticket, body=summary, internal=True, channel=Channel.PHONE
            )
            ticket = message.ticket
        else:
            if not requester.is_customer:
                raise ApplicationError(_("Calls are logged for customers."), field="requester")
            ticket = services.ticket_create(
                actor=actor,
                requester=requester,
                subject=subject,
                body=summary,
                channel=Channel.PHONE,
            )
            message = Message.objects.get(ticket=ticket)
        events.record(
            ticket=ticket,
            actor=actor,
            type=LOGGED,
            data={
                "message_id": message.pk,
                "direction": direction,
                "duration_minutes": duration_minutes,
            },
        )
    return LoggedCall(ticket, message)
