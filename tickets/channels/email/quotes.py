"""Splitting what a person wrote from the earlier mail they quoted and their signature.

A reply repeats the whole conversation below an attribution line ("On Monday,
Ana wrote:"); a ticket shows each message once, so only the new part is the
message body. The split is conservative: forwarded mail is never trimmed
(the forwarded text is the point), inline answers between quoted lines are
kept, and when trimming would leave nothing the whole text stays.
"""

import re
from dataclasses import dataclass

# Attribution lines that start the quoted part, in the languages our customers write in.
_ATTRIBUTION = [
    re.compile(r"^\s*On\b.{0,300}\bwrote:\s*$", re.IGNORECASE),
    re.compile(r"^\s*Le\b.{0,300}\ba écrit\s*:\s*$", re.IGNORECASE),
    re.compile(r"^\s*Am\b.{0,300}\bschrieb\b.{0,200}:\s*$", re.IGNORECASE),
    re.compile(r"^\s*El\b.{0,300}\bescribió:\s*$", re.IGNORECASE),
    re.compile(r"^\s*Il\b.{0,300}\bha scritto:\s*$", re.IGNORECASE),
    re.compile(r"^\s*Op\b.{0,300}\bschreef\b.{0,200}:\s*$", re.IGNORECASE),
    re.compile(r"^\s*Em\b.{0,300}\bescreveu:\s*$", re.IGNORECASE),
    re.compile(r"^.{0,300}のメッセージ:\s*$"),
    re.compile(r"^\s*-{2,}\s*Original Message\s*-{2,}\s*$", re.IGNORECASE),
    re.compile(r"^\s*-{2,}\s*(Mensaje original|Message d'origine|Ursprüngliche Nachricht)\s*-{2,}\s*$", re.IGNORECASE),
    re.compile(r"^\s*-{2,}\s*Reply above this line\s*-{2,}\s*$", re.IGNORECASE),
]  # fmt: skip
# Outlook: a header block ("From: ... / Sent: ... / To: ... / Subject: ...") after a rule.
_HEADER_FROM = re.compile(r"^\s*\*?(From|De|Von|Van|Da)\s*:\*?\s+\S", re.IGNORECASE)
_HEADER_NEXT = re.compile(
    r"^\s*\*?(Sent|Date|To|Subject|Cc|Envoyé|Gesendet|Enviado|Objet|Betreff|Asunto)\s*:\*?",
    re.IGNORECASE,
)
_RULE = re.compile(r"^\s*_{10,}\s*$")
_FORWARD = re.compile(
    r"^\s*(-{2,}|_{2,}|>)?\s*(Forwarded message|Begin forwarded message|Original message follows|"
    r"Message transféré|Weitergeleitete Nachricht|Mensaje reenviado)\b",
    re.IGNORECASE,
)
_FORWARD_SUBJECT = re.compile(r"^\s*(fwd?|fw|wg|tr|rv|doorst)\s*:", re.IGNORECASE)
_SIGNATURE_RULE = re.compile(r"^--\s?$")
_MOBILE_SIGNATURE = re.compile(
    r"^\s*(Sent from my \w+|Sent from (Mail|Outlook|Yahoo Mail|Gmail) for \w+|"
    r"Get Outlook for \w+|Enviado desde mi \w+|Envoyé de mon \w+)",
    re.IGNORECASE,
)
MAX_SIGNATURE_LINES = 15


@dataclass(frozen=True)
class Split:
    visible: str  # what the person wrote this time: the ticket message body
    quoted: str  # earlier mail and signature below it (kept in the audit row's full text)


def is_forward(subject: str) -> bool:
    return bool(_FORWARD_SUBJECT.match(subject or ""))


def _attribution_at(lines: list[str], index: int) -> bool:
    line = lines[index]
    if any(pattern.match(line) for pattern in _ATTRIBUTION):
        return True
    # Clients wrap long attribution lines: "On Mon, 3 Jun 2024 at 10:12, Ana Lima\n<ana@x> wrote:"
    if index + 1 < len(lines) and line.strip() and not line.lstrip().startswith(">"):
        joined = f"{line.rstrip()} {lines[index + 1].strip()}"
        return bool(_ATTRIBUTION[0].match(joined)) and len(joined) < 300
    return False


def _outlook_header_at(lines: list[str], index: int) -> bool:
    """A "From:" line followed within a few lines by "Sent:"/"To:"/"Subject:" lines."""
    start = index
    if _RULE.match(lines[index]):
        start = index + 1
        while start < len(lines) and not lines[start].strip():
            start += 1
    if start >= len(lines) or not _HEADER_FROM.match(lines[start]):
        return False
    following = lines[start + 1 : start + 5]
    return sum(1 for line in following if _HEADER_NEXT.match(line)) >= 2


def split_reply(text: str, *, subject: str = "") -> Split:
    """The visible reply and the quoted rest; see the module docstring for the rules."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if is_forward(subject):
        return Split(text.strip(), "")
    lines = text.split("\n")
    cut = len(lines)
    for index, line in enumerate(lines):
        if _FORWARD.match(line):
            break  # what follows is forwarded content, not a quote
        if _attribution_at(lines, index) or _outlook_header_at(lines, index):
            cut = index
            break
    if cut < len(lines) and _interleaved(lines[cut + 1 :]):
        cut = len(lines)  # answers between the quoted lines: the quote is part of the reply
    # Trailing quoted lines (">") with no attribution line: bottom quoting.
    end = cut
    while end > 0 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith(">")):
        end -= 1
    visible_lines = lines[:end]
    visible_lines = _without_signature(visible_lines)
    visible = "\n".join(visible_lines).strip()
    if not visible:
        return Split(text.strip(), "")
    quoted = "\n".join(lines[len(visible_lines) :]).strip()
    return Split(visible, quoted)


def _interleaved(rest: list[str]) -> bool:
    """The writer's own lines after quoted (">") ones: inline answers or bottom-posting."""
    seen_quote = False
    for line in rest:
        if line.lstrip().startswith(">"):
            seen_quote = True
        elif line.strip() and seen_quote:
            return not (_SIGNATURE_RULE.match(line) or _MOBILE_SIGNATURE.match(line))
    return False


def _without_signature(lines: list[str]) -> list[str]:
    # Mobile footers at the very end.
    end = len(lines)
    while end > 0 and not lines[end - 1].strip():
        end -= 1
    if end and _MOBILE_SIGNATURE.match(lines[end - 1]):
        end -= 1
    lines = lines[:end]
    # The "-- " delimiter (RFC 3676) near the end starts the signature.
    for index in range(len(lines) - 1, max(-1, len(lines) - MAX_SIGNATURE_LINES - 1), -1):
        if _SIGNATURE_RULE.match(lines[index]):
            return lines[:index]
    return lines
