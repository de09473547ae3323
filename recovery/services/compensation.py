"""The compensation suggested on a case, from the managers' rules."""

from accounts.models import User
from recovery import policy
from recovery.models import RecoveryCase


def suggest_locked(case: RecoveryCase, *, customer: User) -> list[str]:
    """Stores the rule's suggestion on the locked case; returns the fields to save.

    Precondition: the caller holds the row lock (or is inserting the case).
    """
    suggestion = policy.suggest(
        failure_type=case.failure_type,
        severity=case.severity,
        tier=customer.tier,
        facts=case.facts or {},
    )
    current = (case.compensation_kind, case.compensation_amount, case.compensation_currency)
    if current == (suggestion.kind, suggestion.amount, suggestion.currency):
        return []
    case.compensation_kind = suggestion.kind
    case.compensation_amount = suggestion.amount
    case.compensation_currency = suggestion.currency
    return ["compensation_kind", "compensation_amount", "compensation_currency"]
