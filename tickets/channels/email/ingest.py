"""`email_ingest`: the one service every inbound email route calls.

The command (`ingest_email`), the mailbox poller (`poll_mailbox`) and the
webhook (`POST /hooks/email/`) only fetch bytes and call this. It

1. refuses oversized mail with a clear reason (before parsing a byte of the body);
2. parses the message (`parse`), or records it as unparseable;
3. skips duplicates: the Message-ID (or, without one, a hash of the bytes) is
   unique in `InboundEmail`, so the same message never files twice, even when
   two routes or two pollers deliver it at the same moment;
4. never files mail no person wrote (`classify`): auto-replies, bounces,
   mailing lists, our own mail coming back; a bounce for one of our messages
   marks the address and is recorded on the ticket;
5. files the rest through `tickets.services` (`message_add` on the ticket the
   message continues, as found by `thread`, else `ticket_create`), as the
   sender, who becomes a customer if new.

Every message that gets this far leaves one `InboundEmail` row: the raw
bytes, the full text, and what became of it.
"""

import logging
import mimetypes
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import customer_get_or_create
from helpdesk.errors import ApplicationError, Conflict
from tickets import services
from tickets.channels.email import bounces, quotes, thread
from tickets.channels.email.classify import Verdict, classify
from tickets.channels.email.headers import header_safe, synthesised_message_id, text_safe
from tickets.channels.email.parse import (
    ParsedAttachment,
    ParsedEmail,
    UnparseableEmail,
    header_block,
    parse_email,
    summary,
)
from tickets.models import Channel, InboundEmail, Message, Ticket

logger = logging.getLogger(__name__)

Outcome = InboundEmail.Outcome
DUPLICATE = "duplicate"
DEFAULT_MAX_BYTES = 25 * 1024 * 1024

# What the command prints for each outcome that files nothing (the contract's words).
SKIP_WORDS = {
    DUPLICATE: "duplicate",
    Outcome.AUTO_REPLY: "auto-reply",
    Outcome.BOUNCE: "auto-reply",
    Outcome.LOOP: "loop",
    Outcome.TOO_LARGE: "too large",
    Outcome.UNPARSEABLE: "unparseable",
    Outcome.REFUSED: "refused",
}


@dataclass(frozen=True)
class IngestResult:
    """What became of one message. `outcome` is an InboundEmail.Outcome or "duplicate"."""

    ticket: Ticket | None
    message: Message | None
    outcome: str
    reason: str = ""
    inbound: InboundEmail | None = None

    @property
    def filed(self) -> bool:
        return self.outcome in (Outcome.CREATED, Outcome.REPLIED)

    @property
    def line(self) -> str:
        """The ticket reference when filed, else the reason it was skipped, in one word or two."""
        if self.filed and self.ticket is not None:
            return self.ticket.reference
        return SKIP_WORDS.get(self.outcome, self.outcome)


def max_inbound_bytes() -> int:
    return int(getattr(settings, "MAX_INBOUND_EMAIL_BYTES", DEFAULT_MAX_BYTES))


def email_ingest(raw: bytes, *, source: str, size: int | None = None) -> IngestResult:
    """Files one raw RFC 5322 message; see the module docstring.

    `size` is the message's real size when `raw` holds only its beginning
    (a poller that did not fetch an oversized body passes its headers).
    Raises only for infrastructure failures (the database is down): every
    problem with the message itself is an outcome.
    """
    size = len(raw) if size is None else size
    limit = max_inbound_bytes()
    if size > limit:
        return _too_large(raw, source=source, size=size, limit=limit)
    try:
        parsed = parse_email(raw)
    except UnparseableEmail as exc:
        return _skip(
            raw,
            source=source,
            outcome=Outcome.UNPARSEABLE,
            reason=str(exc),
            message_id=summary(raw)[0] if raw.strip() else synthesised_message_id(raw),
        )

    if _already_seen(parsed.message_id):
        return _duplicate(parsed.message_id)

    verdict = _loop_by_message_id(parsed) or classify(parsed)
    if verdict is not None:
        return _skip_parsed(raw, parsed, source=source, verdict=verdict)

    try:
        return _file(raw, parsed, source=source)
    except IntegrityError:
        # Lost the race to another delivery of the same message (it committed first).
        if _already_seen(parsed.message_id):
            return _duplicate(parsed.message_id)
        raise
    except ApplicationError as exc:
        # The services said no (a deactivated account, an empty ticket...): final, recorded.
        return _skip_parsed(
            raw,
            parsed,
            source=source,
            verdict=Verdict(Outcome.REFUSED, header_safe(exc.message, max_length=255)),
        )


