"""Reads of SLA state, for ticket pages and queues."""

from datetime import timedelta

from django.db.models import Exists, F, OuterRef, QuerySet, Subquery
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


def next_due_subquery() -> Subquery:
    """The earliest due instant among a ticket's running clocks."""
    return Subquery(
        SlaTarget.objects.filter(
            ticket=OuterRef("pk"), state=TargetState.RUNNING, due_at__isnull=False
        )
        .order_by("due_at")
        .values("due_at")[:1]
    )


def filter_tickets(tickets: QuerySet, sla: str) -> QuerySet:
    """`breached`, `soon` (due within the hour) or `due` (all): soonest due first."""
    if sla == "breached":
        tickets = tickets.filter(breached_subquery())
    elif sla == "soon":
        tickets = tickets.filter(breaching_soon_subquery())
    elif sla != "due":
        return tickets
    return tickets.alias(next_due=next_due_subquery()).order_by(
        F("next_due").asc(nulls_last=True), "-id"
    )


def panel_context(request, ticket) -> dict:
    state = TicketSla.objects.select_related("policy").filter(ticket_id=ticket.pk).first()
    return {
        "targets": targets_for_ticket(ticket_id=ticket.pk),
        "policy": state.policy if state else None,
        "exempt": bool(state and state.exempt),
    }
