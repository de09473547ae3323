"""Raw RFC 5322 bytes to a `ParsedEmail`, for the mail people really send.

The standard library's `email` package (policy `default`) does the MIME work;
around it sit the fallbacks real mail needs: header values that the policy
cannot parse are decoded by hand, text parts whose charset label is missing,
unknown or wrong are decoded by trying the likely ones, 8-bit bytes in
headers are read as UTF-8 (else Windows-1252), and every value that reaches
a header or the database loses its control characters.

Nothing here touches the database.
"""

import logging
import mimetypes
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser

from tickets.channels.email import html as html_text
from tickets.channels.email.charsets import decode_text
from tickets.channels.email.headers import (
    address_of,
    addresses,
    decode_words,
    first_header,
    header_safe,
    message_id_list,
    normalise_message_id,
    parse_date,
    raw_headers,
    synthesised_message_id,
    text_safe,
    unsurrogate,
)

MAX_PARTS = 500  # a message with more MIME parts than this is a bomb, not mail
MAX_DEPTH = 20
HEADER_BLOCK_LIMIT = 64 * 1024

logger = logging.getLogger(__name__)


class UnparseableEmail(Exception):
    """The bytes are not a message we can file: no sender, or not mail at all."""


@dataclass(frozen=True)
class ParsedAttachment:
    filename: str
    content_type: str
    content: bytes
    inline: bool = False
    content_id: str = ""


@dataclass
class DeliveryReport:
    """What a delivery-status notification (RFC 3464) says about one of our messages."""

    recipients: list[str] = field(default_factory=list)
    action: str = ""  # failed, delayed, delivered, relayed, expanded
    status: str = ""  # e.g. 5.1.1
    diagnostic: str = ""
    original_message_id: str = ""

    @property
    def is_hard_failure(self) -> bool:
        return self.action == "failed" and self.status.startswith("5")


@dataclass
class ParsedEmail:
    message_id: str
    message_id_synthesised: bool
    from_address: str
    from_name: str
    subject: str
    date: datetime | None
    in_reply_to: list[str]
    references: list[str]
    to: list[str]
    cc: list[str]
    text: str  # the full plain text: the text parts, or the text derived from the HTML
    html: str  # sanitised HTML, when the message had any
    attachments: list[ParsedAttachment]
    headers: dict[str, list[str]]  # lower-cased name to decoded, single-line values
    content_type: str
    report: DeliveryReport | None = None
    defects: list[str] = field(default_factory=list)

    def header(self, name: str) -> str:
        values = self.headers.get(name.lower())
        return values[0] if values else ""

    def has_header(self, name: str) -> bool:
        return name.lower() in self.headers


def _part_bytes(part: Message) -> bytes:
    try:
        payload = part.get_payload(decode=True)
    except Exception:
        payload = None
    if payload is None:
        raw = part.get_payload()
        if isinstance(raw, str):
            return raw.encode("utf-8", "surrogateescape")
        return b""
    return payload


def _part_text(part: Message) -> str:
    try:
        charset = part.get_content_charset()
    except Exception:
        charset = None
    return decode_text(_part_bytes(part), charset)


# --- body walking -------------------------------------------------------------------


@dataclass
class _Body:
    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    attachments: list[ParsedAttachment] = field(default_factory=list)
    report: DeliveryReport | None = None
    parts_seen: int = 0


def _disposition(part: Message) -> str:
    try:
        return (part.get_content_disposition() or "").lower()
    except Exception:
        return ""


def _filename(part: Message, index: int, content_type: str) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:
        name = ""
    name = header_safe(unsurrogate(decode_words(name)) if "=?" in name else unsurrogate(name))
    if not name:
        extension = mimetypes.guess_extension(content_type) or ".bin"
        name = f"attachment-{index}{extension}"
    return name[:200]


def _content_type(part: Message) -> str:
    try:
        return part.get_content_type().lower()
    except Exception:
        return "application/octet-stream"