# --- skipping ---------------------------------------------------------------------


def _already_seen(message_id: str) -> bool:
    return InboundEmail.objects.filter(email_message_id=message_id).exists()


def _duplicate(message_id: str) -> IngestResult:
    existing = (
        InboundEmail.objects.without_raw()
        .select_related("ticket", "message")
        .filter(email_message_id=message_id)
        .first()
    )
    return IngestResult(
        ticket=existing.ticket if existing else None,
        message=existing.message if existing else None,
        outcome=DUPLICATE,
        reason=_("already received as %(id)s") % {"id": message_id},
        inbound=existing,
    )


def _record(**fields) -> tuple[InboundEmail | None, bool]:
    """Inserts the audit row; (row, False) when the message id is already there."""
    try:
        with transaction.atomic():
            return InboundEmail.objects.create(**fields), True
    except IntegrityError:
        return None, False


def _too_large(raw: bytes, *, source: str, size: int, limit: int) -> IngestResult:
    reason = _("%(size)d bytes, over the %(limit)d-byte limit for inbound email") % {
        "size": size,
        "limit": limit,
    }
    message_id, from_address, subject = summary(raw)
    return _skip(
        header_block(raw),
        source=source,
        outcome=Outcome.TOO_LARGE,
        reason=reason,
        message_id=message_id,
        from_address=from_address,
        subject=subject,
        size=size,
    )


def _skip(
    raw: bytes,
    *,
    source: str,
    outcome: str,
    reason: str,
    message_id: str,
    from_address: str = "",
    subject: str = "",
    size: int | None = None,
) -> IngestResult:
    row, created = _record(
        email_message_id=message_id,
        source=source,
        outcome=outcome,
        reason=reason[:255],
        from_address=from_address[:254],
        subject=subject[:255],
        size=len(raw) if size is None else size,
        raw=raw,
    )
    if not created:
        return _duplicate(message_id)
    logger.info("inbound email %s skipped: %s (%s)", message_id, outcome, reason)
    return IngestResult(ticket=None, message=None, outcome=outcome, reason=reason, inbound=row)


def _audit_fields(raw: bytes, parsed: ParsedEmail, *, source: str) -> dict:
    return {
        "email_message_id": parsed.message_id,
        "source": source,
        "from_address": parsed.from_address[:254],
        "subject": parsed.subject[:255],
        "sent_at": parsed.date or timezone.now(),
        "size": len(raw),
        "raw": raw,
        "text": parsed.text,
        "html": parsed.html,
    }


def _skip_parsed(raw: bytes, parsed: ParsedEmail, *, source: str, verdict: Verdict) -> IngestResult:
    ticket = None
    with transaction.atomic():
        row, created = _record(
            **_audit_fields(raw, parsed, source=source),
            outcome=verdict.outcome,
            reason=verdict.reason[:255],
        )
        if not created:
            return _duplicate(parsed.message_id)
        if verdict.outcome == Outcome.BOUNCE:
            ticket = _bounce(parsed)
            if ticket is not None:
                row.ticket = ticket
                row.save(update_fields=["ticket"])
    logger.info("inbound email %s skipped: %s", parsed.message_id, verdict.reason)
    return IngestResult(
        ticket=ticket, message=None, outcome=verdict.outcome, reason=verdict.reason, inbound=row
    )


def _loop_by_message_id(parsed: ParsedEmail) -> Verdict | None:
    """Our own outbound mail delivered back to us (a customer's forward to the support address)."""
    if Message.objects.filter(email_message_id=parsed.message_id).exists():
        return Verdict(Outcome.LOOP, "one of our own messages came back")
    return None


def _bounce(parsed: ParsedEmail) -> Ticket | None:
    """A delivery report about one of our messages marks the address; returns that ticket."""
    report = parsed.report
    if report is None or not report.original_message_id:
        return None
    ours = (
        Message.objects.filter(email_message_id=report.original_message_id)
        .select_related("ticket")
        .first()
    )
    if ours is None or not report.is_hard_failure:
        return ours.ticket if ours else None
    reason = report.diagnostic or f"delivery failed ({report.status})"
    for address in report.recipients[:10]:
        bounces.address_mark_bounced(
            email=address,
            reason=reason,
            status=report.status,
            ticket=ours.ticket,
            message_id=ours.pk,
        )
    return ours.ticket


# --- filing ------------------------------------------------------------------------------


