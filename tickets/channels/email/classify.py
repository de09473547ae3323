"""Mail no person wrote: auto-replies, bounces, mailing lists and our own mail coming back.

None of it may open a ticket or be answered: answering an autoresponder is
how two systems mail each other forever. The signs are the standard ones
(RFC 3834 `Auto-Submitted`, RFC 3464 delivery reports, RFC 2369/2919 list
headers) plus the de-facto ones Exchange, Gmail and list software send.
"""

from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings

from tickets.channels.email.parse import ParsedEmail
from tickets.models import InboundEmail

Outcome = InboundEmail.Outcome

_BULK_PRECEDENCE = {"bulk", "junk", "list", "auto_reply", "auto-reply"}
_AUTO_HEADERS = ("x-autoreply", "x-autorespond", "x-autoreply-from", "x-mail-autoreply")
_SUPPRESS_VALUES = {"all", "oof", "autoreply"}
_LIST_HEADERS = ("list-id", "list-unsubscribe", "list-post")
_SYSTEM_SENDERS = {"mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon"}


@dataclass(frozen=True)
class Verdict:
    outcome: str  # an InboundEmail.Outcome
    reason: str


def own_addresses() -> set[str]:
    """The addresses we send from and receive at: mail from them is our own, coming back."""
    found = set()
    for value in (
        settings.DEFAULT_FROM_EMAIL,
        settings.SERVER_EMAIL,
        *getattr(settings, "INBOUND_EMAIL_ADDRESSES", ()),
    ):
        address = parseaddr(value or "")[1].strip().lower()
        if address:
            found.add(address)
    return found


def _allowed_list(parsed: ParsedEmail) -> bool:
    """A support address that is itself a list (a Google Group, say) adds List-Id to everything."""
    allowed = {v.strip().lower() for v in getattr(settings, "INBOUND_EMAIL_ALLOWED_LIST_IDS", ())}
    list_id = parsed.header("list-id").lower()
    return bool(allowed) and any(item in list_id for item in allowed if item)


def classify(parsed: ParsedEmail) -> Verdict | None:
    """Why this message is not a person writing to us, or None when it is."""
    if parsed.from_address in own_addresses():
        return Verdict(Outcome.LOOP, f"sent from our own address {parsed.from_address}")
    if parsed.header("x-helpdesk-loop"):
        return Verdict(Outcome.LOOP, "carries our own loop marker")

    local_part = parsed.from_address.split("@", 1)[0]
    report_type = ""
    if parsed.content_type == "multipart/report":
        report_type = _param(parsed.header("content-type"), "report-type")
    if report_type == "delivery-status" or (parsed.report is not None and parsed.report.recipients):
        return Verdict(Outcome.BOUNCE, _bounce_reason(parsed))
    if local_part in _SYSTEM_SENDERS:
        return Verdict(Outcome.BOUNCE, f"sent by {parsed.from_address}")
    if parsed.content_type == "multipart/report":
        return Verdict(Outcome.AUTO_REPLY, f"automatic report ({report_type or 'unknown'})")

    auto_submitted = parsed.header("auto-submitted").split(";", 1)[0].strip().lower()
    if auto_submitted and auto_submitted != "no":
        return Verdict(Outcome.AUTO_REPLY, f"Auto-Submitted: {auto_submitted}")
    precedence = parsed.header("precedence").strip().lower()
    if precedence in _BULK_PRECEDENCE:
        return Verdict(Outcome.AUTO_REPLY, f"Precedence: {precedence}")
    for name in _AUTO_HEADERS:
        if parsed.has_header(name):
            return Verdict(Outcome.AUTO_REPLY, f"{name} header")
    suppress = {v.strip().lower() for v in parsed.header("x-auto-response-suppress").split(",")}
    if suppress & _SUPPRESS_VALUES:
        # Exchange marks its own out-of-office and system replies this way.
        return Verdict(Outcome.AUTO_REPLY, "X-Auto-Response-Suppress")
    if parsed.header("return-path").replace(" ", "") == "<>":
        return Verdict(Outcome.AUTO_REPLY, "null Return-Path")
    for name in _LIST_HEADERS:
        if parsed.has_header(name) and not _allowed_list(parsed):
            return Verdict(Outcome.AUTO_REPLY, f"mailing list ({name})")
    if parsed.content_type == "multipart/digest":
        return Verdict(Outcome.AUTO_REPLY, "mailing list digest")
    return None


def _param(content_type: str, name: str) -> str:
    for item in content_type.split(";")[1:]:
        key, _, value = item.partition("=")
        if key.strip().lower() == name:
            return value.strip().strip('"').lower()
    return ""


def _bounce_reason(parsed: ParsedEmail) -> str:
    report = parsed.report
    if report is None or not report.recipients:
        return "delivery status notification"
    return (
        f"delivery {report.action or 'report'} for {', '.join(report.recipients[:3])}"
        f"{f' ({report.status})' if report.status else ''}"
    )