def _walk(part: Message, body: _Body, depth: int = 0) -> None:
    body.parts_seen += 1
    if body.parts_seen > MAX_PARTS or depth > MAX_DEPTH:
        return
    content_type = _content_type(part)
    disposition = _disposition(part)
    if content_type in ("message/rfc822", "message/global"):
        _walk_forwarded(part, body, depth)
        return
    if part.is_multipart():
        children = part.get_payload()
        if not isinstance(children, list):
            return
        if content_type == "multipart/alternative":
            _walk_alternative(children, body, depth)
        elif content_type == "multipart/report":
            _walk_report(children, body, depth)
        else:
            for child in children:
                _walk(child, body, depth + 1)
        return
    is_attachment = disposition == "attachment" or (
        disposition != "inline"
        and bool(part.get_filename())
        and not content_type.startswith("text/")
    )
    if content_type == "text/plain" and not is_attachment:
        body.plain.append(_part_text(part))
        return
    if content_type == "text/html" and not is_attachment:
        body.html.append(_part_text(part))
        return
    if content_type.startswith("multipart/"):
        return  # a multipart whose boundary never came: nothing to take
    payload = _part_bytes(part)
    if not payload:
        return
    content_id = header_safe(str(part.get("Content-ID", "") or "")).strip("<>")
    body.attachments.append(
        ParsedAttachment(
            filename=_filename(part, len(body.attachments) + 1, content_type),
            content_type=content_type[:100],
            content=payload,
            inline=not is_attachment,
            content_id=content_id,
        )
    )


def _walk_alternative(children: list, body: _Body, depth: int) -> None:
    """Plain text from the text part, HTML from the HTML part; anything richer is recursed."""
    sub = _Body()
    for child in children:
        _walk(child, sub, depth + 1)
    body.parts_seen += sub.parts_seen
    if sub.plain:
        body.plain.append("\n".join(sub.plain))
    if sub.html:
        body.html.append("\n".join(sub.html))
        if not sub.plain:
            body.plain.append(html_text.html_to_text(sub.html[-1]))
    body.attachments.extend(sub.attachments)


def _walk_forwarded(part: Message, body: _Body, depth: int) -> None:
    """A forwarded (attached) message: its text joins ours under a header, its files ours."""
    inner = part.get_payload()
    inner = inner[0] if isinstance(inner, list) and inner else inner
    if not isinstance(inner, Message):
        return
    sub = _Body()
    _walk(inner, sub, depth + 1)
    body.parts_seen += sub.parts_seen
    text = "\n".join(sub.plain) or (html_text.html_to_text("\n".join(sub.html)) if sub.html else "")
    heading = ["---------- Forwarded message ----------"]
    for name in ("From", "Date", "Subject", "To"):
        value = header_safe(first_header(inner, name))
        if value:
            heading.append(f"{name}: {value}")
    body.plain.append("\n".join(heading) + "\n\n" + text)
    body.attachments.extend(sub.attachments)


def _walk_report(children: list, body: _Body, depth: int) -> None:
    """multipart/report: a human-readable part, the status, the original (headers)."""
    report = DeliveryReport()
    for child in children:
        content_type = _content_type(child)
        if content_type in ("message/delivery-status", "message/global-delivery-status"):
            _read_delivery_status(child, report)
        elif content_type in ("text/rfc822-headers", "message/rfc822", "message/global-headers"):
            report.original_message_id = _original_message_id(child) or report.original_message_id
        elif content_type in ("text/plain", "text/html") and not body.plain:
            _walk(child, body, depth + 1)
    body.report = report


def _read_delivery_status(part: Message, report: DeliveryReport) -> None:
    payload = part.get_payload()
    if isinstance(payload, list):
        text = "\n\n".join(_headers_text(block) for block in payload if isinstance(block, Message))
    else:
        text = _part_text(part)
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        fields: dict[str, str] = {}
        for line in block.split("\n"):
            name, sep, value = line.partition(":")
            if sep:
                fields[name.strip().lower()] = value.strip()
        recipient = fields.get("final-recipient") or fields.get("original-recipient") or ""
        if recipient:
            address = recipient.split(";", 1)[-1].strip().strip("<>").lower()
            if address and address not in report.recipients:
                report.recipients.append(address)
        if fields.get("action"):
            action = fields["action"].split()[0].lower()
            # The worst news wins: one failed recipient makes the report a failure.
            if action == "failed" or not report.action:
                report.action = action
        if fields.get("status"):
            status = fields["status"].split()[0]
            if status.startswith("5") or not report.status:
                report.status = status
        if fields.get("diagnostic-code"):
            report.diagnostic = header_safe(fields["diagnostic-code"], max_length=200)


