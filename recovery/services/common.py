"""What every recovery service shares: access checks, input checks, the row lock."""

from typing import Any

from django.utils.translation import gettext as _

from accounts.models import User
from helpdesk.errors import ApplicationError, PermissionDenied
from recovery.models import RecoveryCase


class _Unset:
    """Marks an argument the caller did not give (None is a real value: "unassign")."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


def require_staff(actor: User | None, *, allow_system: bool = False) -> None:
    """Staff only. `actor=None` is the system (a detector), where the caller allows it."""
    if actor is None and allow_system:
        return
    if actor is None or not actor.is_active or not actor.is_agent:
        raise PermissionDenied(_("Only support staff may work on recovery cases."))


def require_supervisor(actor: User) -> None:
    """Team leads, managers and admins."""
    if not actor.is_active or not actor.is_supervisor:
        raise PermissionDenied(_("Only team leads and managers may do that."))


def require_manager(actor: User) -> None:
    if not actor.is_active or not actor.is_manager:
        raise PermissionDenied(_("Only managers may do that."))


def check_choice(value: Any, choices: Any, *, field: str) -> str:
    values = choices.values if hasattr(choices, "values") else [key for key, _label in choices]
    if not isinstance(value, str) or value not in values:
        raise ApplicationError(
            _("“%(value)s” is not a valid choice.") % {"value": str(value)[:50]}, field=field
        )
    return value


def clean_text(value: Any, *, field: str, max_length: int) -> str:
    if not isinstance(value, str):
        raise ApplicationError(_("Must be text."), field=field)
    value = value.replace("\x00", "").strip()
    if len(value) > max_length:
        raise ApplicationError(
            _("Too long (at most %(max)d characters).") % {"max": max_length}, field=field
        )
    return value


def lock_case(case: RecoveryCase) -> RecoveryCase:
    """Reloads the case under a row lock, so concurrent changes serialise.

    Precondition: inside `transaction.atomic`.
    """
    return (
        RecoveryCase.objects.select_for_update(of=("self",))
        .select_related("customer", "ticket")
        .get(pk=case.pk)
    )
