"""Outbound email for tickets: replies to customers, notices to agents.

Messages are real MIME (plain text and HTML alternatives) with the headers
mail clients thread by: Message-ID, In-Reply-To, References, and the ticket
reference in the subject.
"""

from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from tickets.models import Message, Ticket, TicketEvent


def _header_safe(text: str) -> str:
    """No CR, LF or NUL may reach a header, whatever the Python version does."""
    return " ".join(text.replace("\x00", " ").splitlines()).strip()


def _msgid_domain() -> str:
    return (
        settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "helpdesk.local"
    )


def new_message_id() -> str:
    return make_msgid(domain=_msgid_domain())


def reply_subject(ticket: Ticket) -> str:
    return _header_safe(f"Re: {ticket.subject} [{ticket.reference}]")


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
    headers = {"Message-ID": message.email_message_id, "Auto-Submitted": "auto-replied"}
    if earlier:
        headers["In-Reply-To"] = earlier[-1]
        headers["References"] = " ".join(earlier[-20:])
    context = {
        "ticket": ticket,
        "message": message,
        "requester": requester,
        "author_name": message.author.display_name if message.author else "",
        "ticket_url": settings.SITE_URL + reverse("portal:ticket", args=[ticket.pk]),
    }
    with translation.override(requester.language or settings.LANGUAGE_CODE):
        text = render_to_string("tickets/email/reply.txt", context)
        html = render_to_string("tickets/email/reply.html", context)
    email = EmailMultiAlternatives(
        subject=reply_subject(ticket),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[requester.email],
        headers=headers,
    )
    email.attach_alternative(html, "text/html")
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
        subject = _header_safe(
            translation.gettext("Assigned to you: %(subject)s [%(ref)s]")
            % {"subject": ticket.subject, "ref": ticket.reference}
        )
        text = render_to_string("tickets/email/assigned.txt", context)
        html = render_to_string("tickets/email/assigned.html", context)
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[assignee.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    email.attach_alternative(html, "text/html")
    return email
