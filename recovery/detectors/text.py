"""Text helpers the detectors share: folding, words, a rough language guess, similarity.

Everything here is pure and cheap; detectors read at most `MAX_CHARS` of a
message, so a pasted log file costs no more than a paragraph.
"""

import re
import unicodedata

MAX_CHARS = 5000

WORD_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)?", re.UNICODE)


def fold(text: str) -> str:
    """Lower case without accents: "Pésimo" and "pesimo" read the same (ñ reads as n)."""
    decomposed = unicodedata.normalize("NFKD", text[:MAX_CHARS].lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """Folded words; "don't" stays one word."""
    return WORD_RE.findall(fold(text))


# Function words that tell the languages apart (folded). Words both English and
# Spanish use ("a", "no", "me") are left out on purpose.
ENGLISH_MARKERS = frozenset(
    "the and is are was were i you my your it this that to of not have has with for please "
    "what when where why how but would could should can't don't didn't isn't won't never "
    "been am we they our their there here".split()
)
SPANISH_MARKERS = frozenset(
    "el la los las que de y es esta este estoy mi mis por para con pero muy una un lo se del "
    "al nadie nada gracias hola quiero tengo porque sin ya todavia aun cuando donde como "
    "su sus le les ha han hace llevo sigo".split()
)
# French, German, Italian and Portuguese words that are neither English nor Spanish.
OTHER_MARKERS = frozenset(
    "je vous nous est tres avec pour pas mais cette c'est ich und nicht ist das der wir mit "
    "kein sehr bitte danke sono molto della questo grazie nao voce muito obrigado obrigada uma "
    "ele ela isso".split()
)

ENGLISH, SPANISH, OTHER = "en", "es", "other"


def guess_language(text: str, *, hint: str = ENGLISH) -> str:
    """ "en", "es" or "other", by counting marker words; a tie or no marker at all falls
    back to `hint` (the customer's language), so "Terrible!!" reads in their language."""
    counts = {ENGLISH: 0, SPANISH: 0, OTHER: 0}
    for word in words(text):
        if word in ENGLISH_MARKERS:
            counts[ENGLISH] += 1
        if word in SPANISH_MARKERS:
            counts[SPANISH] += 1
        if word in OTHER_MARKERS:
            counts[OTHER] += 1
    best = max(counts.values())
    if best == 0:
        return hint if hint in (ENGLISH, SPANISH) else OTHER
    leaders = [language for language, count in counts.items() if count == best]
    if len(leaders) == 1:
        return leaders[0]
    return hint if hint in leaders else leaders[0]


# --- subject similarity ---------------------------------------------------------------

STOPWORDS = (
    ENGLISH_MARKERS
    | SPANISH_MARKERS
    | frozenset(
        "re fw fwd rv reenviar a an in on at from by me no si my mi order pedido again still "
        "otra vez another problem problema issue help ayuda about sobre".split()
    )
)


def subject_tokens(subject: str) -> frozenset[str]:
    """Content words of a subject: no stopwords, no reply prefixes, a naive plural strip.
    Numbers are kept whatever their length: an order number is the strongest clue."""
    tokens = set()
    for word in words(subject):
        if word in STOPWORDS or (len(word) < 3 and not word.isdigit()):
            continue
        if len(word) > 4 and word.endswith("s") and not word.isdigit():
            word = word[:-1]
        tokens.add(word)
    return frozenset(tokens)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared words over all words, 0..1; two empty subjects share nothing."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


MIN_REFERENCE_DIGITS = 4


def shares_reference(a: frozenset[str], b: frozenset[str]) -> bool:
    """Both subjects name the same order or invoice number (four digits or more)."""
    return any(token.isdigit() and len(token) >= MIN_REFERENCE_DIGITS for token in a & b)
