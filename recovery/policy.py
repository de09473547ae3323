"""Who may grant how much compensation without asking, and what to suggest.

Limits live in the `ApprovalLimit` table managers edit (shipped: agent 50,
lead 200, manager and admin unlimited). An amount is compared in the case's
own currency (no exchange). The suggestion comes from `CompensationRule`.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from recovery.models import ApprovalLimit, CompensationRule, severity_band

# Cached on the user object, so a request (one user object) reads its limit once.
_CACHE_ATTR = "_recovery_grant_limit"


def grant_limit_for(user: Any) -> tuple[bool, Decimal | None]:
    """(may grant at all, the largest amount or None for no limit).

    Staff only; a role without a row may grant nothing. One query per user object.
    """
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_agent", False):
        return False, None
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        row = ApprovalLimit.objects.filter(role=user.role).values_list("amount", flat=True)
        amounts = list(row)
        cached = (True, amounts[0]) if amounts else (False, None)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def can_grant(*, user: Any, kind: str, amount: Decimal | None) -> bool:
    """Whether `user` may grant this compensation without an approval.

    Nothing proposed (no kind) is nothing to grant: False. A kind without an
    amount (a replacement, a free month) is within every staff role's reach.
    """
    if not kind:
        return False
    allowed, limit = grant_limit_for(user)
    if not allowed:
        return False
    return amount is None or limit is None or amount <= limit


@dataclass(frozen=True)
class Suggestion:
    kind: str
    amount: Decimal | None
    currency: str


NONE = Suggestion(kind="", amount=None, currency="")


def suggest(*, failure_type: str, severity: int, tier: str, facts: dict) -> Suggestion:
    """The remedy the most specific matching active rule suggests (see `CompensationRule`)."""
    band = severity_band(severity)
    rules = [
        rule
        for rule in CompensationRule.objects.filter(failure_type=failure_type, is_active=True)
        if rule.severity_band in ("", band) and rule.tier in ("", tier)
    ]
    if not rules:
        return NONE
    rule = min(rules, key=lambda r: (-r.specificity, r.position, r.pk))
    amount, currency = rule.amount, rule.currency
    if amount is None and facts.get("amount") not in (None, ""):
        amount = Decimal(str(facts["amount"]))
        currency = currency or str(facts.get("currency") or "")
    return Suggestion(
        kind=rule.kind, amount=amount, currency=currency if amount is not None else ""
    )
