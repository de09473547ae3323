"""The facts a case records about a failure, and the one check of their shape.

Facts come from agents (API) and detectors alike, so both pass through
`clean_facts`: unknown keys, wrong types, negative sizes and overlong text
are refused with a message naming the key.
"""

import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helpdesk.errors import ApplicationError

MAX_AMOUNT = Decimal("9999999999.99")  # fits compensation_amount (12 digits, 2 places)
MAX_DAYS = 3650
MAX_HOURS = 87_600  # ten years

# key -> (kind, bound): text keys are bounded by length, numbers by value.
TEXT_FACTS: dict[str, int] = {
    "order_number": 64,
    "product": 200,
    "agent_name": 150,
    "description": 2000,
}
NUMBER_FACTS: dict[str, int] = {
    "days_late": MAX_DAYS,
    "hours_waited": MAX_HOURS,
    "promised_hours": MAX_HOURS,
}
FACT_KEYS = (
    "order_number",
    "product",
    "amount",
    "currency",
    "days_late",
    "hours_waited",
    "promised_hours",
    "agent_name",
    "description",
)
FACT_LABELS = {
    "order_number": gettext_lazy("Order number"),
    "product": gettext_lazy("Product"),
    "amount": gettext_lazy("Amount"),
    "currency": gettext_lazy("Currency"),
    "days_late": gettext_lazy("Days late"),
    "hours_waited": gettext_lazy("Hours waited"),
    "promised_hours": gettext_lazy("Promised within (hours)"),
    "agent_name": gettext_lazy("Agent"),
    "description": gettext_lazy("What happened"),
}
# Sizes where a later signal reporting more should win when facts are merged.
SIZE_FACTS = ("amount", "days_late", "hours_waited")

CURRENCY_RE = re.compile(r"^[A-Z]{3}$")


class FactError(ApplicationError):
    """A bad fact; `key` names it so the API can answer with a field error."""

    def __init__(self, message: str, *, key: str):
        super().__init__(f"{key}: {message}", field="facts", extra={"key": key})
        self.key = key
        self.reason = message


def clean_facts(facts: Any) -> dict[str, Any]:
    """Checks and normalises facts: amounts as strings with two places, numbers as int/float."""
    if facts is None:
        return {}
    if not isinstance(facts, dict):
        raise ApplicationError(_("Facts must be an object."), field="facts")
    unknown = sorted(str(key) for key in facts if key not in FACT_KEYS)
    if unknown:
        raise FactError(
            _("Unknown fact. Known facts: %(keys)s.") % {"keys": ", ".join(FACT_KEYS)},
            key=unknown[0][:50],
        )
    cleaned: dict[str, Any] = {}
    for key, value in facts.items():
        if value is None or value == "":
            continue  # an empty fact says nothing; dropping it keeps the record tidy
        if key in TEXT_FACTS:
            cleaned[key] = _text(key, value, TEXT_FACTS[key])
        elif key in NUMBER_FACTS:
            cleaned[key] = _number(key, value, NUMBER_FACTS[key])
        elif key == "amount":
            cleaned[key] = str(_amount(value))
        elif key == "currency":
            cleaned[key] = _currency(value)
    if "currency" in cleaned and "amount" not in cleaned:
        raise FactError(_("A currency needs an amount."), key="currency")
    return cleaned


def merge_facts(current: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Facts of a case after another signal: keeps what is known, adds what is new.

    For sizes (amount, days late, hours waited) the larger value wins, so a
    later, worse report raises the severity and a smaller one never lowers it.
    Both arguments are already cleaned.
    """
    merged = dict(current)
    for key, value in new.items():
        if key not in merged or (key in SIZE_FACTS and _size(value) > _size(merged[key])):
            merged[key] = value
    return merged


def facts_for_display(facts: dict[str, Any]) -> list[tuple[Any, Any]]:
    """(label, value) pairs in the order of FACT_KEYS, for pages."""
    return [(FACT_LABELS[key], facts[key]) for key in FACT_KEYS if key in facts]


def fact_amount(facts: dict[str, Any]) -> Decimal | None:
    """The cleaned amount as a Decimal, or None."""
    value = facts.get("amount")
    return Decimal(value) if value is not None else None


def fact_number(facts: dict[str, Any], key: str) -> float | None:
    value = facts.get(key)
    return float(value) if value is not None else None


def _size(value: Any) -> Decimal:
    return Decimal(str(value))


def _text(key: str, value: Any, max_length: int) -> str:
    if not isinstance(value, str):
        raise FactError(_("must be text."), key=key)
    value = "".join(ch for ch in value.replace("\x00", "") if ch.isprintable() or ch in "\n\t")
    value = value.strip()
    if len(value) > max_length:
        raise FactError(
            _("is too long (at most %(max)d characters).") % {"max": max_length}, key=key
        )
    return value


def _number(key: str, value: Any, maximum: int) -> int | float:
    # bool is an int in Python; `true` is not a number of hours.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FactError(_("must be a number."), key=key)
    if (isinstance(value, float) and not math.isfinite(value)) or value < 0:
        raise FactError(_("must be a number of at least 0."), key=key)
    if value > maximum:
        raise FactError(_("must be at most %(max)d.") % {"max": maximum}, key=key)
    if isinstance(value, float):
        value = round(value, 2)
        return int(value) if value.is_integer() else value
    return value


def _amount(value: Any) -> Decimal:
    """A money amount: a decimal string such as "12.50" (numbers are accepted too)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise FactError(_("must be a decimal amount such as “12.50”."), key="amount")
    if isinstance(value, float) and not math.isfinite(value):
        raise FactError(_("must be a decimal amount such as “12.50”."), key="amount")
    text = str(value).strip()
    if len(text) > 32:
        raise FactError(_("must be a decimal amount such as “12.50”."), key="amount")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise FactError(_("must be a decimal amount such as “12.50”."), key="amount") from None
    if not amount.is_finite():
        raise FactError(_("must be a decimal amount such as “12.50”."), key="amount")
    if amount < 0:
        raise FactError(_("cannot be negative."), key="amount")
    if amount > MAX_AMOUNT:
        raise FactError(_("is too large."), key="amount")
    if amount != amount.quantize(Decimal("0.01")):
        raise FactError(_("has more than two decimal places."), key="amount")
    return amount.quantize(Decimal("0.01"))


def _currency(value: Any) -> str:
    if not isinstance(value, str) or not CURRENCY_RE.match(value.strip().upper()):
        raise FactError(_("must be a three-letter currency code such as “EUR”."), key="currency")
    return value.strip().upper()
