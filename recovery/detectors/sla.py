"""Missed SLA targets, and warnings caught before they are missed.

`sla.breached` opens an `sla_breach` case. `sla.warning` (a target most of
the way to its due time) opens a *proactive* `sla_breach` case, but only for
customers worth catching early: a tier in `proactive_tiers` or a lifetime
value of at least `proactive_lifetime_value`. If the breach then happens, it
joins that case and the case stops being proactive.
"""

from datetime import datetime

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from recovery.detectors.base import Context, Detection, Detector
from sla.models import TargetKind
from sla.selectors import targets_for_ticket

BREACHED = "sla.breached"
WARNING = "sla.warning"


def _target_facts(context: Context) -> tuple[dict, dict]:
    """(facts, detail) about the target the event names: its promise in hours."""
    data = context.data
    target_id = data.get("target_id")
    target = next(
        (t for t in targets_for_ticket(ticket_id=context.event.ticket_id) if t.pk == target_id),
        None,
    )
    facts: dict = {}
    if target is not None and target.target_seconds:
        facts["promised_hours"] = round(target.target_seconds / 3600, 2)
    detail = {
        "target_id": target_id,
        "sla_kind": data.get("kind"),
        "due_at": data.get("due_at"),
        "policy": data.get("policy"),
    }
    return facts, detail


def _kind_label(kind: str | None) -> str:
    return str(TargetKind(kind).label).lower() if kind in TargetKind.values else _("service")


def _due(context: Context) -> datetime | None:
    value = context.data.get("due_at")
    return parse_datetime(value) if isinstance(value, str) else None


class SlaBreach(Detector):
    name = "sla_breach"
    event_types = frozenset({BREACHED})
    setting = "sla_breach_enabled"

    def detect(self, context: Context) -> Detection | None:
        facts, detail = _target_facts(context)
        due = _due(context)
        if "promised_hours" in facts:
            late = (context.event.created_at - due).total_seconds() / 3600 if due else 0
            facts["hours_waited"] = round(facts["promised_hours"] + max(0.0, late), 2)
        policy = context.data.get("policy")
        facts["description"] = (
            _("Missed the %(kind)s target of policy “%(policy)s”.")
            % {"kind": _kind_label(context.data.get("kind")), "policy": policy}
            if policy
            else _("Missed the %(kind)s target.") % {"kind": _kind_label(context.data.get("kind"))}
        )
        return Detection("sla_breach", facts=facts, detail=detail)


class SlaWarning(Detector):
    name = "sla_warning"
    event_types = frozenset({WARNING})
    setting = "sla_warning_enabled"

    def detect(self, context: Context) -> Detection | None:
        customer = context.ticket.requester
        config = context.config
        if customer.tier in (config.proactive_tiers or []):
            why = "tier"
        elif customer.lifetime_value >= config.proactive_lifetime_value:
            why = "lifetime_value"
        else:
            return None
        facts, detail = _target_facts(context)
        due = _due(context)
        facts["description"] = _(
            "At risk: the %(kind)s target is due %(due)s and not met yet; caught before it is "
            "missed."
        ) % {
            "kind": _kind_label(context.data.get("kind")),
            "due": due.strftime("%Y-%m-%d %H:%M UTC") if due else _("soon"),
        }
        return Detection("sla_breach", facts=facts, proactive=True, detail={**detail, "why": why})
