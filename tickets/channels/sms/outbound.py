"""Texting public staff replies on SMS tickets to the customer, once each."""

import logging

from django.db import transaction

from tickets import events
from tickets.channels.sms.backends import get_backend
from tickets.models import Channel, Message, TicketEvent

logger = logging.getLogger(__name__)

SENT = "sms.sent"  # data: message_id, to, provider_id
events.register_types(SENT)


def on_ticket_event(sender, event: TicketEvent, **kwargs) -> None:
    """After commit: a public staff reply on an SMS ticket queues its text."""
    data = event.data or {}
    if event.type != events.MESSAGE_ADDED or data.get("internal") or data.get("from_customer"):
        return
    if event.ticket.channel != Channel.SMS:
        return
    from tickets.channels.sms import tasks  # the task module imports this one

    tasks.send_sms_reply.delay(data["message_id"])


def sms_reply_send(*, message_id: int) -> str:
    """Texts the public reply `message_id` to the requester's phone, unless it was already.

    The message's row lock and the "sms.sent" event make a retried or
    duplicated task send nothing twice.
    """
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(of=("self",))
            .select_related("ticket__requester")
            .filter(pk=message_id, internal=False, ticket__channel=Channel.SMS)
            .first()
        )
        if message is None:
            return "skipped"
        ticket = message.ticket
        if TicketEvent.objects.filter(
            ticket=ticket, type=SENT, data__message_id=message.pk
        ).exists():
            return "already sent"
        phone = ticket.requester.phone
        if not phone:
            logger.warning("SMS ticket %s: the requester has no phone number", ticket.pk)
            return "no phone"
        provider_id = get_backend().send(to=phone, body=message.body)
        events.record(
            ticket=ticket,
            actor=None,
            type=SENT,
            data={"message_id": message.pk, "to": phone, "provider_id": str(provider_id)[:100]},
        )
    return "sent"
