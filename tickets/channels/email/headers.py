"""Header values as safe one-line text: RFC 2047 words, 8-bit bytes, ids, addresses, dates.

Lenient where the standard library is strict, because mail is: encoded words
next to raw 8-bit text, unknown charsets, broken quoting in From. Every value
that leaves here for a header or the database has lost its control characters.
"""

import base64
import binascii
import hashlib
import quopri
import re
from datetime import UTC, datetime
from email.message import Message
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from tickets.channels.email.charsets import decode_text

MAX_REFERENCES = 100
MAX_MESSAGE_ID = 255

_MSGID_TOKEN = re.compile(r"<([^<>\s]{1,1000})>")
_ANGLE_ADDRESS = re.compile(r"<\s*([^<>\s@]+@[^<>\s@]+)\s*>")
_BARE_ADDRESS = re.compile(r"([A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_HEADER_UNSAFE = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\u0085]+")


def header_safe(value: str, *, max_length: int | None = None) -> str:
    """One line: no CR, LF, NUL or other control characters, whitespace collapsed."""
    value = " ".join(_HEADER_UNSAFE.sub(" ", value or "").split())
    return value[:max_length] if max_length else value


def text_safe(value: str) -> str:
    """Text for the database: no NUL or other control characters except newlines and tabs."""
    return _CONTROL.sub("", (value or "").replace("\r\n", "\n").replace("\r", "\n"))


def unsurrogate(value: str) -> str:
    """8-bit bytes in headers come through as surrogate escapes: read them as UTF-8, else cp1252."""
    if not any("\udc80" <= ch <= "\udcff" for ch in value):
        return value
    raw = value.encode("utf-8", "surrogateescape")
    for charset in ("utf-8", "cp1252"):
        try:
            return raw.decode(charset)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([qQbB])\?([^?\s]*)\?=")
_BETWEEN_WORDS = re.compile(r"(\?=)[ \t\r\n]+(=\?)")


def _decode_word(match: re.Match[str]) -> str:
    charset, encoding, text = match.groups()
    charset = charset.split("*", 1)[0]  # RFC 2231 language suffix
    try:
        if encoding in "bB":
            data = base64.b64decode(text + "=" * (-len(text) % 4))
        else:
            data = quopri.decodestring(text.encode("ascii", "replace"), header=True)
    except (ValueError, binascii.Error):
        return match.group(0)
    return decode_text(data, charset)


def decode_words(value: str) -> str:
    """RFC 2047 decoding by hand, for values the policy's parser gave up on.

    Lenient where the standard library is strict: encoded words next to raw
    8-bit text, unknown charsets, bad padding.
    """
    return _ENCODED_WORD.sub(_decode_word, _BETWEEN_WORDS.sub(r"\1\2", value))


def header_values(msg: Message, name: str) -> list[str]:
    """Every value of header `name`, decoded, never raising."""
    values: list[str] = []
    raw_values = [v for k, v in msg.raw_items() if k.lower() == name.lower()]
    for index, raw in enumerate(raw_values):
        raw_text = str(raw)
        if any("\udc80" <= ch <= "\udcff" for ch in raw_text):
            # Raw 8-bit bytes: the policy would turn them into U+FFFD; read them ourselves.
            values.append(decode_words(unsurrogate(raw_text)))
            continue
        try:
            value = str(msg.get_all(name)[index])
        except Exception:
            value = decode_words(raw_text)
        values.append(value)
    return values


def first_header(msg: Message, name: str) -> str:
    values = header_values(msg, name)
    return values[0] if values else ""


def raw_headers(msg: Message) -> dict[str, list[str]]:
    """Every header, lower-cased name to one-line values, decoded cheaply.

    The policy's structured parsing is slow and only worth it for the few
    headers whose structure we use (addresses, subject); the rest are read
    for their words (list and auto-reply markers, ids, dates).
    """
    headers: dict[str, list[str]] = {}
    for name, value in msg.raw_items():
        text = decode_words(unsurrogate(str(value))) if "=?" in str(value) else str(value)
        headers.setdefault(name.lower(), []).append(header_safe(unsurrogate(text), max_length=2000))
    return headers


def normalise_message_id(value: str) -> str:
    """`<local@domain>` as one token; "" when there is none.

    Message-IDs compare exactly (they are case-sensitive on the left), so
    only the surrounding noise goes: whitespace, comments, missing brackets.
    """
    value = header_safe(value)
    match = _MSGID_TOKEN.search(value)
    token = match.group(1) if match else (value.split()[0] if value.split() else "")
    token = token.strip("<>")
    if not token:
        return ""
    msgid = f"<{token}>"
    if len(msgid) > MAX_MESSAGE_ID:
        digest = hashlib.sha256(msgid.encode("utf-8", "surrogateescape")).hexdigest()
        msgid = f"<{digest}@long-id.invalid>"
    return msgid


def message_id_list(value: str) -> list[str]:
    ids = []
    for token in _MSGID_TOKEN.findall(header_safe(value)):
        msgid = normalise_message_id(f"<{token}>")
        if msgid and msgid not in ids:
            ids.append(msgid)
    return ids[-MAX_REFERENCES:]


def synthesised_message_id(raw: bytes) -> str:
    """A stable id for a message without one, so the same bytes dedupe."""
    return f"<{hashlib.sha256(raw).hexdigest()[:40]}@no-message-id.invalid>"


def address_of(value: str) -> tuple[str, str]:
    """(name, address) from a From-like value, or ("", "") when it holds no valid address."""
    try:
        pairs = getaddresses([value])
    except Exception:
        pairs = []
    if not pairs or not pairs[0][1]:
        pairs = [parseaddr(value)]
    for name, address in pairs:
        address = header_safe(address).strip("<>").strip().lower()
        try:
            validate_email(address)
        except ValidationError:
            continue
        return header_safe(name, max_length=150).strip("\"' "), address
    # Broken quoting ('"Weird, Name <a@b.example>'): take the bracketed or bare address.
    match = _ANGLE_ADDRESS.search(value) or _BARE_ADDRESS.search(value)
    if match:
        address = match.group(1).lower()
        try:
            validate_email(address)
        except ValidationError:
            return "", ""
        name = value[: match.start()].replace('"', " ").strip(" <,")
        return header_safe(name, max_length=150), address
    return "", ""


def addresses(values: list[str]) -> list[str]:
    found = []
    try:
        pairs = getaddresses(values)
    except Exception:
        return found
    for _name, address in pairs:
        address = header_safe(address).lower()
        if "@" in address and address not in found:
            found.append(address)
    return found


def parse_date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed
