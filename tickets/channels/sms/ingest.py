"""`sms_ingest`: the one service every inbound text goes through."""

import contextlib
import hashlib
import logging
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.services import customer_get_or_create
from helpdesk.errors import ApplicationError
from tickets import services
from tickets.channels.sms.numbers import normalise_phone, placeholder_email
from tickets.models import ACTIVE_STATUSES, Channel, Message, Ticket

logger = logging.getLogger(__name__)

MAX_BODY = 5_000
MAX_MESSAGE_ID = 200
# A provider retries within minutes; a day of remembered ids turns those away
# without a query. The database check below is what makes intake exactly-once.
SEEN_TTL = 24 * 60 * 60


class Outcome:
    CREATED = "created"
    REPLIED = "replied"
    DUPLICATE = "duplicate"


@dataclass(frozen=True)
class SmsResult:
    outcome: str
    ticket: Ticket | None = None
    message: Message | None = None


def external_id(message_id: str) -> str:
    """Texts reuse `Message.email_message_id` as their external id, namespaced."""
    return f"sms:{message_id}"


def _seen_key(message_id: str) -> str:
    return "sms:seen:" + hashlib.sha256(message_id.encode()).hexdigest()


def _check(*, sender: object, body: object, message_id: object) -> tuple[str, str, str]:
    phone = normalise_phone(sender) if isinstance(sender, str) else None
    if phone is None:
        raise ApplicationError(
            _("“from” must be a phone number in international form, such as +34600111222."),
            field="from",
        )
    if not isinstance(body, str) or not body.strip():
        raise ApplicationError(_("“body” must be non-empty text."), field="body")
    if len(body) > MAX_BODY:
        raise ApplicationError(
            _("“body” is too long (at most %(max)d characters).") % {"max": MAX_BODY}, field="body"
        )
    if (
        not isinstance(message_id, str)
        or not message_id.strip()
        or len(message_id) > MAX_MESSAGE_ID
        or not message_id.isprintable()
    ):
        raise ApplicationError(
            _("“message_id” must be text of at most %(max)d characters.") % {"max": MAX_MESSAGE_ID},
            field="message_id",
        )
    return phone, body, message_id.strip()


def customer_for_phone(phone: str) -> User:
    """The customer with this number (the longest-standing one, if several share it),
    else a new customer known by it."""
    customer = (
        User.objects.filter(phone=phone, role=Role.CUSTOMER).order_by("date_joined", "id").first()
    )
    if customer is not None:
        return customer
    customer = customer_get_or_create(email=placeholder_email(phone), full_name=phone)
    if not customer.phone:
        User.objects.filter(pk=customer.pk, phone="").update(phone=phone)
        customer.phone = phone
    return customer


def _duplicate(external: str) -> SmsResult | None:
    known = Message.objects.filter(email_message_id=external).select_related("ticket").first()
    return SmsResult(Outcome.DUPLICATE, known.ticket, known) if known else None


def sms_ingest(*, sender: object, body: object, message_id: object, to: object = "") -> SmsResult:
    """Files one inbound text, once: a reply on the customer's latest active SMS ticket, or a new one.

    `to` (our number) is accepted for when several numbers route to several
    teams; nothing uses it yet.

    A remembered `message_id` (cache) or one already on a message (database)
    is a duplicate. The customer's row lock serialises one sender's texts, so
    two deliveries of the same text at once still file once.
    """
    phone, body, message_id = _check(sender=sender, body=body, message_id=message_id)
    external = external_id(message_id)
    try:
        first_delivery = cache.add(_seen_key(message_id), "filing", SEEN_TTL)
    except Exception:  # the cache is an optimisation: without it, the database decides
        logger.warning("cache unavailable for SMS dedupe", exc_info=True)
        first_delivery = True
    if not first_delivery:
        return _duplicate(external) or SmsResult(Outcome.DUPLICATE)
    try:
        return _file(phone=phone, body=body, external=external)
    except Exception:
        # Let the provider's retry through.
        with contextlib.suppress(Exception):
            cache.delete(_seen_key(message_id))
        raise


def _file(*, phone: str, body: str, external: str) -> SmsResult:
    customer = customer_for_phone(phone)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=customer.pk).first()
        duplicate = _duplicate(external)
        if duplicate is not None:
            return duplicate
        ticket = (
            Ticket.objects.filter(
                requester=customer, channel=Channel.SMS, status__in=ACTIVE_STATUSES
            )
            .order_by("-updated_at", "-id")
            .first()
        )
        if ticket is not None:
            message = services.message_add(
                actor=customer,
                ticket=ticket,
                body=body,
                channel=Channel.SMS,
                email_message_id=external,
            )
            return SmsResult(Outcome.REPLIED, message.ticket, message)
        first_line = next((line.strip() for line in body.splitlines() if line.strip()), "")
        ticket = services.ticket_create(
            actor=customer,
            requester=customer,
            subject=Truncator(first_line).chars(60),
            body=body,
            channel=Channel.SMS,
            email_message_id=external,
        )
        return SmsResult(Outcome.CREATED, ticket, Message.objects.get(ticket=ticket))
