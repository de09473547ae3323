"""How upset a customer's message reads: a compound score from -1 (furious) to +1.

Language coverage
-----------------
- **English**: VADER (`vaderSentiment`), its compound score as is. VADER was
  built for short social-media English: it handles negation ("not good"),
  intensifiers ("very"), capitals and exclamation marks, not sarcasm.
- **Spanish**: VADER's lexicon is English only (it scores "Estoy muy enfadado,
  es inaceptable" as 0.0), so Spanish goes through a small curated lexicon
  (`recovery.detectors.lexicon_es`: ~150 words, stems and phrases typical of
  help-desk complaints and thanks) with VADER's rules re-done for Spanish:
  negation ("no", "nunca", "jamás", "tampoco", "ni" within three words flips
  and damps, x -0.74), boosters ("muy", "totalmente"... +0.293), "pero"
  (before it x0.5, after it x1.5), words in capitals and up to four "!", and
  VADER's normalisation x / sqrt(x² + 15). Accents are optional ("pésimo" =
  "pesimo"). It misses words outside the lexicon, irony and regional slang;
  a miss means no case, never a wrong one (agents can still open one by hand).
- **Other languages** (French, German, Italian, Portuguese... recognised by
  their function words): unsupported. `analyse` returns `supported=False`
  and the sentiment detector opens nothing; the escalation detector's English
  and Spanish phrases still apply.

Which language a message is in is guessed from its function words
(`text.guess_language`); a message with none ("Terrible!!") is read in the
customer's own language.
"""

import math
import re
from dataclasses import dataclass
from functools import cache

from recovery.detectors import lexicon_es
from recovery.detectors.text import ENGLISH, MAX_CHARS, OTHER, SPANISH, fold, guess_language

TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)

NORMALISATION_ALPHA = 15
NEGATION_SCALAR = -0.74
CAPS_BOOST = 0.733
EXCLAMATION_BOOST = 0.292
MAX_EXCLAMATIONS = 4
NEGATION_WINDOW = 3


@dataclass(frozen=True)
class Sentiment:
    compound: float  # -1 .. 1
    language: str  # "en", "es" or "other"
    supported: bool


@cache
def _vader():
    """Loading VADER's lexicon takes a moment: once per process."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def analyse(text: str, *, language_hint: str = ENGLISH) -> Sentiment:
    text = text[:MAX_CHARS]
    language = guess_language(text, hint=language_hint)
    if language == ENGLISH:
        return Sentiment(round(_vader().polarity_scores(text)["compound"], 4), ENGLISH, True)
    if language == SPANISH:
        return Sentiment(spanish_compound(text), SPANISH, True)
    return Sentiment(0.0, OTHER, False)


def spanish_compound(text: str) -> float:
    """VADER's method with the Spanish lexicon; see the module docstring."""
    raw_tokens = TOKEN_RE.findall(text[:MAX_CHARS])
    tokens = [fold(token) for token in raw_tokens]
    shouting_everywhere = all(t.isupper() for t in raw_tokens if len(t) > 1)
    valences: list[float] = [0.0] * len(tokens)
    consumed = [False] * len(tokens)

    # Phrases first, longest first; their words are then not read again one by one.
    spans: list[tuple[int, float]] = []
    for phrase, valence in sorted(lexicon_es.PHRASES.items(), key=lambda item: -len(item[0])):
        size = len(phrase)
        for start in range(len(tokens) - size + 1):
            if any(consumed[start : start + size]) or tuple(tokens[start : start + size]) != phrase:
                continue
            spans.append((start, valence))
            for i in range(start, start + size):
                consumed[i] = True
    # A negation inside a phrase ("no funciona y nadie me responde") is part of
    # that complaint, not a flip of the next one.
    negators = [token if not consumed[i] else "" for i, token in enumerate(tokens)]
    for start, valence in spans:
        valences[start] = _in_context(valence, negators, start)

    for i, token in enumerate(tokens):
        if consumed[i]:
            continue
        valence = _lookup(token)
        if not valence:
            continue
        if raw_tokens[i].isupper() and len(raw_tokens[i]) > 1 and not shouting_everywhere:
            valence += CAPS_BOOST if valence > 0 else -CAPS_BOOST
        valences[i] = _in_context(valence, tokens, i)

    if lexicon_es.CONTRAST in tokens:
        at = tokens.index(lexicon_es.CONTRAST)
        valences = [v * 0.5 if i < at else v * 1.5 if i > at else v for i, v in enumerate(valences)]

    total = sum(valences)
    if total:
        exclamations = min(text.count("!"), MAX_EXCLAMATIONS) * EXCLAMATION_BOOST
        total += exclamations if total > 0 else -exclamations
    compound = total / math.sqrt(total * total + NORMALISATION_ALPHA)
    return round(max(-1.0, min(1.0, compound)), 4)


def _lookup(token: str) -> float:
    if token in lexicon_es.WORDS:
        return lexicon_es.WORDS[token]
    for stem, valence in lexicon_es.STEMS.items():
        if token.startswith(stem):
            return valence
    return 0.0


def _in_context(valence: float, tokens: list[str], at: int) -> float:
    """Applies boosters and negations in the three words before `at`."""
    for distance in range(1, NEGATION_WINDOW + 1):
        i = at - distance
        if i < 0:
            break
        boost = lexicon_es.BOOSTERS.get(tokens[i])
        if boost:
            scale = 1 - 0.05 * (distance - 1)
            valence += (boost if valence > 0 else -boost) * scale
    if any(tokens[i] in lexicon_es.NEGATIONS for i in range(max(0, at - NEGATION_WINDOW), at)):
        valence *= NEGATION_SCALAR
    return valence
