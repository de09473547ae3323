"""An optional language-model rewrite of the composed draft.

Set `RECOVERY_LLM_URL` to an OpenAI-compatible server (the base URL; requests
go to `<url>/v1/chat/completions`), optionally `RECOVERY_LLM_MODEL`,
`RECOVERY_LLM_KEY` and `RECOVERY_LLM_TIMEOUT` (seconds). The composer stays
the default and the fallback: any error, timeout, or an answer that drops the
customer's name, the facts or the promised time, or reads canned, keeps the
composed draft.
"""

import json
import logging
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings

from recovery.apology.composer import ApologyInput, Draft
from recovery.apology.phrases import CANNED_PHRASES

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 8.0
MAX_BODY = 20_000

LANGUAGE_NAMES = {"en": "English", "es": "Spanish"}

INSTRUCTIONS = (
    "You rewrite a customer-service apology so it reads warm, plain and personal. "
    "Keep every fact, number, order number, amount, date and time exactly as given, "
    "keep the customer's first name, the offer and the signature. Own the mistake "
    "without excuses or blaming anyone. Do not use stock phrases such as "
    "'we apologise for any inconvenience' or 'valued customer'. Answer in {language} "
    "with the message body only."
)


def enabled() -> bool:
    return bool(getattr(settings, "RECOVERY_LLM_URL", ""))


def _endpoint() -> str:
    base = getattr(settings, "RECOVERY_LLM_URL", "").rstrip("/")
    return base if base.endswith("/chat/completions") else f"{base}/v1/chat/completions"


def _post(payload: dict[str, Any]) -> dict[str, Any]:
    """The HTTP edge (tests replace this, never the network)."""
    headers = {"Content-Type": "application/json"}
    key = getattr(settings, "RECOVERY_LLM_KEY", "")
    if key:
        headers["Authorization"] = f"Bearer {key}"
    url = _endpoint()
    if not url.startswith(("http://", "https://")):
        raise ValueError("RECOVERY_LLM_URL must be an http(s) URL")
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        url, data=json.dumps(payload).encode(), headers=headers, method="POST"
    )
    timeout = float(getattr(settings, "RECOVERY_LLM_TIMEOUT", DEFAULT_TIMEOUT))
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (scheme checked above)
        return json.loads(response.read(1_000_000))


def _acceptable(text: str, *, draft: Draft, data: ApologyInput) -> bool:
    """The rewrite keeps what matters: the name, every number of the draft, no canned phrase."""
    if not text or len(text) > MAX_BODY or data.first_name not in text:
        return False
    lowered = text.lower()
    if any(phrase in lowered for phrase in CANNED_PHRASES):
        return False
    draft_digits = {
        token for token in draft.body.replace(",", " ").split() if any(c.isdigit() for c in token)
    }
    return all(token.strip(".,;:()") in text for token in draft_digits)


def rewrite(draft: Draft, *, data: ApologyInput) -> tuple[Draft, str]:
    """(the draft to keep, "llm" or "composer")."""
    if not enabled():
        return draft, "composer"
    payload = {
        "model": getattr(settings, "RECOVERY_LLM_MODEL", "") or "default",
        "temperature": 0.4,
        "messages": [
            {
                "role": "system",
                "content": INSTRUCTIONS.format(
                    language=LANGUAGE_NAMES.get(data.language, "English")
                ),
            },
            {"role": "user", "content": draft.body},
        ],
    }
    try:
        answer = _post(payload)
        text = str(answer["choices"][0]["message"]["content"]).strip()
    except (
        urllib.error.URLError,
        TimeoutError,
        OSError,
        ValueError,
        KeyError,
        IndexError,
        TypeError,
    ):
        logger.warning("apology rewrite failed; keeping the composed draft", exc_info=True)
        return draft, "composer"
    if not _acceptable(text, draft=draft, data=data):
        logger.info("apology rewrite dropped facts or read canned; keeping the composed draft")
        return draft, "composer"
    return Draft(subject=draft.subject, body=text), "llm"
