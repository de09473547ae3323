"""Polling IMAP mailboxes: one pass over IMAP_URL, each unseen message through `email_ingest`.

IMAP_URL is `imaps://user:password@host:993/MAILBOX` (`imap://` for a
plain connection, port 143 by default; MAILBOX defaults to INBOX; user and
password percent-encoded), or several such URLs separated by commas.

One slow or huge message never stalls the others:

- sizes come first (`RFC822.SIZE`); an oversized message is not downloaded,
  only its headers, and is recorded as too large;
- every socket operation has a timeout; a timeout or a dropped connection
  costs the message being fetched (it stays unseen, for the next pass) and a
  reconnect, then the pass goes on with the next one;
- each message has its own try/except.

A message is flagged `\\Seen` only after it was filed or definitively
skipped (duplicate, auto-reply, too large...), so a crash or an outage in
between means it is fetched again next time, and the unique Message-ID
makes that harmless. Bodies are fetched with BODY.PEEK so that fetching
alone never marks anything seen.
"""

import imaplib
import logging
import re
import ssl
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from django.conf import settings

from tickets.channels.email.ingest import email_ingest, max_inbound_bytes
from tickets.models import InboundEmail

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 30
DEFAULT_BATCH = 200  # messages per mailbox per pass: a backlog drains over several passes
MAX_RECONNECTS = 3

_SIZE = re.compile(rb"UID (\d+).*?RFC822\.SIZE (\d+)|RFC822\.SIZE (\d+).*?UID (\d+)")


class ImapConfigError(ValueError):
    pass


@dataclass(frozen=True)
class MailboxConfig:
    secure: bool
    host: str
    port: int
    username: str
    password: str
    mailbox: str

    @property
    def label(self) -> str:
        return f"{self.username}@{self.host}/{self.mailbox}"


@dataclass
class PollReport:
    mailbox: str
    filed: int = 0
    skipped: int = 0
    failed: int = 0
    outcomes: list[tuple[bytes, str]] = field(default_factory=list)  # (uid, line)
    error: str = ""

    def summary(self) -> str:
        text = f"{self.mailbox}: {self.filed} filed, {self.skipped} skipped, {self.failed} failed"
        return f"{text} ({self.error})" if self.error else text


def parse_imap_url(url: str) -> MailboxConfig:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("imap", "imaps"):
        raise ImapConfigError("IMAP_URL must start with imap:// or imaps://")
    if not parts.hostname:
        raise ImapConfigError("IMAP_URL has no host")
    secure = parts.scheme == "imaps"
    try:
        port = parts.port or (993 if secure else 143)
    except ValueError as exc:
        raise ImapConfigError("IMAP_URL has an invalid port") from exc
    return MailboxConfig(
        secure=secure,
        host=parts.hostname,
        port=port,
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        mailbox=unquote(parts.path.lstrip("/")) or "INBOX",
    )


def configured_mailboxes(value: str | None = None) -> list[MailboxConfig]:
    value = getattr(settings, "IMAP_URL", "") if value is None else value
    return [parse_imap_url(url) for url in (value or "").split(",") if url.strip()]


def _connect(config: MailboxConfig, timeout: float) -> imaplib.IMAP4:
    if config.secure:
        connection: imaplib.IMAP4 = imaplib.IMAP4_SSL(
            config.host, config.port, ssl_context=ssl.create_default_context(), timeout=timeout
        )
    else:
        connection = imaplib.IMAP4(config.host, config.port, timeout=timeout)
    connection.login(config.username, config.password)
    typ, _data = connection.select(_quote(config.mailbox))
    if typ != "OK":
        raise imaplib.IMAP4.error(f"cannot select {config.mailbox}")
    return connection


def _quote(mailbox: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9._/-]+", mailbox):
        return mailbox
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _logout(connection: imaplib.IMAP4 | None) -> None:
    if connection is None:
        return
    try:
        connection.logout()
    except Exception:
        logger.debug("IMAP logout failed", exc_info=True)