def _file(raw: bytes, parsed: ParsedEmail, *, source: str) -> IngestResult:
    """Creates the audit row first (it holds the unique id), then the ticket or message."""
    with transaction.atomic():
        inbound = InboundEmail.objects.create(
            **_audit_fields(raw, parsed, source=source), outcome=Outcome.CREATED
        )
        sender = customer_get_or_create(email=parsed.from_address, full_name=parsed.from_name)
        if not sender.is_active:
            raise ApplicationError(_("This account is deactivated."))
        bounces.address_clear_bounce(email=parsed.from_address)
        ticket, found_by = thread.find_ticket(parsed, sender)
        body, attachments = _body_and_files(parsed)
        message = None
        follow_up_of = None
        if ticket is not None:
            try:
                # message_add's own atomic block rolls back to its savepoint on Conflict.
                message = services.message_add(
                    actor=sender,
                    ticket=ticket,
                    body=body,
                    channel=Channel.EMAIL,
                    attachments=attachments,
                    email_message_id=parsed.message_id,
                )
            except Conflict:
                # A closed ticket takes no more messages: this one opens a follow-up.
                follow_up_of, ticket = ticket, None
                for upload in attachments:
                    upload.seek(0)
        if message is None:
            ticket = services.ticket_create(
                actor=sender,
                requester=sender,
                subject=_new_subject(parsed.subject),
                body=body,
                channel=Channel.EMAIL,
                attachments=attachments,
                email_message_id=parsed.message_id,
            )
            message = ticket.messages.get()
            outcome = Outcome.CREATED
            reason = (
                _("follow-up to closed ticket %(ref)s") % {"ref": follow_up_of.reference}
                if follow_up_of
                else _("new ticket")
            )
        else:
            outcome = Outcome.REPLIED
            reason = _("added to %(ref)s (matched by %(how)s)") % {
                "ref": ticket.reference,
                "how": found_by,
            }
        inbound.outcome = outcome
        inbound.reason = reason[:255]
        inbound.ticket = ticket
        inbound.message = message
        inbound.save(update_fields=["outcome", "reason", "ticket", "message"])
    logger.info("inbound email %s: %s %s", parsed.message_id, outcome, ticket.reference)
    return IngestResult(
        ticket=ticket, message=message, outcome=outcome, reason=reason, inbound=inbound
    )


def _new_subject(subject: str) -> str:
    """A new ticket's subject: without other tickets' references, never empty."""
    subject = thread.strip_references(subject)
    return subject[: services.MAX_SUBJECT] or _("(no subject)")


def _body_and_files(parsed: ParsedEmail) -> tuple[str, list[SimpleUploadedFile]]:
    """The visible text (quotes and signature trimmed) and the files the limits allow.

    Files past the per-message count or size limits are left out, and the
    body says which: refusing the whole message for one big file would lose
    the customer's words. The raw message keeps everything.
    """
    visible = quotes.split_reply(parsed.text, subject=parsed.subject).visible
    kept, dropped = _select_attachments(parsed.attachments)
    lines = [visible] if visible else []
    if dropped:
        names = ", ".join(f"{a.filename} ({len(a.content) // 1024} KB)" for a in dropped[:10])
        lines.append(
            "["
            + _("Attachments not kept (too large or too many): %(names)s") % {"names": names}
            + "]"
        )
    body = text_safe("\n\n".join(lines)).strip()
    if len(body) > services.MAX_BODY:
        marker = "\n\n[" + _("Message shortened; the full text is kept with the email.") + "]"
        body = body[: services.MAX_BODY - len(marker)] + marker
    if not body:
        body = _("(no text; see the attachments)") if kept else _("(no text)")
    files = [SimpleUploadedFile(a.filename, a.content, content_type=_content_type(a)) for a in kept]
    return body, files


def _content_type(attachment: ParsedAttachment) -> str:
    if attachment.content_type and attachment.content_type != "application/octet-stream":
        return attachment.content_type
    return mimetypes.guess_type(attachment.filename)[0] or "application/octet-stream"


def _select_attachments(
    attachments: list[ParsedAttachment],
) -> tuple[list[ParsedAttachment], list[ParsedAttachment]]:
    """Real attachments before inline images, within MAX_ATTACHMENTS_PER_MESSAGE / _BYTES."""
    max_count = settings.MAX_ATTACHMENTS_PER_MESSAGE
    max_bytes = settings.MAX_ATTACHMENT_BYTES
    ordered = [a for a in attachments if not a.inline] + [a for a in attachments if a.inline]
    kept: list[ParsedAttachment] = []
    dropped: list[ParsedAttachment] = []
    for attachment in ordered:
        if len(attachment.content) > max_bytes or len(kept) >= max_count:
            dropped.append(attachment)
        else:
            kept.append(attachment)
    return kept, dropped
