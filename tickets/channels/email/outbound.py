"""Outbound email for tickets: replies to customers, notices to agents.

Messages are real MIME (plain text and HTML alternatives, plus the reply's
attachments) with the headers mail clients thread by: Message-ID,
In-Reply-To, References, and the ticket reference in the subject, which is
how `thread` finds the ticket again when the customer answers.

No CR, LF or NUL reaches a header from data: subjects and display names go
through `header_safe`. Replies carry `Auto-Submitted` and
`X-Auto-Response-Suppress` so well-behaved autoresponders stay quiet.
"""

import logging
import smtplib
from email.headerregistry import Address
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from tickets.models import Attachment, Message, Ticket, TicketEvent

logger = logging.getLogger(__name__)

DEFAULT_MAX_ATTACHED_BYTES = 10 * 1024 * 1024


def header_safe(text: str) -> str:
    """No CR, LF or NUL may reach a header, whatever the Python version does."""
    text = (text or "").replace("\x00", " ")
    return " ".join(" ".join(text.splitlines()).split()).strip()


def formatted_address(name: str, email: str) -> str:
    """`"Name" <email>` with the name made header-safe (and quoted or encoded as needed)."""
    name = header_safe(name)
    if not name:
        return email
    try:
        username, _, domain = email.rpartition("@")
        return str(Address(display_name=name, username=username, domain=domain))
    except (ValueError, IndexError):
        return email


def from_address(display_name: str = "") -> str:
    """DEFAULT_FROM_EMAIL, with `display_name` ("Alex Agent (Help Desk)") when given."""
    default_name, email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    name = display_name or default_name
    if display_name and default_name:
        name = f"{display_name} ({default_name})"
    return formatted_address(name, email or settings.DEFAULT_FROM_EMAIL)


def _msgid_domain() -> str:
    return (
        settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "helpdesk.local"
    )


def new_message_id() -> str:
    return make_msgid(domain=_msgid_domain())


def reply_subject(ticket: Ticket) -> str:
    return header_safe(f"Re: {ticket.subject} [{ticket.reference}]")


def _attach_files(email: EmailMultiAlternatives, message: Message) -> list[str]:
    """Attaches the reply's files up to a total size; returns the names left out."""
    budget = int(getattr(settings, "MAX_OUTBOUND_ATTACHMENT_BYTES", DEFAULT_MAX_ATTACHED_BYTES))
    left_out = []
    for attachment in Attachment.objects.filter(message=message).order_by("id"):
        if attachment.size > budget:
            left_out.append(attachment.filename)
            continue
        try:
            with attachment.file.open("rb") as handle:
                content = handle.read()
        except OSError:
            logger.warning("attachment %s of message %s is missing", attachment.pk, message.pk)
            left_out.append(attachment.filename)
            continue
        budget -= len(content)
        email.attach(
            header_safe(attachment.filename) or "attachment",
            content,
            attachment.content_type or "application/octet-stream",
        )
    return left_out


def build_reply_email(message: Message) -> EmailMultiAlternatives:
    """The public reply `message` as an email to the ticket's requester.

    Precondition: `message.email_message_id` is set (the caller stores it first).
    """
    ticket = message.ticket
    requester = ticket.requester
    earlier = list(
        Message.objects.filter(ticket=ticket, internal=False, created_at__lte=message.created_at)
        .exclude(pk=message.pk)
        .exclude(email_message_id="")
        .order_by("created_at", "id")
        .values_list("email_message_id", flat=True)
    )
    headers = {
        "Message-ID": message.email_message_id,
        "Auto-Submitted": "auto-replied",
        "X-Auto-Response-Suppress": "OOF, AutoReply",
    }
    if earlier:
        headers["In-Reply-To"] = earlier[-1]
        headers["References"] = " ".join(earlier[-20:])
    author_name = message.author.display_name if message.author else ""
    context = {
        "ticket": ticket,
        "message": message,
        "requester": requester,
        "author_name": author_name,
        "ticket_url": settings.SITE_URL + reverse("portal:ticket", args=[ticket.pk]),
    }
    with translation.override(requester.language or settings.LANGUAGE_CODE):
        text = render_to_string("tickets/email/reply.txt", context)
        html = render_to_string("tickets/email/reply.html", context)
    email = EmailMultiAlternatives(
        subject=reply_subject(ticket),
        body=text,
        from_email=from_address(author_name),
        # Bare addresses in To: recipients' names are theirs to set, ours to leak.
        to=[requester.email],
        headers=headers,
    )
    email.attach_alternative(html, "text/html")
    _attach_files(email, message)
    return email


def build_assignment_email(event: TicketEvent) -> EmailMultiAlternatives | None:
    ticket = event.ticket
    assignee = ticket.assignee
    if assignee is None or assignee.pk != event.data.get("to"):
        return None  # reassigned again since: this notice is stale
    context = {
        "ticket": ticket,
        "assignee": assignee,
        "actor_name": event.actor.display_name if event.actor else "",
        "ticket_url": settings.SITE_URL + reverse("agent:ticket", args=[ticket.pk]),
    }
    with translation.override(assignee.language or settings.LANGUAGE_CODE):
        subject = header_safe(
            translation.gettext("Assigned to you: %(subject)s [%(ref)s]")
            % {"subject": ticket.subject, "ref": ticket.reference}
        )
        text = render_to_string("tickets/email/assigned.txt", context)
        html = render_to_string("tickets/email/assigned.html", context)
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=from_address(),
        to=[assignee.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    email.attach_alternative(html, "text/html")
    return email


def refused_recipients(error: smtplib.SMTPRecipientsRefused) -> list[tuple[str, int, str]]:
    """(address, code, reason) for each recipient the server refused permanently (5xx)."""
    refused = []
    for address, value in (error.recipients or {}).items():
        code, reason = (*value, b"")[:2] if isinstance(value, tuple) else (0, b"")
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        if 500 <= int(code) < 600:
            refused.append((parseaddr(address)[1].lower(), int(code), str(reason)))
    return refused
