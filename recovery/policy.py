"""Who may grant how much compensation without asking.

The limits are a plain table for now; a later issue makes them editable by
managers. An amount is compared in the case's own currency (no exchange).
"""

from decimal import Decimal
from typing import Any

from accounts.models import Role

# Largest amount each role may grant on its own; None means no limit.
# Roles missing here (customers) may grant nothing.
GRANT_LIMITS: dict[str, Decimal | None] = {
    Role.AGENT: Decimal("50"),
    Role.LEAD: Decimal("200"),
    Role.MANAGER: None,
    Role.ADMIN: None,
}


def grant_limit_for(user: Any) -> tuple[bool, Decimal | None]:
    """(may grant at all, the largest amount or None for no limit)."""
    role = getattr(user, "role", None)
    if not getattr(user, "is_authenticated", False) or role not in GRANT_LIMITS:
        return False, None
    return True, GRANT_LIMITS[role]


def can_grant(*, user: Any, kind: str, amount: Decimal | None) -> bool:
    """Whether `user` may grant this compensation without an approval.

    Nothing proposed (no kind) is nothing to grant: False. A kind without an
    amount (a replacement, an upgrade) is within every staff role's reach.
    """
    if not kind:
        return False
    allowed, limit = grant_limit_for(user)
    if not allowed:
        return False
    return amount is None or limit is None or amount <= limit
