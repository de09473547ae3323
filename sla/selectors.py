"""Reads of SLA state, for ticket pages and queues."""

from datetime import timedelta

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from sla.models import OPEN_STATES, SlaTarget, TargetState, TicketSla


def targets_for_ticket(*, ticket_id: int) -> list[SlaTarget]:
    """Open targets first (soonest due), then finished ones, newest first."""
    targets = list(SlaTarget.objects.filter(ticket_id=ticket_id).order_by("-started_at", "-id"))
    open_targets = sorted(
        (t for t in targets if t.is_open), key=lambda t: (t.due_at is None, t.due_at)
    )
    done = [t for t in targets if not t.is_open]
    return open_targets + done


def breached_subquery() -> Exists:
    return Exists(
        SlaTarget.objects.filter(
            ticket=OuterRef("pk"), state=TargetState.RUNNING, breached_at__isnull=False
        )
    )


def breaching_soon_subquery(*, within_minutes: int = 60) -> Exists:
    horizon = timezone.now() + timedelta(minutes=within_minutes)
    return Exists(
        SlaTarget.objects.filter(
            ticket=OuterRef("pk"),
            state__in=OPEN_STATES,
            breached_at__isnull=True,
            due_at__lte=horizon,
        )
    )


def filter_tickets(tickets: QuerySet, sla: str) -> QuerySet:
    """Narrows a ticket queryset to `breached` or `soon` (due within the hour)."""
    if sla == "breached":
        return tickets.filter(breached_subquery())
    if sla == "soon":
        return tickets.filter(breaching_soon_subquery())
    return tickets


def panel_context(request, ticket) -> dict:
    state = TicketSla.objects.select_related("policy").filter(ticket_id=ticket.pk).first()
    return {
        "targets": targets_for_ticket(ticket_id=ticket.pk),
        "policy": state.policy if state else None,
        "exempt": bool(state and state.exempt),
    }
