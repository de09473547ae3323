"""Who may do what in the knowledge base. Selectors, services and views ask here."""

from typing import Any


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def may_read_internal(user: Any) -> bool:
    """Agents, leads, managers and admins read internal articles; nobody else does."""
    return _active(user) and user.is_agent


def may_edit_articles(user: Any) -> bool:
    """Editors: active staff with the admin permission to change articles."""
    return may_read_internal(user) and user.has_perm("knowledge_base.change_article")


def may_see_report(user: Any) -> bool:
    """Support staff see what readers read, rate and miss."""
    return may_read_internal(user)


def is_customer(user: Any) -> bool:
    return _active(user) and user.is_customer
