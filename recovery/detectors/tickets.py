"""Detectors on how a ticket is handled: a slow first reply, too many handoffs,
a reopened ticket, a failure category set by an agent."""

from django.utils.translation import gettext as _

from accounts.models import STAFF_ROLES
from recovery.detectors.base import Context, Detection, Detector, is_staff_reply
from recovery.models import FailureType
from tickets import events
from tickets.models import FAILURE_CATEGORIES, Category, Message


class LongWait(Detector):
    """The first public staff reply came later than `long_wait_hours` after the ticket
    opened (wall-clock hours: what the customer lived, whatever the business hours)."""

    name = "long_wait"
    event_types = frozenset({events.MESSAGE_ADDED})
    setting = "long_wait_enabled"

    def accepts(self, event) -> bool:
        return super().accepts(event) and is_staff_reply(event.data or {})

    def detect(self, context: Context) -> Detection | None:
        if not is_staff_reply(context.data):
            return None
        ticket = context.ticket
        first_reply = (
            Message.objects.filter(ticket=ticket, internal=False, author__role__in=STAFF_ROLES)
            .order_by("created_at", "id")
            .values("id", "created_at")
            .first()
        )
        if first_reply is None or first_reply["id"] != context.data.get("message_id"):
            return None  # not the first reply: the wait was judged then
        hours = (first_reply["created_at"] - ticket.created_at).total_seconds() / 3600
        promised = context.config.long_wait_hours
        if hours <= promised:
            return None
        hours = round(hours, 1)
        return Detection(
            FailureType.LONG_WAIT,
            facts={
                "hours_waited": int(hours) if hours.is_integer() else hours,
                "promised_hours": promised,
                "description": _("First reply after %(hours)s hours; we aim for %(promised)s.")
                % {"hours": hours, "promised": promised},
            },
            detail={"message_id": first_reply["id"]},
        )


class Handoffs(Detector):
    """A handoff (between two agents or two teams) took the ticket past `max_handoffs`."""

    name = "handoffs"
    event_types = frozenset({events.ASSIGNED, events.TEAM_CHANGED})
    setting = "handoffs_enabled"

    def accepts(self, event) -> bool:
        return super().accepts(event) and bool((event.data or {}).get("handoff"))

    def detect(self, context: Context) -> Detection | None:
        if not context.data.get("handoff"):
            return None
        count = context.ticket.handoff_count
        allowed = context.config.max_handoffs
        if count <= allowed:
            return None
        return Detection(
            FailureType.HANDOFFS,
            facts={
                "description": _(
                    "Passed between people or teams %(count)d times (more than %(allowed)d)."
                )
                % {"count": count, "allowed": allowed}
            },
            detail={"handoff_count": count},
        )


class Reopened(Detector):
    name = "reopened"
    event_types = frozenset({events.REOPENED})
    setting = "reopened_enabled"

    def detect(self, context: Context) -> Detection | None:
        by_customer = context.event.actor_id == context.ticket.requester_id
        return Detection(
            FailureType.REOPENED,
            facts={
                "description": _("The customer reopened it after it was marked solved.")
                if by_customer
                else _("Reopened after it was marked solved.")
            },
            detail={"by_customer": by_customer},
        )


class FailureCategory(Detector):
    """An agent filed the ticket under a failure category (technical difficulty,
    defective product, overcharge, late delivery, poor support): a case of that type."""

    name = "failure_category"
    event_types = frozenset({events.CATEGORY_CHANGED, events.CREATED})
    setting = "failure_category_enabled"

    @staticmethod
    def _category(event) -> str | None:
        data = event.data or {}
        value = data.get("to") if event.type == events.CATEGORY_CHANGED else data.get("category")
        return value if value in FAILURE_CATEGORIES else None

    def accepts(self, event) -> bool:
        return super().accepts(event) and self._category(event) is not None

    def detect(self, context: Context) -> Detection | None:
        category = self._category(context.event)
        if category is None:
            return None
        actor = context.event.actor
        label = Category(category).label
        description = (
            _("%(actor)s filed it as “%(category)s”.")
            % {"actor": actor.display_name, "category": label}
            if actor is not None and actor.is_agent
            else _("Filed as “%(category)s”.") % {"category": label}
        )
        return Detection(
            FailureType(category), facts={"description": description}, detail={"category": category}
        )