def _sizes(connection: imaplib.IMAP4, uids: list[bytes]) -> dict[bytes, int]:
    typ, data = connection.uid("FETCH", b",".join(uids).decode(), "(UID RFC822.SIZE)")
    if typ != "OK":
        raise imaplib.IMAP4.error("FETCH RFC822.SIZE failed")
    sizes = {}
    for item in data:
        line = item[0] if isinstance(item, tuple) else item
        if not isinstance(line, bytes):
            continue
        match = _SIZE.search(line)
        if match:
            uid = match.group(1) or match.group(4)
            size = match.group(2) or match.group(3)
            sizes[uid] = int(size)
    return sizes


def _fetch(connection: imaplib.IMAP4, uid: bytes, what: str) -> bytes:
    typ, data = connection.uid("FETCH", uid.decode(), f"({what})")
    if typ != "OK":
        raise imaplib.IMAP4.error(f"FETCH {what} failed")
    for item in data:
        if isinstance(item, tuple) and len(item) >= 2 and isinstance(item[1], bytes):
            return item[1]
    raise imaplib.IMAP4.error(f"FETCH {what} returned no data")


def _mark_seen(connection: imaplib.IMAP4, uid: bytes) -> None:
    typ, _data = connection.uid("STORE", uid.decode(), "+FLAGS", r"(\Seen)")
    if typ != "OK":
        raise imaplib.IMAP4.error("STORE \\Seen failed")


def mailbox_poll(
    config: MailboxConfig, *, timeout: float | None = None, batch: int | None = None
) -> PollReport:
    """One pass over one mailbox. Never raises for a single message's trouble."""
    timeout = timeout or getattr(settings, "IMAP_TIMEOUT", DEFAULT_TIMEOUT)
    batch = batch or getattr(settings, "IMAP_BATCH", DEFAULT_BATCH)
    report = PollReport(mailbox=config.label)
    limit = max_inbound_bytes()
    connection = None
    try:
        connection = _connect(config, timeout)
        typ, data = connection.uid("SEARCH", None, "UNSEEN")
        if typ != "OK":
            raise imaplib.IMAP4.error("SEARCH UNSEEN failed")
        uids = (data[0] or b"").split()[:batch] if data else []
        sizes = _sizes(connection, uids) if uids else {}
    except (OSError, imaplib.IMAP4.error, ssl.SSLError) as exc:
        report.error = f"{exc.__class__.__name__}: {exc}"
        logger.warning("IMAP %s: %s", config.label, report.error)
        _logout(connection)
        return report

    reconnects = 0
    for uid in uids:
        try:
            if connection is None:
                connection = _connect(config, timeout)
            size = sizes.get(uid)
            if size is not None and size > limit:
                # Not downloaded: its headers say enough for the audit row.
                raw = _fetch(connection, uid, "BODY.PEEK[HEADER]")
                result = email_ingest(raw, source=InboundEmail.Source.IMAP, size=size)
            else:
                raw = _fetch(connection, uid, "BODY.PEEK[]")
                result = email_ingest(raw, source=InboundEmail.Source.IMAP)
            _mark_seen(connection, uid)
        except (OSError, imaplib.IMAP4.abort, ssl.SSLError) as exc:  # TimeoutError is an OSError
            # The connection is in an unknown state (a timeout mid-response): start a new one.
            report.failed += 1
            logger.warning("IMAP %s uid %s: %s; reconnecting", config.label, uid, exc)
            _logout(connection)
            connection = None
            reconnects += 1
            if reconnects > MAX_RECONNECTS:
                report.error = f"gave up after {MAX_RECONNECTS} reconnects"
                break
            continue
        except Exception:
            # This message's trouble (or the database's); it stays unseen for the next pass.
            report.failed += 1
            logger.exception("IMAP %s uid %s: ingest failed", config.label, uid)
            continue
        report.outcomes.append((uid, result.line))
        if result.filed:
            report.filed += 1
        else:
            report.skipped += 1
    _logout(connection)
    return report


def mailbox_poll_all(url: str | None = None) -> list[PollReport]:
    """One pass over every mailbox in IMAP_URL; one mailbox's outage does not stop the next."""
    return [mailbox_poll(config) for config in configured_mailboxes(url)]
