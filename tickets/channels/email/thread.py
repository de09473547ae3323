"""Which ticket an inbound message belongs to, and whether its sender may add to it.

A reply names what it answers in `In-Reply-To` and `References`; every
Message-ID we sent or received is stored on its `Message`, so those headers
find the ticket. Mail clients that drop the headers still keep the subject,
so the reference in it ("[HD-123]") is the fallback.

Either way the sender must belong on the ticket: its requester, a
collaborator, or a colleague in an organisation that shares its tickets.
Anyone else writing "Re: [HD-123]" or quoting someone else's mail gets a
ticket of their own: guessing a number or being forwarded a thread must
never put your words on another customer's ticket.
"""

import re

from django.conf import settings

from accounts.models import User
from tickets.channels.email.parse import ParsedEmail
from tickets.models import Message, Ticket

MAX_CANDIDATES = 50


def _reference_pattern() -> re.Pattern[str]:
    prefix = re.escape(settings.HELPDESK_TICKET_PREFIX)
    return re.compile(rf"\[\s*{prefix}-(\d{{1,12}})\s*\]", re.IGNORECASE)


def subject_references(subject: str) -> list[int]:
    return [int(n) for n in _reference_pattern().findall(subject or "")]


def strip_references(subject: str) -> str:
    """The subject without our "[HD-123]" tags (a new ticket gets its own)."""
    return " ".join(_reference_pattern().sub(" ", subject or "").split())


def sender_may_add(*, ticket: Ticket, sender: User) -> bool:
    """Requester, collaborator, or member of the ticket's organisation where it shares tickets."""
    if not sender.is_active:
        return False
    if sender.pk == ticket.requester_id:
        return True
    if (
        ticket.organisation_id
        and sender.organisation_id == ticket.organisation_id
        and ticket.organisation is not None
        and ticket.organisation.shares_tickets
    ):
        return True
    return ticket.collaborators.filter(pk=sender.pk).exists()


def referenced_tickets(parsed: ParsedEmail) -> list[Ticket]:
    """Tickets the headers point at, most specific first: In-Reply-To, then References newest first."""
    candidates: list[str] = []
    for msgid in [*parsed.in_reply_to, *reversed(parsed.references)]:
        if msgid not in candidates and msgid != parsed.message_id:
            candidates.append(msgid)
    candidates = candidates[:MAX_CANDIDATES]
    if not candidates:
        return []
    rows = (
        Message.objects.filter(email_message_id__in=candidates)
        .select_related("ticket__organisation")
        .order_by("-created_at")
    )
    by_id: dict[str, Ticket] = {}
    for message in rows:
        by_id.setdefault(message.email_message_id, message.ticket)
    tickets: list[Ticket] = []
    for msgid in candidates:
        ticket = by_id.get(msgid)
        if ticket is not None and ticket not in tickets:
            tickets.append(ticket)
    return tickets


def find_ticket(parsed: ParsedEmail, sender: User) -> tuple[Ticket | None, str]:
    """The ticket this message continues, and how it was found ("" when it opens a new one)."""
    for ticket in referenced_tickets(parsed):
        if sender_may_add(ticket=ticket, sender=sender):
            return ticket, "headers"
    pks = subject_references(parsed.subject)
    if pks:
        tickets = Ticket.objects.filter(pk__in=pks[:5]).select_related("organisation")
        for ticket in sorted(tickets, key=lambda t: pks.index(t.pk)):
            if sender_may_add(ticket=ticket, sender=sender):
                return ticket, "subject"
    return None, ""
