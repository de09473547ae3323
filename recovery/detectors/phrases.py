"""Explicit escalation requests in English and Spanish: a manager, cancelling,
a chargeback, legal steps, an official complaint.

Patterns run on folded text (lower case, no accents), so "cancelar mi
suscripción" and "CANCELAR MI SUSCRIPCION" both match. A match with a
negation in the three words before it ("I don't want to cancel my account",
"no quiero cancelar mi cuenta") does not count.
"""

import re
from dataclasses import dataclass

from recovery.detectors.text import MAX_CHARS, fold

MANAGER, CANCEL, CHARGEBACK, LEGAL, COMPLAINT = (
    "manager",
    "cancel",
    "chargeback",
    "legal",
    "complaint",
)

_PATTERNS: tuple[tuple[str, str, str], ...] = (
    # (reason, language, pattern)
    (
        MANAGER,
        "en",
        r"\b(?:speak|talk|speaking|talking)\s+(?:to|with)\s+(?:a|an|the|your|some)?\s*"
        r"(?:manager|supervisor|superior|boss|someone\s+in\s+charge|person\s+in\s+charge)\b",
    ),
    (
        MANAGER,
        "en",
        r"\b(?:get|put|give)\s+me\s+(?:through\s+to\s+)?(?:a|your|the)\s+(?:manager|supervisor)\b",
    ),
    (MANAGER, "en", r"\b(?:your|a)\s+manager\s+(?:now|please|immediately)\b"),
    (MANAGER, "en", r"\bescalat(?:e|ed|ing|ion)\b"),
    (
        CANCEL,
        "en",
        r"\b(?:cancel|close|terminate|delete)\s+(?:my|our)\s+"
        r"(?:account|subscription|membership|contract|plan)\b",
    ),
    (CHARGEBACK, "en", r"\bcharge\s*-?\s*backs?\b"),
    (CHARGEBACK, "en", r"\bdispute\s+(?:the|this|a|your)\s+(?:charge|payment|transaction)\b"),
    (
        LEGAL,
        "en",
        r"\b(?:lawyers?|attorneys?|solicitors?|legal\s+action|take\s+you\s+to\s+court|"
        r"sue\s+(?:you|your)|suing|small\s+claims)\b",
    ),
    (
        COMPLAINT,
        "en",
        r"\b(?:better\s+business\s+bureau|consumer\s+protection|ombudsman|trading\s+standards|"
        r"formal\s+complaint)\b",
    ),
    (
        MANAGER,
        "es",
        r"\bhablar\s+con\s+(?:un|una|el|la|su|algun|alguna|vuestro|vuestra|tu)?\s*"
        r"(?:responsable|gerente|supervisora?|encargad[oa]|jef[ea]|superior|director[a]?)\b",
    ),
    (
        MANAGER,
        "es",
        r"\b(?:pasame|paseme|paseme\s+con|ponme\s+con|pongame\s+con)\s+(?:el|la|un|una|su)?\s*(?:responsable|gerente|supervisora?|encargad[oa]|jef[ea])\b",
    ),
    (
        CANCEL,
        "es",
        r"\b(?:cancelar|anular|cerrar|eliminar|dar\s+de\s+baja)\s+(?:mi|la|nuestra)?\s*"
        r"(?:cuenta|suscripcion|contrato|membresia|servicio)\b",
    ),
    (CANCEL, "es", r"\b(?:darme|me\s+doy|me\s+voy\s+a\s+dar)\s+de\s+baja\b"),
    (CHARGEBACK, "es", r"\b(?:contracargos?|retrocargos?)\b"),
    (
        CHARGEBACK,
        "es",
        r"\b(?:reclamar|disputar|anular)\s+(?:el|este|un)\s+cargo\s+(?:al|con\s+el|en\s+el)\s+banco\b",
    ),
    (
        LEGAL,
        "es",
        r"\b(?:abogad[oa]s?|demandar(?:os|les)?|denunciar(?:os|les)?|acciones\s+legales|"
        r"accion\s+legal|via\s+judicial|juzgado|tribunales)\b",
    ),
    (
        COMPLAINT,
        "es",
        r"\b(?:(?:hoja|libro)\s+de\s+reclamaciones|oficina\s+del\s+consumidor|omic|facua|"
        r"reclamacion\s+formal|queja\s+formal)\b",
    ),
)
PATTERNS = tuple((reason, language, re.compile(pattern)) for reason, language, pattern in _PATTERNS)

NEGATIONS = frozenset({"not", "don't", "dont", "never", "no", "nunca", "jamas", "won't", "wont"})
NEGATION_WINDOW = 3


@dataclass(frozen=True)
class Escalation:
    reason: str  # manager, cancel, chargeback, legal or complaint
    language: str
    phrase: str  # the words that matched, folded


def find_escalation(text: str) -> Escalation | None:
    """The first explicit escalation request in the text that is not negated, if any."""
    folded = fold(text[:MAX_CHARS])
    for reason, language, pattern in PATTERNS:
        for match in pattern.finditer(folded):
            before = re.findall(r"[^\W_]+(?:'[^\W_]+)?", folded[: match.start()])
            if not NEGATIONS.intersection(before[-NEGATION_WINDOW:]):
                return Escalation(reason=reason, language=language, phrase=match.group(0))
    return None
