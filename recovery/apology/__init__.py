"""Apology drafts: a personal message composed from a case's facts.

- `composer`: the deterministic composer (the default, and the fallback);
- `phrases`: its sentence banks in English and Spanish, and `CANNED_PHRASES`,
  the stock phrases no draft may contain;
- `llm`: an optional language-model rewrite (setting `RECOVERY_LLM_URL`).

Drafts are only proposals: nothing reaches the customer until an agent sends
it (`recovery.services.case_apology_send`).
"""

from recovery.apology.composer import ApologyInput, Draft, compose, input_for_case
from recovery.apology.phrases import CANNED_PHRASES

__all__ = ["CANNED_PHRASES", "ApologyInput", "Draft", "compose", "input_for_case"]