def _headers_text(block: Message) -> str:
    return "\n".join(f"{k}: {v}" for k, v in block.items())


def _original_message_id(part: Message) -> str:
    payload = part.get_payload()
    if isinstance(payload, list) and payload and isinstance(payload[0], Message):
        return normalise_message_id(first_header(payload[0], "Message-ID"))
    text = _part_text(part) if not isinstance(payload, list) else ""
    match = re.search(r"^Message-ID:\s*(.+)$", text, re.IGNORECASE | re.MULTILINE)
    return normalise_message_id(match.group(1)) if match else ""


# --- the entry points -------------------------------------------------------------------


def header_block(raw: bytes) -> bytes:
    """The header part of a raw message (up to the first blank line), at most 64 KiB."""
    head = raw[:HEADER_BLOCK_LIMIT]
    for separator in (b"\r\n\r\n", b"\n\n"):
        position = head.find(separator)
        if position != -1:
            return head[: position + len(separator)]
    return head


def parse_headers(raw: bytes) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(header_block(raw), headersonly=True)


def summary(raw: bytes) -> tuple[str, str, str]:
    """(message id, from address, subject) from the headers alone, for audit rows of mail not taken."""
    try:
        msg = parse_headers(raw)
    except Exception:
        return synthesised_message_id(raw), "", ""
    msgid = normalise_message_id(first_header(msg, "Message-ID")) or synthesised_message_id(raw)
    _name, address = address_of(first_header(msg, "From"))
    return msgid, address, header_safe(first_header(msg, "Subject"), max_length=255)


def parse_email(raw: bytes) -> ParsedEmail:
    """The message in `raw`; raises `UnparseableEmail` when it cannot be filed."""
    if not raw or not raw.strip():
        raise UnparseableEmail("empty message")
    try:
        msg = BytesParser(policy=policy.default).parsebytes(raw)
    except Exception as exc:  # the parser is lenient; this is the last resort
        raise UnparseableEmail(f"not a MIME message ({exc.__class__.__name__})") from exc
    if not len(msg):
        raise UnparseableEmail("no headers")

    from_value = first_header(msg, "From")
    from_name, from_address = address_of(from_value)
    if not from_address:
        sender = first_header(msg, "Sender")
        from_name, from_address = address_of(sender)
    if not from_address:
        raise UnparseableEmail("no valid From address")

    headers = raw_headers(msg)

    def first(name: str) -> str:
        return headers.get(name, [""])[0]

    message_id = normalise_message_id(first("message-id"))
    synthesised = not message_id
    if synthesised:
        message_id = synthesised_message_id(raw)

    body = _Body()
    try:
        _walk(msg, body)
    except Exception:  # a MIME structure nobody foresaw: keep the words, lose the structure
        logger.exception("could not walk the MIME parts of %s", message_id)
        body = _Body(plain=[decode_text(raw.split(b"\n\n", 1)[-1], None)])
    html = "\n".join(body.html)
    text = "\n\n".join(t.strip("\n") for t in body.plain if t and t.strip())
    if not text.strip() and html:
        text = html_text.html_to_text(html)

    return ParsedEmail(
        message_id=message_id,
        message_id_synthesised=synthesised,
        from_address=from_address,
        from_name=from_name,
        subject=header_safe(first_header(msg, "Subject"), max_length=1000),
        date=parse_date(first("date")),
        in_reply_to=message_id_list(" ".join(headers.get("in-reply-to", []))),
        references=message_id_list(" ".join(headers.get("references", []))),
        to=addresses(headers.get("to", [])),
        cc=addresses(headers.get("cc", [])),
        text=text_safe(text).strip(),
        html=text_safe(html_text.sanitise(html)) if html.strip() else "",
        attachments=body.attachments,
        headers=headers,
        content_type=_content_type(msg),
        report=body.report,
        defects=[type(d).__name__ for d in getattr(msg, "defects", [])][:20],
    )
